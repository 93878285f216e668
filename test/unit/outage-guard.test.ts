import { describe, expect, it } from 'vitest';
import { startTsProcess } from '../../scripts/services/processes.ts';

describe('surviveDatabaseOutages', () => {
  it('lives through unheard database errors, and still dies of anything else', async () => {
    const guarded = startTsProcess(
      'guarded',
      'test/fixtures/processes/outage-guard.ts',
      {},
      {
        quiet: true,
      },
    );
    let stderr = '';
    guarded.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => guarded.child.once('exit', resolve));
    expect(stderr).toMatch(
      /database unavailable \(uncaughtException, survived\).*administrator command/,
    );
    expect(stderr).toMatch(/database unavailable \(unhandled rejection, survived\).*ECONNREFUSED/);
    expect(stderr).toContain('still running');
    expect(stderr).toContain('an ordinary bug');
    expect(stderr).not.toContain('unreachable');
    expect(code).toBe(1);
  });
});

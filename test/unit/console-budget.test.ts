import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, distDir } from '../../scripts/web/build.ts';

/** The budget: all of the console's JavaScript, gzipped at level 9. */
const BUDGET_BYTES = 300 * 1024;

describe('the built console', () => {
  beforeAll(async () => {
    await buildConsole({ say: () => {} });
  }, 120_000);

  it('ships under 300 KB of gzipped JavaScript, summed over every chunk', () => {
    const assets = path.join(distDir, 'assets');
    const chunks = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(0);
    const gzipped = chunks.reduce(
      (sum, name) => sum + gzipSync(readFileSync(path.join(assets, name)), { level: 9 }).length,
      0,
    );
    console.log(`[console budget] ${chunks.length} JS chunks, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(BUDGET_BYTES);
  });

  it('has no inline script (the CSP allows scripts from the origin only)', () => {
    const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
    for (const tag of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
      expect(tag[0]).toMatch(/\bsrc="\/assets\//);
      expect(tag[1]?.trim()).toBe('');
    }
  });
});

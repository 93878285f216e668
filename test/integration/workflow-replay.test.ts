import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { beforeAll, describe, it } from 'vitest';
import { buildWorkflowBundle } from '../../worker/run.ts';

const histories = path.resolve(import.meta.dirname, '..', 'fixtures', 'histories');

/**
 * Campaigns and conversations recorded with earlier workflow code must replay on today's code: a worker that
 * is upgraded mid-campaign picks up that campaign's history. A failure here is a
 * nondeterminism error: the change needs `patched()`. The histories are binary protobuf
 * (`History.encode` of `fetchHistory()`): the JSON route goes through a second copy of
 * protobufjs in node_modules and fails its `instanceof` checks.
 */
describe('workflow histories of earlier versions', () => {
  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  });

  it.each([
    // 100 contacts in batches of 10, two at a time: planned four windows ahead, twice.
    ['campaign-planned-walk.history.pb'],
    // Before waiting_for_drip: four contacts, a drip step; completed once the broadcast was done.
    ['campaign-with-drip.history.pb'],
    // Before cancelled rows: 200 contacts at 10 messages a second, cancelled after ten sends.
    ['campaign-cancelled.history.pb'],
    // A drip run of the campaign above, before runs reported to their campaign.
    ['drip-run.history.pb'],
    // A conversation before inbox answers and Blooio status checks: a YES handed off over
    // iMessage, the contact's answer, then idle until it completed.
    ['conversation-handoff.history.pb'],
  ])('replays %s', async (file) => {
    const history = temporal.api.history.v1.History.decode(
      await readFile(path.join(histories, file)),
    );
    const workflowBundle = await buildWorkflowBundle();
    await Worker.runReplayHistory({ workflowBundle }, history);
  });
});

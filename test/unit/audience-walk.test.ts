import { describe, expect, it } from 'vitest';
import { walkAudience, type AudiencePlan } from '../../workflows/audience-walk.ts';
import type { ContactRange } from '../../core/campaign-contracts.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** An audience of `total` ranges named r1, r2, …; plans hand out at most `batches` each. */
function audience(total: number) {
  const plans: (string | null)[] = [];
  const plan = async (after: string | null, batches: number): Promise<AudiencePlan> => {
    plans.push(after);
    await tick();
    const from = after === null ? 0 : Number(after.slice(1));
    const ranges: ContactRange[] = [];
    for (let i = from + 1; i <= Math.min(total, from + batches); i++)
      ranges.push({ after: i === 1 ? null : `r${i - 1}`, upTo: `r${i}` });
    return { ranges, exhausted: from + batches >= total };
  };
  return { plan, plans };
}

describe('walkAudience', () => {
  it('sends every range once and plans the next ranges before the window drains', async () => {
    const { plan, plans } = audience(10);
    const sent: string[] = [];
    const events: string[] = [];
    const result = await walkAudience({
      after: null,
      width: 2,
      planSize: 4,
      plan: async (after, batches) => {
        events.push(`plan after ${after}`);
        return plan(after, batches);
      },
      send: async (range) => {
        events.push(`start ${range.upTo}`);
        await tick();
        await tick();
        sent.push(range.upTo);
        events.push(`end ${range.upTo}`);
      },
      onCursor: () => {},
      stop: () => false,
    });
    expect(result).toEqual({ done: true });
    expect(sent.sort()).toEqual(['r1', 'r10', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(plans).toEqual([null, 'r4', 'r8']);
    // r5 (the next plan's first range) starts while r4 (the last of the first) is in flight.
    expect(events.indexOf('start r5')).toBeLessThan(events.indexOf('end r4'));
  });

  it('moves the cursor over finished ranges only, in order', async () => {
    const { plan } = audience(4);
    const cursors: string[] = [];
    const release = new Map<string, () => void>();
    const walking = walkAudience({
      after: null,
      width: 4,
      planSize: 4,
      plan,
      send: (range) => new Promise<void>((resolve) => release.set(range.upTo, resolve)),
      onCursor: (cursor) => cursors.push(cursor),
      stop: () => false,
    });
    while (release.size < 4) await tick();
    for (const range of ['r3', 'r2', 'r4', 'r1']) {
      release.get(range)?.();
      await tick();
    }
    await walking;
    expect(cursors).toEqual(['r4']);
  });

  it('starts no more ranges once told to stop, and says it is not done', async () => {
    const { plan } = audience(20);
    const sent: string[] = [];
    const result = await walkAudience({
      after: 'r5',
      width: 2,
      planSize: 4,
      plan,
      send: async (range) => {
        await tick();
        sent.push(range.upTo);
      },
      onCursor: () => {},
      stop: () => sent.length >= 3,
    });
    expect(result).toEqual({ done: false });
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(sent[0]).toBe('r6');
  });

  it('is done at once with an empty audience', async () => {
    const { plan } = audience(0);
    const result = await walkAudience({
      after: null,
      width: 3,
      planSize: 6,
      plan,
      send: async () => expect.unreachable(),
      onCursor: () => {},
      stop: () => false,
    });
    expect(result).toEqual({ done: true });
  });

  it('fails when a plan fails', async () => {
    await expect(
      walkAudience({
        after: null,
        width: 2,
        planSize: 2,
        plan: async () => {
          throw new Error('planBatches failed');
        },
        send: async () => {},
        onCursor: () => {},
        stop: () => false,
      }),
    ).rejects.toThrow('planBatches failed');
  });
});

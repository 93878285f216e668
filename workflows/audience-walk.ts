import type { ContactRange } from '../core/campaign-contracts.ts';
import { PrefixCursor } from './sliding-window.ts';

export interface AudiencePlan {
  ranges: ContactRange[];
  exhausted: boolean;
}

export interface AudienceWalk {
  /** Where the walk starts: the end of the last range already finished, if any. */
  after: string | null;
  /** Batches in flight at once. */
  width: number;
  /** Ranges asked of `plan` at a time. */
  planSize: number;
  plan: (after: string | null, batches: number) => Promise<AudiencePlan>;
  send: (range: ContactRange) => Promise<void>;
  /** The walk's persistable cursor moved: every range up to `cursor` is finished. */
  onCursor: (cursor: string) => void;
  /** Asked after each batch: true starts no more (the batches in flight still finish). */
  stop: () => boolean;
}

/**
 * Walks the audience in keyset ranges with `width` batches in flight, starting the next as
 * soon as one ends. The next ranges are planned while the last `width` planned ones are
 * still to start, so the window never drains between plans (waiting for a plan's last batch
 * left every number idle for half a second each time). The cursor only moves over the
 * finished prefix, so an interrupted walk resumes at its first unfinished range.
 * Deterministic: only promises, no I/O, safe in workflow code.
 *
 * Resolves with `done` when every range of the audience has been sent.
 */
export async function walkAudience(walk: AudienceWalk): Promise<{ done: boolean }> {
  const ranges: ContactRange[] = [];
  const cursor = new PrefixCursor();
  let plannedUpTo = walk.after;
  let exhausted = false;
  let planning: Promise<void> | undefined;
  const planMore = () =>
    (planning ??= walk.plan(plannedUpTo, walk.planSize).then((plan) => {
      ranges.push(...plan.ranges);
      cursor.add(plan.ranges.map((range) => range.upTo));
      plannedUpTo = plan.ranges.at(-1)?.upTo ?? plannedUpTo;
      exhausted = plan.exhausted;
      planning = undefined;
    }));
  let started = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped) {
      // A failed plan is awaited below, by the lane that needs it.
      if (!exhausted && ranges.length - started <= walk.width) planMore().catch(() => {});
      while (started >= ranges.length) {
        if (exhausted) return;
        await planMore();
      }
      const index = started++;
      const range = ranges[index];
      if (range === undefined) return;
      await walk.send(range);
      const moved = cursor.finish(index);
      if (moved !== undefined) walk.onCursor(moved);
      if (walk.stop()) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: walk.width }, lane));
  return { done: exhausted && started === ranges.length };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES } from '../../core/message-status.ts';
import { tallyMessages, type MessageGroup } from '../../core/message-tally.ts';
import { WAIT_REASONS } from '../../core/wait-reason.ts';

const group = (extra: Partial<MessageGroup>): MessageGroup => ({
  step: 0,
  status: 'delivered',
  skipReason: null,
  waitReason: null,
  count: 1,
  withoutCarrier: 0,
  retried: 0,
  nextAttemptAt: null,
  lastProgressAt: null,
  ...extra,
});

const at = (iso: string) => new Date(iso);

describe('tallyMessages', () => {
  it('gives the funnel, the per-step counts and the waiting reasons from one grouping', () => {
    const tally = tallyMessages([
      group({
        status: 'delivered',
        count: 90,
        retried: 4,
        lastProgressAt: at('2026-12-01T10:05:00Z'),
      }),
      group({ status: 'undelivered', count: 3 }),
      group({ status: 'failed', count: 2, retried: 2 }),
      group({ status: 'skipped', skipReason: 'opted_out', count: 5, withoutCarrier: 5 }),
      group({ status: 'skipped', skipReason: 'filtered_out', count: 7, withoutCarrier: 7 }),
      group({
        status: 'pending',
        waitReason: 'quiet_hours',
        count: 6,
        withoutCarrier: 6,
        nextAttemptAt: at('2026-12-01T14:00:00Z'),
      }),
      group({ status: 'sending', count: 1, withoutCarrier: 1 }),
      group({ status: 'sent', count: 4, lastProgressAt: at('2026-12-01T10:07:00Z') }),
      group({
        step: 1,
        status: 'pending',
        waitReason: 'quiet_hours',
        count: 20,
        withoutCarrier: 20,
        nextAttemptAt: at('2026-12-01T13:00:00Z'),
      }),
      group({ step: 1, status: 'delivered', count: 10 }),
      group({ step: 1, status: 'cancelled', count: 2, withoutCarrier: 2 }),
    ]);

    expect(tally.broadcast).toEqual({
      targeted: 118,
      skipped: 12,
      skipped_reasons: { opted_out: 5, filtered_out: 7 },
      queued: 0,
      sending: 1,
      unknown: 0,
      sent: 4,
      delivered: 90,
      failed: 5,
      retried: 6,
      deferred: 6,
      cancelled: 0,
    });
    expect(tally.broadcastWaiting).toEqual({
      quiet_hours: { count: 6, deferredUntil: at('2026-12-01T14:00:00Z') },
    });
    expect(tally.waiting).toEqual({
      quiet_hours: { count: 26, deferredUntil: at('2026-12-01T13:00:00Z') },
    });
    expect(tally.steps).toEqual([
      {
        step: 0,
        targeted: 118,
        pending: 7,
        sent: 4,
        delivered: 90,
        failed: 5,
        skipped: 12,
        cancelled: 0,
      },
      {
        step: 1,
        targeted: 32,
        pending: 20,
        sent: 0,
        delivered: 10,
        failed: 0,
        skipped: 0,
        cancelled: 2,
      },
    ]);
    expect(tally.unsent).toBe(27);
    expect(tally.lastProgressAt).toEqual(at('2026-12-01T10:07:00Z'));
  });

  it('counts as waiting only the rows still to be sent, whatever wait reason the others kept', () => {
    const tally = tallyMessages([
      // An `unknown` row the carrier has (being asked about) is not waiting for a send.
      group({
        status: 'unknown',
        waitReason: 'carrier_unknown_outcome',
        count: 5,
        withoutCarrier: 2,
      }),
      // A delivered row keeps the reason it once waited for.
      group({ status: 'delivered', waitReason: 'rate_limited', count: 4 }),
    ]);
    expect(tally.unsent).toBe(2);
    expect(tally.waiting).toEqual({ carrier_unknown_outcome: { count: 2, deferredUntil: null } });
    expect(tally.broadcast.unknown).toBe(5);
    expect(tally.broadcast.delivered).toBe(4);
  });

  it('is empty for a campaign without messages', () => {
    const tally = tallyMessages([]);
    expect(tally.broadcast.targeted).toBe(0);
    expect(tally.steps).toEqual([]);
    expect(tally.unsent).toBe(0);
    expect(tally.lastProgressAt).toBeNull();
  });

  const groups = fc.array(
    fc.record({
      step: fc.integer({ min: 0, max: 3 }),
      status: fc.constantFrom(...MESSAGE_STATUSES),
      skipReason: fc.constantFrom(null, 'opted_out', 'landline'),
      waitReason: fc.constantFrom(null, ...WAIT_REASONS),
      count: fc.integer({ min: 1, max: 1000 }),
      withoutCarrier: fc.integer({ min: 0, max: 1000 }),
      retried: fc.constant(0),
      nextAttemptAt: fc.constant(null),
      lastProgressAt: fc.constant(null),
    }),
    { maxLength: 40 },
  );

  it('adds up: the broadcast figures sum to targeted, the steps to every message, in any order', () => {
    fc.assert(
      fc.property(groups, (input) => {
        const tally = tallyMessages(input);
        const b = tally.broadcast;
        expect(
          b.skipped +
            b.deferred +
            b.sending +
            b.unknown +
            b.queued +
            b.sent +
            b.delivered +
            b.failed +
            b.cancelled,
        ).toBe(b.targeted);
        expect(tally.steps.reduce((sum, step) => sum + step.targeted, 0)).toBe(
          input.reduce((sum, g) => sum + g.count, 0),
        );
        for (const step of tally.steps)
          expect(
            step.pending + step.sent + step.delivered + step.failed + step.skipped + step.cancelled,
          ).toBe(step.targeted);
        expect(tallyMessages([...input].reverse())).toEqual(tally);
      }),
    );
  });
});

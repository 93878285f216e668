import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyStatus,
  claimable,
  inGroup,
  MESSAGE_STATUSES,
  STATUS_GROUPS,
  fromBlooioStatus,
  fromTwilioStatus,
  isBlooioStatus,
  isNewsOfSentMessage,
  statusRank,
  TWILIO_STATUSES,
} from '../../core/message-status.ts';
import type {
  BlooioStatus as BlooioStatusName,
  MessageStatus,
  TwilioStatus,
} from '../../core/message-status.ts';

const carrierStatus = fc.constantFrom<MessageStatus>(
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
);

describe('applyStatus', () => {
  it('ends at the highest-ranked status whatever the arrival order and duplicates', () => {
    fc.assert(
      fc.property(fc.array(carrierStatus, { maxLength: 20 }), (events) => {
        let current: MessageStatus = 'sending';
        for (const event of events) {
          const next = applyStatus(current, event);
          if (next !== 'ignore') {
            expect(statusRank(next)).toBeGreaterThan(statusRank(current));
            current = next;
          }
        }
        const expected = events.reduce<MessageStatus>(
          (best, s) => (statusRank(s) > statusRank(best) ? s : best),
          'sending',
        );
        expect(current).toBe(expected);
      }),
    );
  });

  it('never lets a late sent overwrite delivered, and lets delivered upgrade undelivered', () => {
    expect(applyStatus('delivered', 'sent')).toBe('ignore');
    expect(applyStatus('delivered', 'delivered')).toBe('ignore');
    expect(applyStatus('undelivered', 'delivered')).toBe('delivered');
    expect(applyStatus('delivered', 'undelivered')).toBe('ignore');
    expect(applyStatus('skipped', 'delivered')).toBe('ignore');
  });
});

describe('status mapping', () => {
  it.each<[TwilioStatus, MessageStatus | null]>([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['partially_delivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['receiving', null],
    ['received', null],
  ])('Twilio %s → %s', (twilio, stored) => {
    expect(fromTwilioStatus(twilio)).toBe(stored);
  });

  it('keeps only the Twilio callbacks that can move a sent message past queued', () => {
    const news = (statuses: string[]) => statuses.filter(isNewsOfSentMessage);
    expect(news(['accepted', 'scheduled', 'queued', 'sending', 'receiving', 'received'])).toEqual(
      [],
    );
    const informative = ['sent', 'delivered', 'read', 'undelivered', 'partially_delivered'];
    expect(news([...informative, 'failed', 'canceled'])).toEqual([
      ...informative,
      'failed',
      'canceled',
    ]);
    // A status Twilio may add one day is kept for a person to look at.
    expect(isNewsOfSentMessage('rerouted')).toBe(true);
  });

  it('drops no callback that applyStatus would apply to a message the create answer made queued', () => {
    const statuses = fc.constantFrom(...TWILIO_STATUSES);
    fc.assert(
      fc.property(
        statuses,
        fc.constantFrom<MessageStatus>('queued', 'sent', 'delivered', 'undelivered', 'failed'),
        (status, current) => {
          const stored = fromTwilioStatus(status);
          const changes = stored !== null && applyStatus(current, stored) !== 'ignore';
          if (changes) expect(isNewsOfSentMessage(status)).toBe(true);
        },
      ),
    );
  });

  it('maps Blooio statuses', () => {
    const raw = ['queued', 'sending', 'sent', 'delivered', 'failed', 'bogus'];
    expect(raw.filter(isBlooioStatus).map(fromBlooioStatus)).toEqual([
      'queued',
      'queued',
      'sent',
      'delivered',
      'failed',
    ]);
  });
});

describe('the lifecycle groups', () => {
  const all = new Set<MessageStatus>(MESSAGE_STATUSES);
  const union = (...groups: (keyof typeof STATUS_GROUPS)[]) =>
    groups.flatMap((group) => [...STATUS_GROUPS[group]]);

  it('split every status into exactly one of unresolved, at the carrier, or final', () => {
    const split = union('unresolved', 'awaitingCarrier', 'final');
    expect(new Set(split)).toEqual(all);
    expect(split).toHaveLength(all.size);
  });

  it('rank every unresolved status below every status the carrier gave', () => {
    for (const before of STATUS_GROUPS.unresolved)
      for (const after of STATUS_GROUPS.reachedCarrier)
        expect(statusRank(before)).toBeLessThan(statusRank(after));
  });

  it('never take a row back to unresolved by a carrier status, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUS_GROUPS.reachedCarrier),
        fc.array(fc.constantFrom(...MESSAGE_STATUSES), { maxLength: 10 }),
        (start, events) => {
          let current: MessageStatus = start;
          for (const event of events) {
            const next = applyStatus(current, event);
            if (next !== 'ignore') current = next;
            expect(inGroup(current, 'unresolved')).toBe(false);
          }
        },
      ),
    );
  });

  it('give both carriers one status order', () => {
    // In the order a message lives them; a handset's receipt outranks a failure report.
    const shared: BlooioStatusName[] = ['queued', 'sending', 'sent', 'failed', 'delivered'];
    for (const status of shared) {
      expect(fromBlooioStatus(status)).toBe(fromTwilioStatus(status));
    }
    const ranks = shared.map((status) => statusRank(fromBlooioStatus(status)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('let a sender claim only rows with no carrier message that are not final', () => {
    for (const status of MESSAGE_STATUSES)
      expect(claimable(status)).toBe(inGroup(status, 'unresolved'));
    expect(claimable('queued')).toBe(false);
    expect(claimable('skipped')).toBe(false);
    expect(claimable('cancelled')).toBe(false);
  });

  it('keep a cancelled row cancelled whatever arrives, and never cancel a row by a status', () => {
    expect(inGroup('cancelled', 'final')).toBe(true);
    for (const group of [
      'unresolved',
      'awaitingCarrier',
      'reachedCarrier',
      'accepted',
      'failed',
    ] as const)
      expect(inGroup('cancelled', group)).toBe(false);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...MESSAGE_STATUSES), { maxLength: 10 }),
        fc.constantFrom(...MESSAGE_STATUSES),
        (events, start) => {
          for (const event of events) expect(applyStatus('cancelled', event)).toBe('ignore');
          expect(applyStatus(start, 'cancelled')).toBe('ignore');
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyStatus,
  fromBlooioStatus,
  fromTwilioStatus,
  isBlooioStatus,
  statusRank,
} from '../../core/message-status.ts';
import type { MessageStatus, TwilioStatus } from '../../core/message-status.ts';

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

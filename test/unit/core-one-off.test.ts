import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageSlotMs, sendSlotMs } from '../../core/gcra.ts';
import { mediaUrlProblem, senderReasonOf, shownStatus } from '../../core/one-off.ts';

describe('sendSlotMs, the slot of an SMS or an MMS', () => {
  it('is messageSlotMs for an SMS, whatever the MMS rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        fc.option(fc.double({ min: 0.1, max: 500, noNaN: true })),
        (segments, mps, mmsMps) => {
          expect(sendSlotMs({ segments, media: false }, { mps, mmsMps })).toBe(
            messageSlotMs(segments, mps),
          );
        },
      ),
    );
  });

  it('takes one message at the MMS rate for an MMS, its segments aside', () => {
    expect(sendSlotMs({ segments: 3, media: true }, { mps: 10, mmsMps: 2 })).toBe(500);
    expect(sendSlotMs({ segments: 3, media: true }, { mps: 10, mmsMps: null })).toBe(100);
    expect(sendSlotMs({ segments: 1, media: true }, { mps: 10, mmsMps: 4 }, 0.2)).toBe(313);
  });
});

describe('one-off contracts', () => {
  it('names why a sender was chosen', () => {
    expect(senderReasonOf('area_code')).toBe('geomatch_area_code');
    expect(senderReasonOf('region')).toBe('geomatch_region');
    expect(senderReasonOf('any')).toBe('weighted');
    expect(senderReasonOf('sticky')).toBe('sticky');
    expect(senderReasonOf('explicit')).toBe('explicit');
  });

  it('accepts http and https media URLs only', () => {
    expect(mediaUrlProblem('https://cdn.example.com/a.png')).toBeNull();
    expect(mediaUrlProblem('http://127.0.0.1:8080/a.png')).toBeNull();
    expect(mediaUrlProblem('ftp://example.com/a.png')).toContain('http or https');
    expect(mediaUrlProblem('not a url')).toContain('not a URL');
  });

  it('shows a message waiting for a later time as scheduled', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const later = new Date('2026-12-06T13:00:00Z');
    expect(shownStatus('pending', later, 'quiet_hours', now)).toBe('scheduled');
    expect(shownStatus('pending', null, null, now)).toBe('pending');
    expect(shownStatus('pending', new Date('2026-12-06T11:00:00Z'), 'retry_backoff', now)).toBe(
      'pending',
    );
    expect(shownStatus('delivered', later, 'quiet_hours', now)).toBe('delivered');
  });
});

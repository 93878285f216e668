import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { operatorOptIn } from '../../core/consent.ts';
import { decodeConsentCursor, encodeConsentCursor, parseSince } from '../../core/consent-cursor.ts';
import { csvRecord } from '../../core/csv-write.ts';
import { carrierOptOutDetail, settle } from '../../core/send-outcome.ts';

describe('an operator opt-in', () => {
  it('changes nothing for a contact who is not opted out', () => {
    expect(operatorOptIn(false, [])).toEqual({ kind: 'unchanged' });
  });

  it("undoes an operator's or a suppression list's opt-out", () => {
    expect(operatorOptIn(true, ['operator'])).toEqual({ kind: 'opt_in' });
    expect(operatorOptIn(true, ['suppression_import', 'operator'])).toEqual({ kind: 'opt_in' });
  });

  it("never overrides the person's own STOP, over either channel or held by the carrier", () => {
    for (const source of ['sms_keyword', 'imessage_keyword', 'carrier_21610'] as const) {
      expect(operatorOptIn(true, ['operator', source])).toEqual({ kind: 'refused', source });
    }
  });

  it('is refused for an opt-out with no record of whose it was', () => {
    expect(operatorOptIn(true, [])).toEqual({ kind: 'refused', source: null });
  });
});

describe('the consent export cursor', () => {
  it('round-trips and is opaque', () => {
    const cursor = { createdUs: '1796457600123456', id: '42' };
    const text = encodeConsentCursor(cursor);
    expect(text).not.toContain('42');
    expect(decodeConsentCursor(text)).toEqual(cursor);
  });

  it('refuses anything it did not give out', () => {
    for (const text of [
      '',
      'abc',
      '!!',
      'x'.repeat(300),
      Buffer.from('c1.1.x').toString('base64url'),
    ])
      expect(decodeConsentCursor(text), text).toBeNull();
  });

  it('reads since as an ISO time with offset, or a date', () => {
    expect(parseSince('2026-12-05T08:00:00Z')?.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(parseSince('2026-12-05T08:00:00.5+01:00')?.toISOString()).toBe(
      '2026-12-05T07:00:00.500Z',
    );
    expect(parseSince('2026-12-05')?.toISOString()).toBe('2026-12-05T00:00:00.000Z');
    for (const bad of [
      'yesterday',
      '2026-02-31',
      '2026-13-01',
      '2026-12-05T08:00:00',
      '1700000000',
    ])
      expect(parseSince(bad), bad).toBeNull();
  });
});

describe('CSV records', () => {
  it('quote what needs quoting, as RFC 4180 says', () => {
    expect(csvRecord(['a', null, 3, 'say "STOP", please', 'two\nlines', ' pad'])).toBe(
      'a,,3,"say ""STOP"", please","two\nlines"," pad"\r\n',
    );
  });

  it('read back as the same fields, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (fields) => {
        const [record] = parse(csvRecord(fields), { relax_column_count: true }) as string[][];
        expect(record).toEqual(fields);
      }),
    );
  });
});

describe('a send refused with 21610', () => {
  it('fails for good and names the carrier opt-out with its code and words', () => {
    const settlement = settle(
      {
        kind: 'refused',
        failure: { kind: 'twilio_error', code: 21610 },
        carrierMessage: 'Attempt to send to unsubscribed recipient',
      },
      {
        attemptsBefore: 0,
        policy: { max_attempts: 5, backoff_seconds: 1 },
        now: new Date(),
        resolveAfterMs: 1000,
      },
    );
    expect(settlement).toMatchObject({
      status: 'failed',
      final: true,
      errorCode: 21610,
      nextAttemptAt: null,
      carrierOptOut: {
        errorCode: 21610,
        detail: '21610: Attempt to send to unsubscribed recipient',
      },
    });
    expect(carrierOptOutDetail(21610)).toMatch(/^21610: .*unsubscribed/i);
  });

  it('other refusals carry no opt-out', () => {
    const settlement = settle(
      { kind: 'refused', failure: { kind: 'twilio_error', code: 30003 } },
      {
        attemptsBefore: 0,
        policy: { max_attempts: 5, backoff_seconds: 1 },
        now: new Date(),
        resolveAfterMs: 1000,
      },
    );
    expect(settlement.carrierOptOut).toBeNull();
  });
});

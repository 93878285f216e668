import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../core/phone.ts';
import { callingCodePlan } from '../../core/phone-plan.ts';
import { deriveNanpRegions, lookupGeo } from '../../core/phone-geo.ts';

describe('normalisePhone', () => {
  it.each(['(415) 555-0123', '415.555.0123', '+1 415 555 0123', '14155550123', ' 415-555-0123 '])(
    '%s is +14155550123',
    (raw) => {
      const result = normalisePhone(raw, 'US');
      expect(result.ok && result.phone.e164).toBe('+14155550123');
    },
  );

  it.each([
    ['', 'missing'],
    ['not a phone', 'unparseable'],
    ['12345', 'too_short'],
    ['(123) 456-7890', 'invalid_for_country'],
    ['911', 'emergency_or_service'],
    ['112', 'emergency_or_service'],
    ['988', 'emergency_or_service'],
    ['1-800-555-0199', 'toll_free'],
    ['900-555-0100', 'premium_rate'],
  ])('%j is rejected as %s', (raw, reason) => {
    expect(normalisePhone(raw, 'US')).toEqual({ ok: false, reason });
  });

  it('uses the default country for national numbers', () => {
    const result = normalisePhone('06 12 34 56 78', 'FR');
    expect(result.ok && result.phone.e164).toBe('+33612345678');
  });
});

describe('the NANP fast path', () => {
  const plan = callingCodePlan('1');
  it('classifies exactly as libphonenumber-js does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{10}$/), (nsn) => {
        const parsed = parsePhoneNumberFromString(`+1${nsn}`);
        const expected = parsed?.isValid()
          ? { country: parsed.country, type: parsed.getType() }
          : undefined;
        expect(plan?.classify(nsn)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
  it('normalises every format like the slow path', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[2-9][0-9]{9}$/),
        fc.constantFrom('', '1', '+1 '),
        (nsn, prefix) => {
          const fast = normalisePhone(`${prefix}${nsn}`, 'US');
          const parsed = parsePhoneNumberFromString(`${prefix}${nsn}`, 'US');
          expect(fast.ok ? fast.phone.e164 : undefined).toBe(
            parsed?.isValid() &&
              !['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST'].includes(parsed.getType() ?? '')
              ? parsed.number
              : undefined,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('geo lookup', () => {
  it('derives the state of an area code from its exchanges', () => {
    const geocodes = new Map([
      ['201', 'New Jersey'],
      ['201200', 'Jersey City, NJ'],
      ['212', 'New York, NY'],
    ]);
    const tables = {
      geocodes,
      timeZones: new Map([
        ['1201', 'America/New_York'],
        ['1', 'America/New_York&America/Chicago'],
      ]),
      maxGeocodeKey: 6,
      maxTimeZoneKey: 4,
      nanpRegions: deriveNanpRegions(geocodes),
    };
    expect(lookupGeo(tables, '1', '2015550123')).toEqual({
      areaCode: '201',
      region: 'NJ',
      timeZone: 'America/New_York',
    });
    expect(lookupGeo(tables, '1', '2125550123')).toEqual({
      areaCode: '212',
      region: 'NY',
      timeZone: null,
    });
  });
});

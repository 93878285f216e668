import { describe, expect, it } from 'vitest';
import { previewCounts } from '../../core/campaign-preview.ts';
import { isEmptyFilter, parseFilterField } from '../../core/contact-filter.ts';
import { poolCannotSendNow } from '../../core/pool-readiness.ts';
import type { PoolNumber, PoolOptions } from '../../core/sender-pool.ts';

describe('parseFilterField', () => {
  it.each([
    ['state', { kind: 'column', field: 'state' }],
    ['country', { kind: 'column', field: 'country' }],
    ['area_code', { kind: 'column', field: 'area_code' }],
    ['attributes.plan', { kind: 'attribute', key: 'plan' }],
    ['attributes.first_name', { kind: 'attribute', key: 'first_name' }],
    ['attributes.ville_préférée', { kind: 'attribute', key: 'ville_préférée' }],
  ] as const)('%s names %j', (field, parsed) => {
    expect(parseFilterField(field)).toEqual(parsed);
  });

  it.each([
    'plan',
    'attributes.',
    "attributes.plan'; DROP TABLE contacts; --",
    'attributes.a b',
    'opted_out_at',
    'toString',
    '__proto__',
  ])('%s names nothing', (field) => {
    expect(parseFilterField(field)).toBeNull();
  });

  it('treats a filter without conditions as everyone', () => {
    expect(isEmptyFilter(null)).toBe(true);
    expect(isEmptyFilter({ all: [], any: [] })).toBe(true);
    expect(isEmptyFilter({ all: [{ field: 'state', op: 'eq', value: 'CA' }] })).toBe(false);
  });
});

describe('previewCounts', () => {
  const open = () => true;

  it('counts everyone once, by the first reason, and the rest as would_text', () => {
    const counts = previewCounts(
      [
        { reason: null, time_zone: 'America/New_York', region: 'NY', n: 7 },
        { reason: 'opted_out', time_zone: null, region: null, n: 2 },
        { reason: 'filtered_out', time_zone: null, region: null, n: 3 },
        { reason: 'invalid', time_zone: null, region: null, n: 1 },
      ],
      open,
      true,
    );
    expect(counts.audience).toBe(13);
    expect(counts.would_text).toBe(7);
    expect(counts.not_texted).toMatchObject({ opted_out: 2, filtered_out: 3, invalid: 1 });
    const total = Object.values(counts.not_texted).reduce((sum, n) => sum + n, 0);
    expect(total + counts.would_text).toBe(counts.audience);
  });

  it('puts the window before invalid and the cap, but after skips that come first', () => {
    const counts = previewCounts(
      [
        { reason: null, time_zone: 'Asia/Tokyo', region: null, n: 4 },
        { reason: 'invalid', time_zone: 'Asia/Tokyo', region: null, n: 1 },
        { reason: 'frequency_capped', time_zone: 'Asia/Tokyo', region: null, n: 2 },
        { reason: 'suppressed', time_zone: 'Asia/Tokyo', region: null, n: 3 },
      ],
      (recipient) => recipient.time_zone !== 'Asia/Tokyo',
      true,
    );
    expect(counts.not_texted).toMatchObject({ outside_window: 7, suppressed: 3, invalid: 0 });
    expect(counts.would_text).toBe(0);
  });

  it('counts those nothing else stops as no_sender when the pool cannot send now', () => {
    const counts = previewCounts(
      [
        { reason: null, time_zone: null, region: null, n: 5 },
        { reason: 'opted_out', time_zone: null, region: null, n: 1 },
      ],
      open,
      false,
    );
    expect(counts.not_texted).toMatchObject({ no_sender: 5, opted_out: 1 });
    expect(counts.would_text).toBe(0);
  });
});

describe('poolCannotSendNow', () => {
  const pool: PoolOptions = {
    sticky_sender: true,
    geomatch: true,
    skip_unhealthy: true,
    long_code_weight: 1,
    toll_free_weight: 1,
    short_code_weight: 1,
  };
  const number = (state: PoolNumber['state']): PoolNumber => ({
    id: '1',
    phone: '+14155550100',
    kind: 'long_code',
    weight: 1,
    state,
    area_code: '415',
    region: 'CA',
    daily_cap: null,
  });

  it('can send with an active or probation number', () => {
    expect(poolCannotSendNow(pool, [number('cooling'), number('probation')])).toBeNull();
  });

  it('cannot while every number cools down, unless unhealthy numbers may be used', () => {
    expect(poolCannotSendNow(pool, [number('cooling')])).toMatch(/cooling down/);
    expect(poolCannotSendNow({ ...pool, skip_unhealthy: false }, [number('cooling')])).toBeNull();
  });

  it('cannot with no numbers', () => {
    expect(poolCannotSendNow(pool, [])).toBe('it has no numbers');
  });
});

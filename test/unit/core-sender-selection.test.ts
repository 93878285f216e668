import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveWeight } from '../../core/sender-pool.ts';
import type { NumberKind, NumberState, PoolNumber, PoolOptions } from '../../core/sender-pool.ts';
import { selectSender, selectSenders } from '../../core/sender-selection.ts';
import type { SelectionRequest, SelectionResult, SenderPick } from '../../core/sender-selection.ts';

const POOL: PoolOptions = {
  sticky_sender: true,
  geomatch: true,
  skip_unhealthy: true,
  long_code_weight: 1,
  toll_free_weight: 1,
  short_code_weight: 1,
};

function num(id: string, extra: Partial<PoolNumber> = {}): PoolNumber {
  return {
    id,
    phone: `+1555000${id.padStart(4, '0')}`,
    kind: 'long_code',
    weight: 1,
    state: 'active',
    area_code: null,
    region: null,
    daily_cap: null,
    ...extra,
  };
}

function contact(id: string, extra: Partial<SelectionRequest> = {}): SelectionRequest {
  return { contactId: id, areaCode: null, region: null, ...extra };
}

function picked(result: SelectionResult): SenderPick {
  if (!result.ok) throw new Error(`expected a pick, got ${result.code}: ${result.message}`);
  return result;
}

const kindArb = fc.constantFrom<NumberKind>('long_code', 'toll_free', 'short_code');
const stateArb = fc.constantFrom<NumberState>('active', 'probation', 'cooling', 'retired');
const areaArb = fc.constantFrom('212', '415', '512', '305');
const regionOf: Record<string, string> = { '212': 'NY', '415': 'CA', '512': 'TX', '305': 'FL' };
const numbersArb = (states: fc.Arbitrary<NumberState>) =>
  fc
    .array(
      fc.record({
        kind: kindArb,
        weight: fc.integer({ min: 0, max: 10 }),
        state: states,
        area: areaArb,
      }),
      { minLength: 1, maxLength: 15 },
    )
    .map((rows) =>
      rows.map((r, i) =>
        num(String(i), {
          kind: r.kind,
          weight: r.weight,
          state: r.state,
          area_code: r.area,
          region: regionOf[r.area] ?? null,
        }),
      ),
    );
const poolArb = fc
  .record({
    long_code_weight: fc.integer({ min: 0, max: 5 }),
    toll_free_weight: fc.integer({ min: 0, max: 5 }),
    short_code_weight: fc.integer({ min: 0, max: 5 }),
    geomatch: fc.boolean(),
  })
  .map((w) => ({ ...POOL, ...w }));

describe('selectSenders: spreading by weight', () => {
  it('matches number × kind × health weights within 2% over 10,000 picks', () => {
    fc.assert(
      fc.property(
        poolArb,
        numbersArb(fc.constantFrom<NumberState>('active', 'probation')),
        (pool, numbers) => {
          const flat = { ...pool, geomatch: false };
          const total = numbers.reduce((s, n) => s + effectiveWeight(flat, n), 0);
          fc.pre(total > 0);
          const requests = Array.from({ length: 10_000 }, (_, i) => contact(`c${i}`));
          const { results } = selectSenders(flat, numbers, requests, {});
          const counts = new Map<string, number>();
          for (const r of results)
            counts.set(picked(r).numberId, (counts.get(picked(r).numberId) ?? 0) + 1);
          for (const n of numbers) {
            const share = (counts.get(n.id) ?? 0) / 10_000;
            expect(Math.abs(share - effectiveWeight(flat, n) / total)).toBeLessThanOrEqual(0.02);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('interleaves evenly instead of clumping (5:1:1 → no run longer than the weights allow)', () => {
    const numbers = [num('a', { weight: 5 }), num('b'), num('c')];
    const { results } = selectSenders(
      { ...POOL, geomatch: false },
      numbers,
      Array.from({ length: 7 }, (_, i) => contact(`c${i}`)),
      {},
    );
    expect(results.map((r) => picked(r).numberId).join('')).toBe('aabacaa');
  });

  it('applies kind weights like Telnyx: long_code 5, toll_free 1 → 5 of every 6', () => {
    const pool = { ...POOL, geomatch: false, long_code_weight: 5, toll_free_weight: 1 };
    const numbers = [num('1'), num('2', { kind: 'toll_free' })];
    const { results } = selectSenders(
      pool,
      numbers,
      Array.from({ length: 600 }, (_, i) => contact(`c${i}`)),
      {},
    );
    expect(results.filter((r) => picked(r).numberId === '1')).toHaveLength(500);
  });

  it('keeps round-robin state across batches', () => {
    const numbers = [num('a'), num('b')];
    let state = {};
    const seen: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const out = selectSender({ ...POOL, geomatch: false }, numbers, contact(`c${i}`), state);
      seen.push(picked(out.result).numberId);
      state = out.state;
    }
    expect(seen.join('')).toBe('ababab');
  });

  it('gives probation numbers reduced weight (0.25 by default, configurable)', () => {
    const numbers = [num('a'), num('b', { state: 'probation' })];
    const run = (pool: PoolOptions) =>
      selectSenders(
        pool,
        numbers,
        Array.from({ length: 1000 }, (_, i) => contact(`c${i}`)),
        {},
      ).results.filter((r) => picked(r).numberId === 'b').length;
    expect(run({ ...POOL, geomatch: false })).toBe(200);
    expect(run({ ...POOL, geomatch: false, probation_factor: 1 })).toBe(500);
  });
});

describe('selectSenders: geomatch', () => {
  it('always chooses a same-area-code number when one is eligible', () => {
    fc.assert(
      fc.property(
        poolArb,
        numbersArb(stateArb),
        fc.array(areaArb, { minLength: 1, maxLength: 50 }),
        (pool, numbers, areas) => {
          const geo = { ...pool, geomatch: true };
          const { results } = selectSenders(
            geo,
            numbers,
            areas.map((a, i) => contact(`c${i}`, { areaCode: a, region: regionOf[a] ?? null })),
            {},
          );
          results.forEach((r, i) => {
            const localEligible = numbers.some(
              (n) => n.area_code === areas[i] && effectiveWeight(geo, n) > 0,
            );
            if (localEligible) {
              const p = picked(r);
              expect(p.reason).toBe('area_code');
              expect(numbers.find((n) => n.id === p.numberId)?.area_code).toBe(areas[i]);
            }
          });
        },
      ),
    );
  });

  it('falls back to same region, then any', () => {
    const numbers = [
      num('ny', { area_code: '212', region: 'NY' }),
      num('ny2', { area_code: '718', region: 'NY' }),
      num('ca', { area_code: '415', region: 'CA' }),
    ];
    const local = picked(
      selectSender(POOL, numbers, contact('1', { areaCode: '718', region: 'NY' }), {}).result,
    );
    expect([local.numberId, local.reason]).toEqual(['ny2', 'area_code']);
    const region = picked(
      selectSender(POOL, numbers, contact('2', { areaCode: '917', region: 'ny' }), {}).result,
    );
    expect(region.reason).toBe('region');
    expect(['ny', 'ny2']).toContain(region.numberId);
    expect(
      picked(
        selectSender(POOL, numbers, contact('3', { areaCode: '305', region: 'FL' }), {}).result,
      ).reason,
    ).toBe('any');
  });
});

describe('selectSenders: stickiness', () => {
  it('keeps a sticky contact on its number until it stops being eligible, then moves to the best other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom<NumberState>('cooling', 'retired'),
        (size, sends, badState) => {
          const numbers = Array.from({ length: size }, (_, i) =>
            num(`n${i}`, { area_code: i % 2 === 0 ? '212' : '415' }),
          );
          const request = contact('c', { areaCode: '212', stickyNumberId: 'n1' });
          let state = {};
          for (let i = 0; i < sends; i += 1) {
            const out = selectSender(POOL, numbers, request, state);
            expect(picked(out.result)).toMatchObject({
              numberId: 'n1',
              reason: 'sticky',
              newRecipient: false,
            });
            state = out.state;
          }
          const broken = numbers.map((n) => (n.id === 'n1' ? { ...n, state: badState } : n));
          const moved = picked(selectSender(POOL, broken, request, state).result);
          expect(moved.numberId).not.toBe('n1');
          expect(moved).toMatchObject({ reason: 'area_code', newRecipient: true });
        },
      ),
    );
  });

  it('ignores the sticky number when sticky_sender is off or the kind weight is 0', () => {
    const numbers = [num('a', { area_code: '212' }), num('b', { kind: 'toll_free' })];
    expect(
      picked(
        selectSender(
          { ...POOL, sticky_sender: false },
          numbers,
          contact('c', { areaCode: '212', stickyNumberId: 'b' }),
          {},
        ).result,
      ).numberId,
    ).toBe('a');
    expect(
      picked(
        selectSender(
          { ...POOL, toll_free_weight: 0 },
          numbers,
          contact('c', { stickyNumberId: 'b' }),
          {},
        ).result,
      ).numberId,
    ).toBe('a');
  });

  it('leaves from a different number on retry (excludeNumberIds), sticky included', () => {
    const numbers = [num('a'), num('b')];
    const p = picked(
      selectSender(
        POOL,
        numbers,
        contact('c', { stickyNumberId: 'a', excludeNumberIds: ['a'] }),
        {},
      ).result,
    );
    expect(p.numberId).toBe('b');
    const none = selectSender(
      POOL,
      numbers,
      contact('c', { excludeNumberIds: ['a', 'b'] }),
      {},
    ).result;
    expect(none).toMatchObject({ ok: false, code: 'no_eligible_numbers' });
  });
});

describe('selectSenders: health and errors', () => {
  it('never chooses a cooling or retired number while skip_unhealthy is on', () => {
    fc.assert(
      fc.property(
        poolArb,
        numbersArb(stateArb),
        fc.array(fc.option(areaArb, { nil: null }), { maxLength: 30 }),
        (pool, numbers, areas) => {
          const requests = areas.map((a, i) =>
            contact(`c${i}`, {
              areaCode: a,
              stickyNumberId: numbers[i % numbers.length]?.id ?? null,
            }),
          );
          for (const r of selectSenders(pool, numbers, requests, {}).results) {
            if (!r.ok) continue;
            expect(['active', 'probation']).toContain(
              numbers.find((n) => n.id === r.numberId)?.state,
            );
          }
        },
      ),
    );
  });

  it('fails rather than use an unhealthy number when all are unhealthy', () => {
    const numbers = [
      num('a', { state: 'cooling' }),
      num('b', { state: 'cooling' }),
      num('c', { state: 'retired' }),
    ];
    const result = selectSender(POOL, numbers, contact('c'), {}).result;
    expect(result).toMatchObject({ ok: false, code: 'all_unhealthy' });
    expect(result.ok ? '' : result.message).toMatch(/unhealthy/);
    const fallback = picked(
      selectSender({ ...POOL, skip_unhealthy: false }, numbers, contact('c'), {}).result,
    );
    expect(fallback).toMatchObject({ unhealthyFallback: true });
    expect(['a', 'b']).toContain(fallback.numberId);
  });

  it('reports an empty pool and a from_number outside it with the documented texts', () => {
    expect(selectSender(POOL, [], contact('c'), {}).result).toMatchObject({
      ok: false,
      code: 'no_numbers',
      message: 'No numbers assigned to this pool',
    });
    expect(
      selectSender(POOL, [num('r', { state: 'retired' })], contact('c'), {}).result,
    ).toMatchObject({ code: 'no_numbers' });
    expect(
      selectSender(POOL, [num('a')], contact('c', { fromNumber: '+19999999999' }), {}).result,
    ).toMatchObject({
      ok: false,
      code: 'from_number_not_owned',
      message: 'This API key does not own the specified from_number',
    });
    const explicit = picked(
      selectSender(POOL, [num('a'), num('b')], contact('c', { fromNumber: num('b').phone }), {})
        .result,
    );
    expect(explicit).toMatchObject({ numberId: 'b', reason: 'explicit' });
  });

  it('skips a number at its daily cap for new contacts but keeps serving its sticky ones', () => {
    const numbers = [
      num('a', { daily_cap: 2, new_recipients_today: 1 }),
      num('b', { weight: 0.001 }),
    ];
    const requests = [
      contact('1'),
      contact('2'),
      contact('3'),
      contact('old', { stickyNumberId: 'a' }),
    ];
    const batch = selectSenders({ ...POOL, geomatch: false }, numbers, requests, {});
    expect(batch.results.map((r) => picked(r).numberId)).toEqual(['a', 'b', 'b', 'a']);
    expect(batch.newRecipientsToday).toEqual({ a: 2, b: 2 });
    const capped = selectSenders(POOL, [num('a', { daily_cap: 0 })], [contact('x')], {}).results[0];
    expect(capped).toMatchObject({ ok: false, code: 'daily_cap_reached' });
  });
});

describe('selectSenders: a large pool', () => {
  // Its speed is measured by `npm run bench -- select` (pure_selection), not timed here.
  it('assigns 20,000 contacts in a 1,000-number pool, each to a number', () => {
    const areas = Array.from({ length: 100 }, (_, i) => String(200 + i));
    const numbers = Array.from({ length: 1000 }, (_, i) =>
      num(String(i), {
        area_code: areas[i % 100] ?? null,
        region: `R${i % 10}`,
        weight: 1 + (i % 3),
      }),
    );
    const requests = Array.from({ length: 20_000 }, (_, i) =>
      contact(`c${i}`, {
        areaCode: i % 4 === 0 ? '999' : (areas[i % 100] ?? null),
        region: i % 8 === 0 ? 'ZZ' : `R${i % 10}`,
      }),
    );
    const { results } = selectSenders(POOL, numbers, requests, {});
    expect(results).toHaveLength(20_000);
    expect(results.every((r) => r.ok)).toBe(true);
    const local = results.filter((r) => r.ok && r.reason === 'area_code').length;
    // Three contacts in four have an area code the pool holds.
    expect(local).toBe(15_000);
  });
});

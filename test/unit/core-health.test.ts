import { describe, expect, it } from 'vitest';
import {
  attribute,
  DEFAULT_HEALTH_POLICY,
  evaluateHealth,
  healthStats,
} from '../../core/health.ts';
import type { HealthPolicy, Outcome } from '../../core/health.ts';

const HOUR = 3_600_000;
const policy: HealthPolicy = {
  ...DEFAULT_HEALTH_POLICY,
  minSamples: 50,
  threshold: 0.8,
  coolDownMs: 2 * HOUR,
  probationGoodOutcomes: 10,
  probationMs: 6 * HOUR,
  probationMinSamples: 5,
};
const NOW = 100 * HOUR;

function outcomes(
  count: number,
  make: (i: number) => Omit<Outcome, 'at'>,
  at = NOW - HOUR,
): Outcome[] {
  return Array.from({ length: count }, (_, i) => ({ at, ...make(i) }));
}
const delivered = (): Omit<Outcome, 'at'> => ({ status: 'delivered', errorCode: null });
const failed = (code: number) => (): Omit<Outcome, 'at'> => ({
  status: 'undelivered',
  errorCode: code,
});

describe('attribution', () => {
  it.each([
    [30007, 'bad'],
    [30034, 'bad'],
    [30032, 'bad'],
    [30005, 'ignored'],
    [30006, 'ignored'],
    [21610, 'ignored'],
    [21211, 'ignored'],
    [21614, 'ignored'],
    [30003, 'ignored'],
  ] as const)('error %i is %s', (code, verdict) => {
    expect(attribute({ at: 0, status: 'undelivered', errorCode: code }, policy)).toBe(verdict);
  });

  it('counts delivered as good and uncoded failures only when configured', () => {
    expect(attribute({ at: 0, status: 'delivered', errorCode: null }, policy)).toBe('good');
    expect(attribute({ at: 0, status: 'failed', errorCode: null }, policy)).toBe('ignored');
    expect(
      attribute(
        { at: 0, status: 'failed', errorCode: null },
        { ...policy, attributeUncodedFailures: true },
      ),
    ).toBe('bad');
  });

  it('computes the rate over attributable outcomes inside the window only', () => {
    const list = [
      ...outcomes(6, delivered),
      ...outcomes(2, failed(30007)),
      ...outcomes(50, failed(30006)),
      ...outcomes(10, failed(30007), NOW - 30 * HOUR),
    ];
    expect(healthStats(list, NOW - 24 * HOUR, NOW, policy)).toEqual({
      delivered: 6,
      samples: 8,
      rate: 0.75,
      failuresByCode: { '30007': 2 },
    });
  });

  it('counts a grouped outcome as many as it stands for, the same as the outcomes one by one', () => {
    const oneByOne = [...outcomes(6, delivered), ...outcomes(3, failed(30007))];
    const grouped: Outcome[] = [
      { at: NOW - HOUR, status: 'delivered', errorCode: null, count: 6 },
      { at: NOW - HOUR, status: 'undelivered', errorCode: 30007, count: 3 },
      { at: NOW - 30 * HOUR, status: 'undelivered', errorCode: 30007, count: 40 },
    ];
    expect(healthStats(grouped, NOW - 24 * HOUR, NOW, policy)).toEqual(
      healthStats(oneByOne, NOW - 24 * HOUR, NOW, policy),
    );
  });
});

describe('evaluateHealth', () => {
  it('cools an active number whose attributable delivery rate drops below the threshold', () => {
    const list = [
      ...outcomes(6, delivered),
      ...outcomes(44, failed(30007)),
      ...outcomes(100, failed(30006)),
    ];
    const { transition } = evaluateHealth({ state: 'active', since: 0 }, list, NOW, policy);
    expect(transition).toEqual({
      from: 'active',
      to: 'cooling',
      reason:
        'delivery rate 12% over last 50 sender-attributable messages (44× 30007 Carrier filtering: message flagged as spam from this sender) is below 80%',
    });
  });

  it('does not judge without enough samples, nor on recipient-side failures', () => {
    expect(
      evaluateHealth({ state: 'active', since: 0 }, outcomes(49, failed(30007)), NOW, policy)
        .transition,
    ).toBeNull();
    const recipientSide = [
      ...outcomes(10, delivered),
      ...outcomes(200, (i) => ({
        status: 'undelivered',
        errorCode: [30005, 30006, 21610, 21211][i % 4] ?? null,
      })),
    ];
    expect(
      evaluateHealth({ state: 'active', since: 0 }, recipientSide, NOW, policy).transition,
    ).toBeNull();
  });

  it('ignores outcomes from before the number became active again', () => {
    const old = outcomes(60, failed(30007), NOW - 3 * HOUR);
    expect(
      evaluateHealth({ state: 'active', since: NOW - 2 * HOUR }, old, NOW, policy).transition,
    ).toBeNull();
  });

  it('moves cooling → probation after the cool-down, not before', () => {
    expect(
      evaluateHealth({ state: 'cooling', since: NOW - HOUR }, [], NOW, policy).transition,
    ).toBeNull();
    expect(
      evaluateHealth({ state: 'cooling', since: NOW - 2 * HOUR }, [], NOW, policy).transition,
    ).toEqual({
      from: 'cooling',
      to: 'probation',
      reason: 'cool-down of 2h ended; back on probation at reduced weight',
    });
  });

  it('ends probation after enough good outcomes, or after a clean period', () => {
    const since = NOW - 2 * HOUR;
    expect(
      evaluateHealth({ state: 'probation', since }, outcomes(9, delivered), NOW, policy).transition,
    ).toBeNull();
    expect(
      evaluateHealth({ state: 'probation', since }, outcomes(10, delivered), NOW, policy)
        .transition,
    ).toMatchObject({
      to: 'active',
      reason: 'probation passed: 10 delivered of 10 sender-attributable messages',
    });
    expect(
      evaluateHealth({ state: 'probation', since: NOW - 6 * HOUR }, [], NOW, policy).transition,
    ).toMatchObject({
      to: 'active',
      reason: 'probation of 6h passed cleanly (no sender-attributable messages)',
    });
  });

  it('sends a failing number on probation back to cooling', () => {
    const list = [...outcomes(2, delivered), ...outcomes(3, failed(30034))];
    const { transition } = evaluateHealth(
      { state: 'probation', since: NOW - 2 * HOUR },
      list,
      NOW,
      policy,
    );
    expect(transition).toMatchObject({ from: 'probation', to: 'cooling' });
    expect(transition?.reason).toMatch(
      /^on probation: delivery rate 40% over last 5 sender-attributable messages \(3× 30034 /,
    );
  });

  it('leaves retired numbers alone', () => {
    expect(
      evaluateHealth({ state: 'retired', since: 0 }, outcomes(100, failed(30007)), NOW, policy)
        .transition,
    ).toBeNull();
  });
});

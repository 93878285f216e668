import { describe, expect, it } from 'vitest';
import { campaignStall, type StallInput } from '../../core/campaign-stall.ts';
import { classifyFailure, retryDecision, TWILIO_ERRORS } from '../../core/carrier-errors.ts';
import { poolCannotSend } from '../../core/pool-readiness.ts';
import type { PoolNumber, PoolOptions } from '../../core/sender-pool.ts';
import { selectSenders } from '../../core/sender-selection.ts';
import { httpErrorAnswer, settle } from '../../core/send-outcome.ts';
import {
  dominantWaitReason,
  failureWaitReason,
  noSenderWaitReason,
} from '../../core/wait-reason.ts';

const POOL: PoolOptions = {
  sticky_sender: true,
  geomatch: true,
  skip_unhealthy: true,
  long_code_weight: 1,
  toll_free_weight: 1,
  short_code_weight: 1,
};

const num = (id: string, extra: Partial<PoolNumber> = {}): PoolNumber => ({
  id,
  phone: `+1206555${id.padStart(4, '0')}`,
  kind: 'long_code',
  weight: 1,
  state: 'active',
  area_code: null,
  region: null,
  daily_cap: null,
  ...extra,
});

const policy = { max_attempts: 1, backoff_seconds: 60 };
const now = new Date('2026-11-29T12:00:00Z');

describe('a sender the carrier refuses (21606 / 21212 class)', () => {
  it.each([21212, 21606, 21659, 21660, 21661])('%i blames the number, not the message', (code) => {
    expect(classifyFailure({ kind: 'twilio_error', code }).class).toBe('misconfigured_sender');
    // Even past the policy's attempts: the message waits for another number at once.
    expect(retryDecision({ kind: 'twilio_error', code }, 5, policy)).toMatchObject({
      action: 'retry',
      delayMs: 0,
      differentNumber: true,
    });
  });

  it('settles as a deferred message that names the number to take out of the pool', () => {
    const carrierWords =
      'The From phone number +12065550001 is not a valid, SMS-capable inbound phone number or short code for your account.';
    const settled = settle(httpErrorAnswer(400, 21606, carrierWords), {
      attemptsBefore: 0,
      policy,
      now,
      resolveAfterMs: 10_000,
    });
    expect(settled).toMatchObject({
      status: 'pending',
      final: false,
      attempted: true,
      errorCode: 21606,
      waitReason: 'number_misconfigured',
      misconfiguredSender: { errorCode: 21606, reason: carrierWords },
    });
    expect(settled.nextAttemptAt).toEqual(now);
    const wordless = settle(httpErrorAnswer(400, 21606), {
      attemptsBefore: 0,
      policy,
      now,
      resolveAfterMs: 10_000,
    });
    expect(wordless.misconfiguredSender).toEqual({
      errorCode: 21606,
      reason: TWILIO_ERRORS.get(21606)?.reason,
    });
  });

  it('is not what other refusals settle as', () => {
    const options = { attemptsBefore: 0, policy: { max_attempts: 3, backoff_seconds: 1 }, now };
    const limited = settle(httpErrorAnswer(429, 20429), { ...options, resolveAfterMs: 1 });
    expect(limited).toMatchObject({ waitReason: 'rate_limited', misconfiguredSender: null });
    const invalidTo = settle(httpErrorAnswer(400, 21211), { ...options, resolveAfterMs: 1 });
    expect(invalidTo).toMatchObject({ status: 'failed', waitReason: null });
    const lost = settle(httpErrorAnswer(503, null), { ...options, resolveAfterMs: 1 });
    expect(lost).toMatchObject({ status: 'unknown', waitReason: 'carrier_unknown_outcome' });
  });

  it('leaves selection with a reason of its own once every number left is misconfigured', () => {
    const pool = [num('1', { state: 'misconfigured' }), num('2', { state: 'misconfigured' })];
    const request = { contactId: 'c', areaCode: null, region: null, excludeNumberIds: ['1'] };
    const [result] = selectSenders(POOL, pool, [request], {}).results;
    expect(result).toMatchObject({ ok: false, code: 'all_misconfigured' });
    expect(noSenderWaitReason('all_misconfigured')).toBe('number_misconfigured');
    // A healthy number left: it is chosen; only cooling ones left: a plain lack of senders.
    const mixed = [num('1', { state: 'misconfigured' }), num('2')];
    expect(selectSenders(POOL, mixed, [request], {}).results[0]).toMatchObject({
      ok: true,
      numberId: '2',
    });
    const cooling = [num('1', { state: 'misconfigured' }), num('2', { state: 'cooling' })];
    const blocked = selectSenders(POOL, cooling, [request], {}).results[0];
    expect(blocked).toMatchObject({ ok: false, code: 'all_unhealthy' });
    expect(noSenderWaitReason('all_unhealthy')).toBe('no_sender');
  });
});

describe('wait reasons', () => {
  it('follow the failure', () => {
    expect(failureWaitReason({ kind: 'http', provider: 'twilio', status: 429 })).toBe(
      'rate_limited',
    );
    expect(failureWaitReason({ kind: 'network', detail: 'ECONNREFUSED' })).toBe(
      'carrier_unreachable',
    );
    expect(failureWaitReason({ kind: 'twilio_error', code: 30003 })).toBe('retry_backoff');
    expect(failureWaitReason({ kind: 'twilio_error', code: 21606 })).toBe('number_misconfigured');
  });

  it('the dominant one has the most messages, ties to the first listed', () => {
    expect(dominantWaitReason({})).toBeNull();
    expect(dominantWaitReason({ quiet_hours: 2, number_misconfigured: 5 })).toBe(
      'number_misconfigured',
    );
    expect(dominantWaitReason({ no_sender: 3, quiet_hours: 3 })).toBe('quiet_hours');
  });
});

describe('a stalled campaign', () => {
  const base: StallInput = {
    status: 'running',
    unsent: 4,
    lastProgressAt: new Date(now.getTime() - 400_000),
    launchedAt: new Date(now.getTime() - 500_000),
    waiting: {
      number_misconfigured: { count: 3, deferredUntil: new Date(now.getTime() + 60_000) },
      quiet_hours: { count: 1, deferredUntil: new Date(now.getTime() + 3_600_000) },
    },
    now,
    stallMs: 300_000,
  };

  it('says since when and why most of its messages wait', () => {
    expect(campaignStall(base)).toEqual({
      since: base.lastProgressAt,
      reason: 'number_misconfigured',
      waiting: 3,
      deferredUntil: new Date(now.getTime() + 60_000),
    });
  });

  it('counts from the launch when nothing was ever sent, and names no reason when none is stored', () => {
    const never = { ...base, lastProgressAt: null, waiting: {} };
    expect(campaignStall(never)).toMatchObject({
      since: base.launchedAt,
      reason: 'no_progress',
      waiting: 4,
    });
  });

  it('is not stalled while progressing, finished with sending, or not running', () => {
    expect(campaignStall({ ...base, lastProgressAt: new Date(now.getTime() - 1000) })).toBeNull();
    expect(campaignStall({ ...base, unsent: 0 })).toBeNull();
    expect(campaignStall({ ...base, status: 'paused' })).toBeNull();
  });
});

describe('a pool that can never send', () => {
  it('is one with no numbers, or only retired, misconfigured or zero-weight ones', () => {
    expect(poolCannotSend(POOL, [])).toBe('it has no numbers');
    expect(
      poolCannotSend(POOL, [
        num('1', { state: 'misconfigured' }),
        num('2', { state: 'retired' }),
        num('3', { state: 'misconfigured' }),
        num('4', { weight: 0 }),
      ]),
    ).toBe('none of its 4 numbers can send (2 misconfigured, 1 retired, 1 weight 0)');
    expect(
      poolCannotSend({ ...POOL, toll_free_weight: 0 }, [num('1', { kind: 'toll_free' })]),
    ).toBe('none of its 1 numbers can send (1 toll_free weight 0 in the pool)');
  });

  it('is not one whose numbers are only cooling down', () => {
    expect(poolCannotSend(POOL, [num('1', { state: 'cooling' })])).toBeNull();
    expect(poolCannotSend(POOL, [num('1', { state: 'retired' }), num('2')])).toBeNull();
  });
});

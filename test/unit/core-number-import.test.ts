import { describe, expect, it } from 'vitest';
import { decideImport, type ListedNumber } from '../../core/number-import.ts';
import { detectNumberKind } from '../../core/number-kind.ts';

describe('detectNumberKind', () => {
  it.each([
    ['+14155550100', 'long_code'],
    ['+12125550100', 'long_code'],
    ['+442071838750', 'long_code'],
    ['+18005550100', 'toll_free'],
    ['+18335550100', 'toll_free'],
    ['+18445550100', 'toll_free'],
    ['+18555550100', 'toll_free'],
    ['+18665550100', 'toll_free'],
    ['+18775550100', 'toll_free'],
    ['+18885550100', 'toll_free'],
    // 8YY codes that are not (yet) toll-free, and a toll-free-looking number outside NANP.
    ['+18225550100', 'long_code'],
    ['+18805550100', 'long_code'],
    ['+448005550100', 'long_code'],
    ['12345', 'short_code'],
    ['898211', 'short_code'],
    ['+1415', null],
    ['not a number', null],
  ] as const)('%s is %s', (phone, kind) => {
    expect(detectNumberKind(phone)).toBe(kind);
  });
});

describe('decideImport', () => {
  const POOL = 'pool-a';
  const URL = 'https://tandem.example.com/webhooks/twilio/inbound';
  const listed = (overrides: Partial<ListedNumber> = {}): ListedNumber => ({
    sid: 'PN1',
    phone: '+14155550100',
    smsCapable: true,
    smsUrl: '',
    smsMethod: 'POST',
    ...overrides,
  });

  it('adds an SMS-capable number with its kind and sets its webhook', () => {
    expect(decideImport(listed({ phone: '+18885550100' }), POOL, new Map(), URL)).toEqual({
      action: 'add',
      kind: 'toll_free',
      setWebhook: true,
    });
  });

  it('leaves a webhook that is already right alone, but not one with the wrong method', () => {
    expect(decideImport(listed({ smsUrl: URL }), POOL, new Map(), URL)).toMatchObject({
      setWebhook: false,
    });
    expect(
      decideImport(listed({ smsUrl: URL, smsMethod: 'GET' }), POOL, new Map(), URL),
    ).toMatchObject({ setWebhook: true });
  });

  it('keeps a number already in the pool, and leaves one of another pool where it is', () => {
    const owners = new Map([
      ['+14155550100', POOL],
      ['+14155550101', 'pool-b'],
    ]);
    expect(decideImport(listed({ smsUrl: URL }), POOL, owners, URL)).toEqual({
      action: 'keep',
      kind: 'long_code',
      setWebhook: false,
    });
    expect(decideImport(listed({ phone: '+14155550101' }), POOL, owners, URL)).toEqual({
      action: 'in_other_pool',
      poolId: 'pool-b',
    });
  });

  it('skips numbers that cannot send SMS', () => {
    expect(decideImport(listed({ smsCapable: false }), POOL, new Map(), URL)).toEqual({
      action: 'skip',
      reason: 'not_sms_capable',
    });
  });
});

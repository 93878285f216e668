import { describe, expect, it } from 'vitest';
import {
  API_KEY_SCOPES,
  apiKeyFromBytes,
  apiKeyHash,
  apiKeyPrefix,
  isGeneratedKey,
  lastUseIsStale,
  requiredScope,
  scopeGrants,
} from '../../core/api-keys.ts';
import { RecentSet } from '../../core/recent-set.ts';

describe('API key scopes', () => {
  it('GETs need read, listed sending routes send, everything else admin', () => {
    expect(requiredScope('GET', '/v1/campaigns/:id')).toBe('read');
    expect(requiredScope('HEAD', '/v1/campaigns')).toBe('read');
    expect(requiredScope('GET', '/v1/api-keys')).toBe('admin');
    expect(requiredScope('POST', '/v1/messages')).toBe('send');
    expect(requiredScope('POST', '/v1/campaigns/:id/launch')).toBe('send');
    expect(requiredScope('POST', '/v1/conversations/:contact/messages')).toBe('send');
    expect(requiredScope('POST', '/v1/contacts/:contact/opt-out')).toBe('send');
    expect(requiredScope('POST', '/v1/contacts/:contact/opt-in')).toBe('admin');
    expect(requiredScope('POST', '/v1/pools')).toBe('admin');
    expect(requiredScope('DELETE', '/v1/audiences/:id')).toBe('admin');
    expect(requiredScope('POST', '/v1/a-route-nobody-listed')).toBe('admin');
  });

  it('orders scopes read < send < admin', () => {
    const grants = API_KEY_SCOPES.map((held) =>
      API_KEY_SCOPES.map((needed) => scopeGrants(held, needed)),
    );
    expect(grants).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });
});

describe('API key secrets', () => {
  it('a generated key is tdm_ and 43 base64url characters; its prefix keeps 8 of them', () => {
    const key = apiKeyFromBytes(new Uint8Array(32).fill(251));
    expect(key).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(isGeneratedKey(key)).toBe(true);
    expect(apiKeyPrefix(key)).toBe(key.slice(0, 12));
    expect(isGeneratedKey('tandem-dev-key')).toBe(false);
    expect(isGeneratedKey(`${key}x`)).toBe(false);
    expect(() => apiKeyFromBytes(new Uint8Array(16))).toThrow(RangeError);
  });

  it('hashes with SHA-256', () => {
    expect(apiKeyHash('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('records a use at most once a minute', () => {
    const at = new Date('2026-12-07T12:00:00Z');
    expect(lastUseIsStale(null, at)).toBe(true);
    expect(lastUseIsStale(new Date('2026-12-07T11:59:01Z'), at)).toBe(false);
    expect(lastUseIsStale(new Date('2026-12-07T11:59:00Z'), at)).toBe(true);
  });
});

describe('RecentSet', () => {
  it('forgets an entry after its time to live, and the least recently added past capacity', () => {
    const recent = new RecentSet(2, 1_000);
    recent.add('a', 0);
    recent.add('b', 100);
    expect(recent.has('a', 999)).toBe(true);
    expect(recent.has('a', 1_000)).toBe(false);
    recent.add('a', 1_000);
    recent.add('c', 1_100);
    expect(recent.size).toBe(2);
    expect(recent.has('b', 1_100)).toBe(false);
    expect(recent.has('a', 1_100)).toBe(true);
    expect(recent.has('c', 1_100)).toBe(true);
  });
});

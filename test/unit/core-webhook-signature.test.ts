import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endpointProblem } from '../../core/webhook-contracts.ts';
import {
  verifyWebhookSignature,
  webhookBody,
  webhookSignature,
} from '../../core/webhook-signature.ts';

const secret = 'whsec_test-secret';
const body =
  '{"id":"evt_1","type":"contact.opted_out","created_at":"2026-12-05T07:00:00.000Z","data":{}}';

describe('webhook signatures', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const expected = createHmac('sha256', secret).update(`1764918000.${body}`).digest('hex');
    expect(webhookSignature(secret, 1764918000, body)).toBe(`v1=${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies what it signed, within the tolerance', () => {
    const signature = webhookSignature(secret, 1000, body);
    expect(verifyWebhookSignature(secret, { signature, timestamp: '1000', body }, 1200)).toEqual({
      ok: true,
    });
    expect(verifyWebhookSignature(secret, { signature, timestamp: '1000', body }, 1301)).toEqual({
      ok: false,
      reason: 'too_old',
    });
  });

  it('refuses another body, secret or timestamp, and missing or malformed headers', () => {
    const signature = webhookSignature(secret, 1000, body);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[1]>, key = secret) =>
      verifyWebhookSignature(key, { signature, timestamp: '1000', body, ...over }, 1000);
    expect(check({ body: body.replace('evt_1', 'evt_2') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({}, 'whsec_other')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ timestamp: '1001' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ signature: 'v1=abc' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ timestamp: '1e3' })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts any of several signatures (a secret being rolled)', () => {
    const signature = `v1=${'0'.repeat(64)}, ${webhookSignature(secret, 1000, body)}`;
    expect(verifyWebhookSignature(secret, { signature, timestamp: '1000', body }, 1000)).toEqual({
      ok: true,
    });
  });

  it('builds the same body for the same event every time', () => {
    const event = {
      id: 'evt_1',
      type: 'campaign.completed',
      createdAt: new Date('2026-12-05T07:00:00Z'),
      data: { campaign: { id: 'c1' } },
    };
    expect(webhookBody(event)).toBe(webhookBody({ ...event }));
    expect(JSON.parse(webhookBody(event))).toEqual({
      id: 'evt_1',
      type: 'campaign.completed',
      created_at: '2026-12-05T07:00:00.000Z',
      data: { campaign: { id: 'c1' } },
    });
  });
});

describe('webhook endpoint rules', () => {
  it('takes an http(s) URL and known events', () => {
    expect(
      endpointProblem({ url: 'https://example.com/hook', events: ['contact.opted_out'] }),
    ).toBeNull();
    expect(
      endpointProblem({ url: 'http://127.0.0.1:9/x', events: ['campaign.completed'] }),
    ).toBeNull();
  });

  it('names what is wrong', () => {
    expect(endpointProblem({ url: 'ftp://example.com', events: ['contact.opted_out'] })?.code).toBe(
      'invalid_url',
    );
    expect(endpointProblem({ url: 'not a url', events: ['contact.opted_out'] })?.code).toBe(
      'invalid_url',
    );
    expect(endpointProblem({ url: 'https://example.com', events: [] })?.code).toBe('no_events');
    const unknown = endpointProblem({
      url: 'https://example.com',
      events: ['contact.opted_out', 'contact.opted_in'],
    });
    expect(unknown).toMatchObject({ code: 'unknown_event', event: 'contact.opted_in' });
    expect(unknown?.message).toContain('"contact.opted_in"');
  });
});

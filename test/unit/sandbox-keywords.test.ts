import { describe, expect, it } from 'vitest';
import { verifyBlooioWebhook } from '../../core/blooio-signature.ts';
import { classifyReply } from '../../core/keywords.ts';
import { isCarrierKeyword } from '../../core/reply-plan.ts';
import { blooioSignature } from '../../sandbox/blooio/signature.ts';
import {
  keywordEffect,
  TWILIO_DEFAULT_OPT_IN,
  TWILIO_DEFAULT_OPT_OUT,
} from '../../sandbox/twilio/keywords.ts';

// The sandbox keeps its own copy of what the carriers document; these tests hold tandem to it.
describe("the sandbox's carrier rules, checked against tandem", () => {
  it('blocks on exactly one documented keyword, in any case', () => {
    expect(keywordEffect(' stop ')).toBe('opt-out');
    expect(keywordEffect('OptOut')).toBe('opt-out');
    expect(keywordEffect('unstop')).toBe('opt-in');
    expect(keywordEffect('STOP PLEASE')).toBeNull();
    expect(keywordEffect('HELP')).toBeNull();
  });

  it.each([...TWILIO_DEFAULT_OPT_OUT])('tandem opts the contact out on %s', (keyword) => {
    expect(classifyReply(keyword).kind).toBe('opt_out');
    expect(classifyReply(keyword.toLowerCase()).kind).toBe('opt_out');
    expect(isCarrierKeyword(keyword)).toBe(true);
  });

  it.each([...TWILIO_DEFAULT_OPT_IN])('tandem knows Twilio answers %s itself', (keyword) => {
    expect(isCarrierKeyword(keyword)).toBe(true);
  });

  it("tandem accepts the sandbox's Blooio signature, and only for the same body", () => {
    const body = JSON.stringify({ event: 'message.received', text: 'héllo' });
    const header = blooioSignature('whsec_test', body, 1_735_324_800);
    const check = (rawBody: string) =>
      verifyBlooioWebhook({ secret: 'whsec_test', rawBody, header, nowSeconds: 1_735_324_810 });
    expect(check(body)).toEqual({ ok: true, timestamp: 1_735_324_800 });
    expect(check(`${body} `)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

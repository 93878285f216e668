import { describe, expect, it } from 'vitest';
import { twimlResponse } from '../../core/twiml.ts';
import { parseMessagingTwiml } from '../../sandbox/twilio/twiml.ts';

describe("the sandbox's TwiML reader", () => {
  it("reads tandem's answers back: the body, unescaped, and the action URL", () => {
    expect(parseMessagingTwiml(twimlResponse(null))).toEqual({ ok: true, messages: [] });
    const text = 'Tom & "Jerry" <3 it\'s';
    const action = 'https://api.example/webhooks/twilio/auto-reply/SM1/status?a=1&b=2';
    expect(parseMessagingTwiml(twimlResponse(text, { action }))).toEqual({
      ok: true,
      messages: [{ body: text, attributes: { action } }],
    });
  });

  it('reads <Body> children, several verbs, comments, CDATA and character references', () => {
    const xml = `<?xml version="1.0"?>
      <!-- two answers -->
      <Response>
        <Message to="+14155550100" statusCallback='/status'><Body>Hi &#x1F600; &#39;you&#39;</Body><Media>https://x/y.png</Media></Message>
        <Message><![CDATA[a < b]]></Message>
      </Response>`;
    expect(parseMessagingTwiml(xml)).toEqual({
      ok: true,
      messages: [
        { body: "Hi 😀 'you'", attributes: { to: '+14155550100', statusCallback: '/status' } },
        { body: 'a < b', attributes: {} },
      ],
    });
  });

  it('refuses what Twilio would not read', () => {
    for (const xml of [
      '',
      'Hello',
      '<Reply><Message>x</Message></Reply>',
      '<Response><Message>x</Response>',
      '<Response><Message>a & b</Message></Response>',
      '<Response><Message>&nbsp;</Message></Response>',
      '<Response><Say>x</Say></Response>',
      '<Response>loose text</Response>',
      '<Response><Message a="1" a="2">x</Message></Response>',
      '<Response/><Response/>',
    ]) {
      expect(parseMessagingTwiml(xml).ok, xml).toBe(false);
    }
  });
});

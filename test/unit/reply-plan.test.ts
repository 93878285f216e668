import { describe, expect, it } from 'vitest';
import { renderFollowup } from '../../core/followup-text.ts';
import { classifyReply } from '../../core/keywords.ts';
import { isCarrierKeyword, planReply, type ReplyContext } from '../../core/reply-plan.ts';
import { twimlResponse } from '../../core/twiml.ts';

const settings = {
  defaultHelpText: 'Default help',
  optOutConfirmation: 'Unsubscribed.',
  optInConfirmation: 'Subscribed.',
};
const sms: ReplyContext = {
  optedOut: false,
  helpText: null,
  followup: 'ready',
  carrierConfirms: true,
};
const plan = (body: string, context: Partial<ReplyContext> = {}) =>
  planReply(body, classifyReply(body), { ...sms, ...context }, settings);

describe('planReply', () => {
  it('opts out on STOP without a second confirmation (the carrier sends its own)', () => {
    expect(plan('STOP')).toEqual({
      optOut: true,
      optIn: false,
      handOff: false,
      handoffSkipped: null,
      reply: null,
    });
    expect(plan('stop')).toMatchObject({ optOut: true, reply: null });
  });

  it('confirms a natural opt-out once, and over iMessage where no carrier confirms', () => {
    expect(plan('please stop texting me')).toMatchObject({ optOut: true, reply: 'Unsubscribed.' });
    expect(plan('please stop texting me', { optedOut: true })).toMatchObject({ reply: null });
    expect(plan('STOP', { carrierConfirms: false })).toMatchObject({ reply: 'Unsubscribed.' });
  });

  it("answers HELP with the campaign's text, else the default", () => {
    expect(plan('HELP', { helpText: 'Campaign help' }).reply).toBe('Campaign help');
    expect(plan('info').reply).toBe('Default help');
  });

  it('hands off interest, re-subscribing an opted-out contact only on a bare YES', () => {
    expect(plan('Yes please')).toMatchObject({ handOff: true, optIn: false });
    expect(plan('YES', { optedOut: true })).toMatchObject({ handOff: true, optIn: true });
    expect(plan('yes please', { optedOut: true })).toMatchObject({
      handOff: false,
      optIn: false,
      handoffSkipped: 'opted_out',
    });
  });

  it('says why an interested reply is not handed off', () => {
    expect(plan('YES')).toMatchObject({ handOff: true, handoffSkipped: null });
    for (const followup of ['no_followup_pool', 'no_campaign', 'unknown_contact'] as const) {
      expect(plan('YES', { followup })).toMatchObject({ handOff: false, handoffSkipped: followup });
    }
    expect(plan('HELP', { followup: 'no_followup_pool' }).handoffSkipped).toBeNull();
  });

  it('opts in on START only when opted out, and leaves other text alone', () => {
    expect(plan('START', { optedOut: true })).toMatchObject({ optIn: true, reply: null });
    expect(plan('START')).toMatchObject({ optIn: false });
  });

  it('confirms an opt-in the carrier does not confirm, once, over SMS', () => {
    expect(plan('start please', { optedOut: true })).toMatchObject({
      optIn: true,
      reply: 'Subscribed.',
    });
    expect(plan('start please')).toMatchObject({ optIn: false, reply: null });
    expect(plan('start please', { optedOut: true, carrierConfirms: false }).reply).toBeNull();
    expect(plan('who is this?')).toEqual({
      optOut: false,
      optIn: false,
      handOff: false,
      handoffSkipped: null,
      reply: null,
    });
  });

  it("knows Twilio's own keywords", () => {
    expect(['STOP', ' unsubscribe ', 'Start', 'YES'].every(isCarrierKeyword)).toBe(true);
    expect(isCarrierKeyword('stop texting me')).toBe(false);
  });
});

describe('TwiML and follow-up texts', () => {
  it('escapes the message', () => {
    expect(twimlResponse('Tom & "Jerry" <3')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Tom &amp; &quot;Jerry&quot; &lt;3</Message></Response>',
    );
    expect(twimlResponse(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('renders the number people should text, and tolerates missing attributes', () => {
    expect(renderFollowup('Text us at {{number}}!', {}, '+14155550101')).toBe(
      'Text us at (415) 555-0101!',
    );
    expect(renderFollowup('Or at {{followup_number}}.', {}, '+14155550101')).toBe(
      'Or at (415) 555-0101.',
    );
    expect(renderFollowup('Hi {{first_name|there}}, hello', {}, null)).toBe('Hi there, hello');
    expect(renderFollowup('Hi {{first_name}}, hello', {}, null)).toBe('Hi, hello');
  });
});

import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../core/keywords.ts';

describe('classifyReply', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOP!!!',
    'Stop it',
    'stop please',
    'Please stop',
    'STOP STOP STOP',
    'STOPALL',
    'stop all',
    'UNSUBSCRIBE',
    'Unsubscribe me',
    'unsubscribe me please',
    'CANCEL',
    'End',
    'quit',
    'REVOKE',
    'OPTOUT',
    'opt out',
    'Opt-out',
    'opt me out',
    'Stop texting me',
    'stop texting me!!',
    'STOP SENDING ME MESSAGES',
    'Please stop messaging me',
    'stop contacting me',
    'Why won’t you stop texting me?',
    'remove me',
    'Remove me from your list',
    'please remove my number',
    'take me off your list',
    "don't text me",
    'Dont text me again',
    'do not contact me',
    'never text me again',
    'no more texts',
    'leave me alone',
    'lose my number',
    'How do I unsubscribe?',
    'Who is this? Please stop.',
    'ＳＴＯＰ',
  ])('opt-out: %j', (body) => {
    expect(classifyReply(body).kind).toBe('opt_out');
  });

  it.each([
    "don't stop",
    "I can't stop smiling",
    'Stop by the store later?',
    'The end',
    'Cancel my appointment',
    'end of the week works',
    "please don't stop texting me",
    'no',
    'thank you',
    'who is this',
    '👍',
    '',
  ])('not an opt-out: %j', (body) => {
    expect(classifyReply(body).kind).not.toBe('opt_out');
  });

  it.each([
    ['HELP', 'help'],
    ['help!', 'help'],
    ['Info', 'help'],
    ['info please', 'help'],
    ['START', 'opt_in'],
    ['start.', 'opt_in'],
    ['Unstop', 'opt_in'],
    ['maybe later', 'other'],
    ['I need help with my order', 'other'],
  ] as const)('%j → %s', (body, kind) => {
    expect(classifyReply(body).kind).toBe(kind);
  });

  it('treats YES as interest, and as an opt-in only when it is the whole message', () => {
    expect(classifyReply('YES')).toEqual({ kind: 'interested', keyword: 'YES', alsoOptIn: true });
    expect(classifyReply('yes!')).toEqual({ kind: 'interested', keyword: 'YES', alsoOptIn: true });
    expect(classifyReply('Yes please, tell me more')).toEqual({
      kind: 'interested',
      keyword: 'YES',
      alsoOptIn: false,
    });
    expect(classifyReply('yesterday was fine').kind).toBe('other');
  });

  it('uses the campaign interested keywords, and keeps YES as a carrier opt-in', () => {
    const options = { interestedKeywords: ['INTERESTED', 'tell me more', 'Sí'] };
    expect(classifyReply('interested!', options)).toMatchObject({
      kind: 'interested',
      keyword: 'INTERESTED',
      alsoOptIn: false,
    });
    expect(classifyReply('Tell me more please', options)).toMatchObject({
      kind: 'interested',
      keyword: 'TELL ME MORE',
    });
    expect(classifyReply('sí', options)).toMatchObject({ kind: 'interested', keyword: 'SÍ' });
    expect(classifyReply('YES', options)).toEqual({ kind: 'opt_in', keyword: 'YES' });
    expect(classifyReply('yes please', options).kind).toBe('other');
  });

  it('gives opt-out priority over everything else', () => {
    expect(classifyReply('stop', { interestedKeywords: ['STOP'] }).kind).toBe('opt_out');
    expect(classifyReply('Yes, stop texting me').kind).toBe('opt_out');
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, settledConversation } from './replies-fixtures.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+14155550031', '+14155550032', '+14155550033', '+14155550034'];
const LATER_SENDERS = ['+14155550041', '+14155550042'];
const HELP = 'Acme: reply STOP to opt out, or call 555-0100.';

interface Tapped {
  form: Record<string, string>;
  answer: string;
}

/**
 * The public URL Twilio would call: forwards to the API and keeps each inbound webhook with its
 * TwiML answer (the sandbox, like a phone, only sees what Twilio then sends).
 */
async function startTap(target: () => string) {
  const tapped: Tapped[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = http.request(
        `${target()}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            if (req.url?.startsWith('/webhooks/twilio/inbound')) {
              tapped.push({
                form: Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
                answer: text,
              });
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(text);
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tapped,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('replies to a 1,000-contact broadcast, end to end through the sandboxes', () => {
  let stack: CampaignStack;
  let tap: Awaited<ReturnType<typeof startTap>>;

  beforeAll(async () => {
    let apiUrl = '';
    tap = await startTap(() => apiUrl);
    stack = await startCampaignStack({
      env: { PUBLIC_BASE_URL: tap.url },
      sandbox: {
        numbers: [...SENDERS, ...LATER_SENDERS].map((phoneNumber) => ({
          phoneNumber,
          mps: 100,
          latencyMs: { min: 5, max: 30 },
        })),
        replies: {
          share: 0.14,
          mix: { YES: 10, STOP: 3, HELP: 1 },
          delayMs: { min: 20, max: 300 },
        },
      },
    });
    apiUrl = stack.apiUrl;
    stack.sandbox.configure({ inboundUrl: `${tap.url}/webhooks/twilio/inbound` });
  });
  afterAll(async () => {
    await stack?.close();
    await tap?.close();
  });

  async function campaign(
    audienceId: string,
    smsPoolId: string,
    followupPoolId: string,
  ): Promise<string> {
    const response = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'hybrid',
        audience_id: audienceId,
        sms_pool_id: smsPoolId,
        followup_pool_id: followupPoolId,
        help_text: HELP,
        steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
        quiet_hours: { start: '00:00', end: '24:00' },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  // Two 1,000-contact broadcasts and their replies, end to end: minutes on a busy machine.
  it('hands every YES to one sticky number, honours every STOP, helps every HELP', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(1000, '628');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const smsPool = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 100 })),
    );
    const blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone, mps: 100 })),
      { provider: 'blooio' },
    );
    const first = await campaign(audienceId, smsPool, blooioPool);
    await launch(stack.api, first);
    await waitForStatus(stack.api, first, 'completed', 180_000);
    // Every reply has been answered by the API, which signals a hand-off before it answers.
    expect(await stack.sandbox.idle(60_000)).toBe(true);
    const ids = await contactIds(db, phones);
    const settled = (phone: string) => settledConversation(stack.api, ids.get(phone) ?? '0');

    const byBody = (body: string) =>
      tap.tapped.filter((t) => t.form.Body === body).map((t) => t.form.From ?? '');
    const yes = byBody('YES');
    const stop = byBody('STOP');
    const help = byBody('HELP');
    // Roughly 10% / 3% / 1% of the delivered audience, as configured.
    expect(yes.length).toBeGreaterThan(60);
    expect(stop.length).toBeGreaterThan(10);
    expect(help.length).toBeGreaterThan(2);

    // Every YES: exactly one Blooio follow-up, from one number of the pool; new contacts spread.
    await waitFor(
      'every follow-up',
      async () => {
        const sent = stack.sandbox.ledger({ channel: 'imessage' }).entries;
        return yes.every((p) => sent.some((e) => e.to === p)) ? true : undefined;
      },
      60_000,
    );
    await Promise.all(yes.map(settled));
    const numberOf = new Map<string, string>();
    for (const phone of yes) {
      const sent = stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries;
      expect(sent, phone).toHaveLength(1);
      numberOf.set(phone, sent[0]?.from ?? '');
    }
    expect(new Set(numberOf.values()).size).toBe(DEFAULT_BLOOIO_NUMBERS.length);

    // Every HELP: the campaign's help text, as TwiML. Every STOP: no second confirmation.
    for (const t of tap.tapped.filter((x) => x.form.Body === 'HELP')) {
      expect(t.answer).toContain(`>${HELP}</Message>`);
    }
    for (const t of tap.tapped.filter((x) => x.form.Body === 'STOP')) {
      expect(t.answer).toContain('<Response/>');
    }
    const funnel = (
      await stack.api.app.inject({
        method: 'GET',
        url: `/v1/campaigns/${first}`,
        headers: stack.api.auth,
      })
    ).json().funnel;
    expect(funnel).toMatchObject({
      interested: yes.length,
      handed_off: yes.length,
      opted_out: stop.length,
    });
    expect(funnel.replied).toBe(yes.length + stop.length + help.length);

    // A second campaign to the same audience from other numbers: nobody who said STOP hears from us.
    const laterPool = await seedPool(
      db,
      LATER_SENDERS.map((phone) => ({ phone, mps: 100 })),
    );
    const second = await campaign(audienceId, laterPool, blooioPool);
    await launch(stack.api, second);
    const done = await waitForStatus(stack.api, second, 'completed', 180_000);
    expect(done.funnel.skipped_reasons.opted_out).toBe(stop.length);
    expect(await stack.sandbox.idle(60_000)).toBe(true);
    for (const phone of stop) {
      // Only the first broadcast, which they answered STOP to; nothing after it on any channel.
      expect(stack.sandbox.ledger({ to: phone }).entries, phone).toHaveLength(1);
    }

    // A second YES, to the later campaign: handed off again from the same number.
    const again = yes.slice(0, 10);
    for (const phone of again) {
      const from = stack.sandbox
        .ledger({ channel: 'sms', to: phone })
        .entries.find((e) => LATER_SENDERS.includes(e.from))?.from;
      expect(from, phone).toBeDefined();
      stack.sandbox.injectSms({ from: phone, to: from ?? '', body: 'YES' });
    }
    await waitFor('second follow-ups', async () =>
      again.every((p) => stack.sandbox.ledger({ channel: 'imessage', to: p }).entries.length === 2)
        ? true
        : undefined,
    );
    expect(await stack.sandbox.idle(60_000)).toBe(true);
    await Promise.all(again.map(settled));
    for (const phone of again) {
      const froms = stack.sandbox
        .ledger({ channel: 'imessage', to: phone })
        .entries.map((e) => e.from);
      expect(froms).toEqual([numberOf.get(phone), numberOf.get(phone)]);
    }
  }, 240_000);
});

import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { createCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const senders = ['+14155550001', '+14155550002', '+14155550003', '+14155550004'];

describe('a broadcast through the real stack', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: senders.map((phoneNumber) => ({
          phoneNumber,
          mps: 50,
          latencyMs: { min: 5, max: 30 },
        })),
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('texts each of 2,000 contacts exactly once and records their delivery', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(2000);
    const audienceId = await seedAudience(
      db,
      phones.map((phone, i) => ({ phone, optedOut: i % 50 === 0, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      senders.map((phone) => ({ phone, mps: 50 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    const launched = await launch(stack.api, campaignId);
    expect(launched.workflow_id).toBe(`campaign-${campaignId}`);
    expect(launched.temporal_ui_url).toContain(encodeURIComponent(launched.workflow_id));
    const again = await launch(stack.api, campaignId);
    expect(again.already_launched).toBe(true);

    const done = await waitForStatus(stack.api, campaignId, 'completed');
    const optedOut = phones.filter((_, i) => i % 50 === 0);
    expect(done.funnel.targeted).toBe(2000);
    expect(done.funnel.skipped).toBe(optedOut.length);
    expect(done.funnel.skipped_reasons).toEqual({ opted_out: optedOut.length });
    expect(done.funnel.delivered).toBe(2000 - optedOut.length);

    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    const recipients = ledger.entries.map((entry) => entry.to);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.sort()).toEqual(phones.filter((_, i) => i % 50 !== 0).sort());
    for (const phone of optedOut) expect(recipients).not.toContain(phone);
    expect(ledger.entries.every((entry) => senders.includes(entry.from))).toBe(true);
    expect(ledger.entries[0]?.body).toBe('Hi Sam, reply YES to learn more');
    expect((await stack.sandbox.mpsViolations()).total).toBe(0);

    const handle = stack.api.temporal.workflow.getHandle(launched.workflow_id);
    const listed = await waitFor('the workflow in visibility', async () => {
      for await (const execution of stack.api.temporal.workflow.list({
        query: `CampaignId = '${campaignId}'`,
      })) {
        if (execution.searchAttributes.CampaignStatus?.[0] === 'completed') return execution;
      }
      return undefined;
    });
    expect(listed.workflowId).toBe(handle.workflowId);
  });
});

describe('status callbacks', () => {
  let stack: CampaignStack;
  let poolId: string;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: '+14155550009', mps: 50, latencyMs: 5 }] },
    });
    poolId = await seedPool(stack.api.database.db, [{ phone: '+14155550009', mps: 50 }]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The message of a one-contact campaign run to completion: each test has its own. */
  const deliveredMessage = async (phone: string) => {
    const { db } = stack.api.database;
    const audienceId = await seedAudience(db, [{ phone, timeZone: DAYTIME_ZONE }]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(message.status).toBe('delivered');
    return message;
  };

  it('refuses forged or unsigned callbacks with 403 and changes nothing', async () => {
    const { db } = stack.api.database;
    const before = await deliveredMessage('+14155557777');
    const eventsBefore = await db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();

    const url = `${stack.apiUrl}/webhooks/twilio/status`;
    const params = {
      MessageSid: before.provider_sid ?? '',
      MessageStatus: 'failed',
      ErrorCode: '30007',
      AccountSid: stack.api.config.TWILIO_ACCOUNT_SID,
    };
    const forged = twilio.getExpectedTwilioSignature('not-the-auth-token', url, params);
    const body = new URLSearchParams(params).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const attempts: Record<string, string>[] = [
      headers,
      { ...headers, 'x-twilio-signature': forged },
    ];
    for (const attempt of attempts) {
      const response = await fetch(url, { method: 'POST', headers: attempt, body });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    // A genuine signature over different parameters is forged too.
    const signedOther = twilio.getExpectedTwilioSignature(stack.api.config.TWILIO_AUTH_TOKEN, url, {
      ...params,
      MessageStatus: 'delivered',
    });
    expect(
      (
        await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'x-twilio-signature': signedOther },
          body,
        })
      ).status,
    ).toBe(403);

    const after = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const eventsAfter = await db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(eventsAfter.n).toBe(eventsBefore.n);
  });

  it('applies late and duplicate callbacks monotonically', async () => {
    const { db } = stack.api.database;
    const message = await deliveredMessage('+14155557778');
    const url = `${stack.apiUrl}/webhooks/twilio/status`;
    for (const status of ['sent', 'sent', 'queued']) {
      const params = {
        MessageSid: message.provider_sid ?? '',
        MessageStatus: status,
        AccountSid: stack.api.config.TWILIO_ACCOUNT_SID,
      };
      const signature = twilio.getExpectedTwilioSignature(
        stack.api.config.TWILIO_AUTH_TOKEN,
        url,
        params,
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(response.status).toBe(204);
    }
    // A 204 means stored (or dropped as a duplicate): wait until the API has applied every
    // stored event of this sid, the late ones included.
    const events = await waitFor('every callback of the message applied', async () => {
      const rows = await db
        .selectFrom('message_events')
        .select(['status', 'applied_at'])
        .where('provider_sid', '=', message.provider_sid ?? '')
        .execute();
      return rows.every((row) => row.applied_at !== null) ? rows : undefined;
    });
    // The late `queued` was answered 204 and not stored: it says nothing the create answer
    // did not (a status below `sent` is never news for a sent message).
    expect(events.map((event) => event.status).sort()).toEqual(['delivered', 'sent']);
    const after = await db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('delivered');
  });
});

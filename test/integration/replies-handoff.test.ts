import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import {
  contactIds,
  conversation,
  conversationActivities,
  seedCampaign,
  seedSent,
  settledConversation,
} from './replies-fixtures.ts';

const SMS = '+14155550021';

describe('hand-off to a sticky Blooio number', () => {
  let stack: CampaignStack;
  let phones: string[];
  let ids: Map<string, string>;
  let campaignId: string;
  let audienceId: string;
  let smsPool: string;
  let blooioPool: string;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SMS, mps: 50 }] },
      env: {
        BLOOIO_RETRY_INITIAL_SECONDS: '0.2',
        // Room for the test to see a refusal before it makes a number available again.
        BLOOIO_RETRY_MAX_ATTEMPTS: '8',
      },
    });
    const { db } = stack.api.database;
    phones = contactPhones(40, '628');
    audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone })),
    );
    smsPool = await seedPool(db, [{ phone: SMS }]);
    blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio' },
    );
    campaignId = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    ids = await contactIds(db, phones);
    for (const phone of phones) {
      await seedSent(db, { campaignId, contactId: ids.get(phone) ?? '0', to: phone, from: SMS });
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  const followups = (to: string) => stack.sandbox.ledger({ channel: 'imessage', to }).entries;
  /** Every injected message has been answered by the API (it signals before it answers). */
  const webhooksAnswered = async () => expect(await stack.sandbox.idle()).toBe(true);
  const interested = async (phones: readonly string[]) => {
    const rows = await stack.api.database.db
      .selectFrom('inbound_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('from_phone', 'in', [...phones])
      .where('classification', '=', 'interested')
      .executeTakeFirstOrThrow();
    return Number(rows.n);
  };
  const settled = (phone: string) => settledConversation(stack.api, ids.get(phone) ?? '0');
  /**
   * A campaign of its own that texted the contact last, so the contact's replies count there:
   * the first test's funnel is the same whichever tests ran before it.
   */
  const textedByOwnCampaign = async (phone: string) => {
    const { db } = stack.api.database;
    const own = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    await seedSent(db, { campaignId: own, contactId: ids.get(phone) ?? '0', to: phone, from: SMS });
  };

  it('sends one follow-up per contact for a burst of YES, spread across the pool, sticky after', async () => {
    const yes = phones.slice(0, 30);
    // A burst: three YES from each contact at once.
    for (const phone of yes)
      for (let i = 0; i < 3; i += 1) stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    await waitFor(
      'every follow-up',
      async () => (yes.every((p) => followups(p).length > 0) ? true : undefined),
      60_000,
    );
    await webhooksAnswered();
    expect(await interested(yes)).toBe(3 * yes.length);
    const states = await Promise.all(yes.map(settled));
    for (const state of states) expect(state.handedOff).toEqual([campaignId]);
    const used = new Map<string, string>();
    for (const phone of yes) {
      const sent = followups(phone);
      expect(sent, phone).toHaveLength(1);
      used.set(phone, sent[0]?.from ?? '');
    }
    // New contacts spread across every number of the follow-up pool.
    expect(new Set(used.values())).toEqual(new Set(DEFAULT_BLOOIO_NUMBERS));

    // A second YES keeps the conversation where it is: no second follow-up, same number.
    const again = yes.slice(0, 5);
    for (const phone of again) stack.sandbox.injectSms({ from: phone, to: SMS, body: 'yes' });
    await webhooksAnswered();
    expect(await interested(again)).toBe(4 * again.length);
    await Promise.all(again.map(settled));
    for (const phone of again) expect(followups(phone)).toHaveLength(1);

    // A YES to a later campaign hands off again, from the same number (step 2).
    const later = await seedCampaign(stack.api.database.db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    const phone = again[0] ?? '';
    await seedSent(stack.api.database.db, {
      campaignId: later,
      contactId: ids.get(phone) ?? '0',
      to: phone,
      from: SMS,
    });
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    await waitFor('the second hand-off', async () =>
      followups(phone).length === 2 ? true : undefined,
    );
    expect(followups(phone).map((entry) => entry.from)).toEqual([used.get(phone), used.get(phone)]);

    const view = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/conversations/${encodeURIComponent(phone)}`,
      headers: stack.api.auth,
    });
    const body = view.json();
    expect(body.conversation).toMatchObject({
      workflow_id: `conversation-${stack.api.config.WORKFLOW_ID_SCOPE}-${ids.get(phone)}`,
      status: 'handed_off',
      number: used.get(phone),
    });
    expect(body.handoffs.map((h: { step: number; status: string }) => [h.step, h.status])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
    ]);
    const funnel = (
      await stack.api.app.inject({
        method: 'GET',
        url: `/v1/campaigns/${campaignId}`,
        headers: stack.api.auth,
      })
    ).json().funnel;
    expect(funnel).toMatchObject({ interested: 30, handed_off: 30 });
  });

  it('retries a 503 with back-off until a number is available', async () => {
    const phone = phones[30] ?? '';
    await textedByOwnCampaign(phone);
    stack.sandbox.setAvailability([...DEFAULT_BLOOIO_NUMBERS], false);
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    // The carrier has refused the follow-up at least once and the conversation retries it.
    const refused = await waitFor('a refused follow-up being retried', async () => {
      const send = (await conversationActivities(stack.api, ids.get(phone) ?? '0')).find(
        (activity) => activity.activityType?.name === 'sendFollowup',
      );
      return (send?.attempt ?? 0) >= 2 ? send : undefined;
    });
    expect(refused.lastFailure?.message).toMatch(/Blooio 503/);
    expect(followups(phone)).toHaveLength(0);
    stack.sandbox.setAvailability([...DEFAULT_BLOOIO_NUMBERS], true);
    await waitFor(
      'the retried follow-up',
      async () => (followups(phone).length === 1 ? true : undefined),
      30_000,
    );
  });

  it('does not retry a 403 (number not owned by the key) and reports it', async () => {
    const { db } = stack.api.database;
    const foreignPool = await seedPool(db, [{ phone: '+14155550999' }], {
      provider: 'blooio',
      name: 'not ours',
    });
    const foreign = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: foreignPool,
    });
    const phone = phones[31] ?? '';
    await seedSent(db, {
      campaignId: foreign,
      contactId: ids.get(phone) ?? '0',
      to: phone,
      from: SMS,
    });
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const handoff = await waitFor('the failed hand-off', async () => {
      const row = await db
        .selectFrom('conversation_handoffs')
        .select(['status', 'error'])
        .where('campaign_id', '=', foreign)
        .executeTakeFirst();
      return row?.status === 'failed' ? row : undefined;
    });
    expect(handoff.error).toMatch(/Blooio 403/);
    expect(followups(phone)).toHaveLength(0);
  });

  it('never follows up with a contact who said STOP', async () => {
    const phone = phones[32] ?? '';
    await textedByOwnCampaign(phone);
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'STOP' });
    await webhooksAnswered();
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'yes please' });
    await webhooksAnswered();
    // The API decides a hand-off before it answers: the YES is stored as interest, and no
    // conversation was started for it, so nothing can follow up later.
    const stored = await stack.api.database.db
      .selectFrom('inbound_messages')
      .select(['body', 'classification'])
      .where('from_phone', '=', phone)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { body: 'STOP', classification: 'opt_out' },
      { body: 'yes please', classification: 'interested' },
    ]);
    await expect(conversation(stack.api, ids.get(phone) ?? '0').describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(followups(phone)).toHaveLength(0);
  });
});

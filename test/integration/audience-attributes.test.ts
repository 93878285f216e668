import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { TestClock } from '../support/clock.ts';
import { seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';

const SENDER = '+12125550401';
const PHONE = '+12125550177';
/** A weekday noon in New York, in the past: the worker's clock runs from it, inside the window. */
const NOON_IN_NEW_YORK = new Date('2026-11-25T17:00:00Z');

describe('per-audience contact attributes', () => {
  let stack: CampaignStack;
  let poolId: string;
  const clock = new TestClock();
  beforeAll(async () => {
    clock.runFrom(NOON_IN_NEW_YORK, new Date());
    stack = await startCampaignStack({
      clock,
      sandbox: { numbers: [{ phoneNumber: SENDER, mps: 50, latencyMs: 5 }] },
    });
    poolId = await seedPool(stack.api.database.db, [{ phone: SENDER, mps: 50 }]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const upload = async (name: string, csv: string): Promise<string> => {
    const response = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/audiences?name=${name}`,
      headers: { ...stack.api.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ imported: 1, rejected: 0 });
    return response.json().id;
  };

  /** Runs a one-step campaign on the audience and answers the body the carrier accepted. */
  const textedBody = async (audienceId: string): Promise<string | undefined> => {
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      steps: [{ template: 'Hi {{first_name}}' }],
    });
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed');
    expect(done.funnel.targeted).toBe(1);
    const sent = await stack.api.database.db
      .selectFrom('messages')
      .select('provider_sid')
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    return ledger.entries.find((entry) => entry.sid === sent.provider_sid)?.body;
  };

  it("renders each campaign from its audience's values, and the profile shows them all", async () => {
    const first = await upload('A', `phone,first_name,plan\n(212) 555-0177,First,gold\n`);
    const third = await upload('B', `phone,first_name\n212.555.0177,Third\n`);

    expect(await textedBody(first)).toBe('Hi First');
    expect(await textedBody(third)).toBe('Hi Third');

    const profile = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/contacts/${encodeURIComponent(PHONE)}`,
      headers: stack.api.auth,
    });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json()).toMatchObject({
      phone: PHONE,
      // The latest values: B's first_name over A's, A's plan kept.
      attributes: { first_name: 'Third', plan: 'gold' },
      audiences: [
        {
          id: first,
          name: 'A',
          attributes: { first_name: 'First', plan: 'gold' },
          own_values: true,
        },
        { id: third, name: 'B', attributes: { first_name: 'Third' }, own_values: true },
      ],
    });
    const byId = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/contacts/${profile.json().id}`,
      headers: stack.api.auth,
    });
    expect(byId.json().audiences).toHaveLength(2);
  });

  it('answers 404 for an unknown contact and 400 for a key that is neither id nor phone', async () => {
    const unknown = await stack.api.app.inject({
      method: 'GET',
      url: '/v1/contacts/+12125550999',
      headers: stack.api.auth,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBeDefined();
    const bad = await stack.api.app.inject({
      method: 'GET',
      url: '/v1/contacts/not-a-phone',
      headers: stack.api.auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_contact');
  });
});

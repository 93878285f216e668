import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launch, waitForStatus, type CampaignBody } from '../support/campaigns.ts';
import { seedAudience, seedPool, type SeedContact } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';

const SENDER = '+16175550401';
const phone = (i: number) => `+1617555${String(1000 + i)}`;

/** Ten contacts: plan, state and name vary; one opted out, one suppressed, one without a name. */
const CONTACTS: (SeedContact & { phone: string })[] = [
  { phone: phone(0), region: 'CA', attributes: { first_name: 'Ana', plan: 'pro' } },
  { phone: phone(1), region: 'NY', attributes: { first_name: 'Ben', plan: 'pro' } },
  { phone: phone(2), region: 'TX', attributes: { first_name: 'Cy', plan: 'pro' } },
  { phone: phone(3), region: 'CA', attributes: { first_name: 'Di', plan: 'free' } },
  { phone: phone(4), region: 'NY', attributes: { first_name: 'Ed' } },
  { phone: phone(5), region: 'CA', attributes: { first_name: 'Flo', plan: 'pro' } },
  { phone: phone(6), region: 'NY', attributes: { first_name: 'Gus', plan: 'pro' }, optedOut: true },
  { phone: phone(7), region: 'CA', attributes: { first_name: 'Hal', plan: 'pro' } },
  { phone: phone(8), region: 'CA', attributes: { first_name: '', plan: 'pro' } },
  { phone: phone(9), region: 'NY', attributes: { first_name: 'Zoë', plan: 'pro' } },
];
/** In the excluded audience: Flo. Suppressed (global list): Hal. */
const EXCLUDED = phone(5);
const SUPPRESSED = phone(7);

const FILTER: CampaignBody['filter'] = {
  all: [
    { field: 'state', op: 'in', value: ['CA', 'NY'] },
    { field: 'attributes.plan', op: 'eq', value: 'pro' },
  ],
};

/**
 * A campaign texts the contacts its filter matches, minus those of its excluded audiences: the
 * others are `skipped` rows with the reason, never sent. Its preview says the same before launch.
 */
describe('campaign targeting', () => {
  let stack: CampaignStack;
  let audienceId: string;
  let excludedAudienceId: string;
  let poolId: string;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SENDER, mps: 20, latencyMs: 5 }] },
    });
    const { db } = stack.api.database;
    audienceId = await seedAudience(db, CONTACTS, ['first_name', 'plan']);
    excludedAudienceId = await seedAudience(db, [{ phone: EXCLUDED }]);
    await db
      .insertInto('suppression_entries')
      .values({ list_id: 'global', phone: SUPPRESSED })
      .execute();
    poolId = await seedPool(db, [{ phone: SENDER, mps: 20 }]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (url: string, payload?: Record<string, unknown>) =>
    stack.api.app.inject({
      method: 'POST',
      url,
      headers: stack.api.auth,
      ...(payload === undefined ? {} : { payload }),
    });
  const body = (extra: Record<string, unknown>) => ({
    name: 'targeted',
    audience_id: audienceId,
    sms_pool_id: poolId,
    quiet_hours: { start: '00:00', end: '24:00' },
    steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
    ...extra,
  });

  it('previews who would be texted, why the others would not, and the messages', async () => {
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      filter: FILTER,
      exclude_audience_ids: [excludedAudienceId],
      steps: [
        { template: 'Hi {{first_name}}, reply YES' },
        { template: 'Still keen, {{first_name}}?' },
      ],
    });
    const response = await post(`/v1/campaigns/${campaignId}/preview?samples=10`);
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json();
    // Would text: Ana, Ben, Zoë. Cy (TX), Di (free), Ed (no plan) are filtered out; Gus opted
    // out; Flo excluded; Hal suppressed; the contact with an empty name is invalid.
    expect(preview).toMatchObject({
      audience: 10,
      would_text: 3,
      not_texted: {
        already_messaged: 0,
        opted_out: 1,
        excluded_audience: 1,
        filtered_out: 3,
        suppressed: 1,
        outside_window: 0,
        invalid: 1,
        frequency_capped: 0,
        no_sender: 0,
      },
      sender: { can_send_now: true, reason: null },
    });
    const [first, second] = preview.steps;
    expect(first.step).toBe(0);
    expect(second.step).toBe(1);
    // Samples: the contacts the targeting keeps (suppression and names are judged per send).
    const byPhone = Object.fromEntries(
      first.samples.map((sample: { to: string }) => [sample.to, sample]),
    );
    expect(Object.keys(byPhone).sort()).toEqual(
      [phone(0), phone(1), phone(7), phone(8), phone(9)].sort(),
    );
    expect(byPhone[phone(0)]).toMatchObject({
      body: 'Hi Ana, reply YES',
      segments: 1,
      encoding: 'GSM-7',
      error: null,
    });
    expect(byPhone[phone(9)]).toMatchObject({ body: 'Hi Zoë, reply YES', encoding: 'UCS-2' });
    expect(byPhone[phone(8)]).toMatchObject({ body: null, encoding: null });
    expect(byPhone[phone(8)].error).toMatch(/first_name/);
    expect(second.samples[0]).toMatchObject({ body: 'Still keen, Ana?', encoding: 'GSM-7' });
  });

  it('says no number can send when the pool has none that can', async () => {
    const emptyPool = await post('/v1/pools', { name: 'empty', provider: 'twilio' });
    expect(emptyPool.statusCode, emptyPool.body).toBe(201);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: emptyPool.json().id,
      quiet_hours: { start: '00:00', end: '24:00' },
      filter: FILTER,
    });
    const preview = (await post(`/v1/campaigns/${campaignId}/preview`)).json();
    expect(preview.sender).toEqual({ can_send_now: false, reason: 'it has no numbers' });
    expect(preview.would_text).toBe(0);
    expect(preview.not_texted.no_sender).toBe(4);
  });

  it('texts only the matching contacts outside the excluded audiences', async () => {
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      filter: FILTER,
      exclude_audience_ids: [excludedAudienceId],
    });
    const created = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}`,
      headers: stack.api.auth,
    });
    expect(created.json()).toMatchObject({
      filter: FILTER,
      exclude_audience_ids: [excludedAudienceId],
      start_at: null,
    });
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 60_000);

    const texted = stack.sandbox
      .ledger({ channel: 'sms' })
      .entries.filter((entry) => CONTACTS.some((contact) => contact.phone === entry.to));
    expect(texted.map((entry) => entry.to).sort()).toEqual([phone(0), phone(1), phone(9)].sort());
    expect(done.funnel).toMatchObject({
      targeted: 10,
      skipped: 7,
      skipped_reasons: {
        filtered_out: 3,
        excluded_audience: 1,
        opted_out: 1,
        suppressed: 1,
        'template: Template uses a variable {{first_name}} without a fallback that this contact has no value for': 1,
      },
    });
    // Asked again after the broadcast, the preview counts everyone as already messaged.
    const after = (await post(`/v1/campaigns/${campaignId}/preview`)).json();
    expect(after.not_texted.already_messaged).toBe(10);
    expect(after.would_text).toBe(0);
  });

  it('refuses a filter on an unknown field, naming it', async () => {
    const response = await post(
      '/v1/campaigns',
      body({ filter: { all: [{ field: 'plan', op: 'eq', value: 'pro' }] } }),
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.message).toMatch(/unknown filter field "plan"/);
    const injected = await post(
      '/v1/campaigns',
      body({ filter: { all: [{ field: "attributes.x'; DROP TABLE contacts;--", op: 'exists' }] } }),
    );
    expect(injected.statusCode).toBe(400);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(
      stack.api.database.db,
    );
    expect(count.rows[0]?.n).toBe(CONTACTS.length);
  });

  it('refuses bad filters and unknown excluded audiences with 4xx, never 500', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ filter: { all: [{ field: 'state', op: 'like', value: 'C%' }] } }, 400],
      [{ filter: { all: [{ field: 'state', op: 'in', value: 'CA' }] } }, 400],
      [{ filter: { all: [{ field: 'state', op: 'gt', value: 'CA' }] } }, 400],
      [{ filter: { all: [{ field: 'state', op: 'eq', value: 'C\u0000A' }] } }, 400],
      [{ filter: { some: [] } }, 400],
      [{ filter: { all: [{ field: 'attributes.' + 'k'.repeat(100), op: 'exists' }] } }, 400],
      [{ exclude_audience_ids: ['not-a-uuid'] }, 400],
      [{ exclude_audience_ids: ['00000000-0000-4000-8000-000000000000'] }, 422],
    ];
    for (const [extra, status] of cases) {
      const response = await post('/v1/campaigns', body(extra));
      expect(response.statusCode, `${JSON.stringify(extra)}: ${response.body}`).toBe(status);
    }
    const unknown = await post('/v1/campaigns/00000000-0000-4000-8000-000000000000/preview');
    expect(unknown.statusCode).toBe(404);
    const badSamples = await post(
      `/v1/campaigns/00000000-0000-4000-8000-000000000000/preview?samples=500`,
    );
    expect(badSamples.statusCode).toBe(400);
  });

  it('matches numbers, absent values and any-of groups', async () => {
    const { db } = stack.api.database;
    const scored = await seedAudience(
      db,
      [
        { phone: phone(20), attributes: { first_name: 'A', score: '10' } },
        { phone: phone(21), attributes: { first_name: 'B', score: '3.5' } },
        { phone: phone(22), attributes: { first_name: 'C', score: 'n/a' } },
        { phone: phone(23), attributes: { first_name: 'D' } },
      ],
      ['first_name', 'score'],
    );
    const wouldText = async (filter: CampaignBody['filter']) => {
      const campaignId = await createCampaign(stack.api, {
        audience_id: scored,
        sms_pool_id: poolId,
        quiet_hours: { start: '00:00', end: '24:00' },
        filter,
      });
      return (await post(`/v1/campaigns/${campaignId}/preview`)).json().would_text;
    };
    expect(await wouldText({ all: [{ field: 'attributes.score', op: 'gte', value: 5 }] })).toBe(1);
    expect(await wouldText({ all: [{ field: 'attributes.score', op: 'lt', value: 5 }] })).toBe(1);
    expect(await wouldText({ all: [{ field: 'attributes.score', op: 'exists' }] })).toBe(3);
    expect(
      await wouldText({ all: [{ field: 'attributes.score', op: 'exists', value: false }] }),
    ).toBe(1);
    expect(await wouldText({ all: [{ field: 'attributes.score', op: 'neq', value: '10' }] })).toBe(
      3,
    );
    expect(
      await wouldText({ all: [{ field: 'attributes.score', op: 'not_in', value: ['10', 'n/a'] }] }),
    ).toBe(2);
    expect(
      await wouldText({
        any: [
          { field: 'attributes.score', op: 'eq', value: 'n/a' },
          { field: 'phone', op: 'eq', value: phone(23) },
        ],
      }),
    ).toBe(2);
  });
});

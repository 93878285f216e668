import { expect } from 'vitest';
import type { TestApi } from '../api.ts';
import type { KnownValues } from './schema-arbitrary.ts';

const CONTACT_PHONE = '+14155550123';
const SMS_NUMBER = '+14155550100';
const IMESSAGE_NUMBER = '+14155550200';

/**
 * One of each resource, made through the API, so a generated request can name something that
 * exists and reach the code past the lookup. The API key among them is one made to be revoked:
 * never the key the test uses.
 */
export async function createFixtures(api: TestApi, hookUrl: string): Promise<KnownValues> {
  const created = async <T>(what: string, call: Promise<{ data?: T; error?: unknown }>) => {
    const { data, error } = await call;
    expect(data, `${what}: ${JSON.stringify(error)}`).toBeDefined();
    return data!;
  };
  const { client } = api;
  const sms = await created(
    'sms pool',
    client.POST('/v1/pools', { body: { name: 'hostile sms', provider: 'twilio' } }),
  );
  await created(
    'sms number',
    client.POST('/v1/pools/{id}/numbers', {
      params: { path: { id: sms.id } },
      body: { phone: SMS_NUMBER, mps: 50 },
    }),
  );
  const blooio = await created(
    'follow-up pool',
    client.POST('/v1/pools', { body: { name: 'hostile follow-up', provider: 'blooio' } }),
  );
  await created(
    'imessage number',
    client.POST('/v1/pools/{id}/numbers', {
      params: { path: { id: blooio.id } },
      body: { phone: IMESSAGE_NUMBER, kind: 'imessage' },
    }),
  );
  const upload = await api.app.inject({
    method: 'POST',
    url: '/v1/audiences?name=hostile',
    headers: { ...api.auth, 'content-type': 'text/csv' },
    payload: `phone,first_name\n${CONTACT_PHONE},Sam\n+14155550124,Alex\n`,
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const audience = upload.json<{ id: string }>();
  const campaign = await created(
    'campaign',
    client.POST('/v1/campaigns', {
      body: {
        name: 'hostile',
        audience_id: audience.id,
        sms_pool_id: sms.id,
        followup_pool_id: blooio.id,
        steps: [{ template: 'Hi {{first_name}}' }],
      },
    }),
  );
  const list = await created(
    'suppression list',
    client.POST('/v1/suppression-lists', { body: { name: 'hostile' } }),
  );
  const endpoint = await created(
    'webhook endpoint',
    client.POST('/v1/webhook-endpoints', {
      body: { url: hookUrl, events: ['contact.opted_out'] },
    }),
  );
  const victim = await created(
    'api key',
    client.POST('/v1/api-keys', { body: { name: 'hostile victim', scope: 'read' } }),
  );
  const message = await created(
    'one-off message',
    client.POST('/v1/messages', { body: { to: CONTACT_PHONE, body: 'Hi', pool_id: sms.id } }),
  );
  const contacts = await created('contacts', client.GET('/v1/contacts', {}));
  const contactIds = contacts.contacts.map((contact) => contact.id);

  const values: Record<string, readonly string[]> = {
    'campaigns.id': [campaign.id],
    'pools.id': [sms.id, blooio.id],
    'audiences.id': [audience.id],
    'suppression-lists.id': [list.id],
    'webhook-endpoints.id': [endpoint.id],
    'api-keys.id': [victim.id],
    'messages.id': [message.id],
    'numbers.phone': [SMS_NUMBER, IMESSAGE_NUMBER],
    contact: [...contactIds, CONTACT_PHONE],
    audience_id: [audience.id],
    sms_pool_id: [sms.id],
    followup_pool_id: [blooio.id],
    pool_id: [sms.id, blooio.id],
    campaign_id: [campaign.id],
    suppression_list_id: [list.id],
    phone: [CONTACT_PHONE, SMS_NUMBER],
    to: [CONTACT_PHONE],
    from: [SMS_NUMBER],
    from_number: [SMS_NUMBER],
    To: [SMS_NUMBER],
    From: [CONTACT_PHONE],
    MessageSid: [message.id],
    phone_column: ['phone'],
    url: [hookUrl],
    media_url: [`${hookUrl}/picture.jpg`],
    created_after: ['2026-01-01', '2026-12-05T08:00:00Z'],
    created_before: ['2031-01-01', '2030-12-05T08:00:00+02:00'],
    since: ['2026-01-01T00:00:00Z'],
    country: ['US'],
  };
  return (name) => values[name];
}

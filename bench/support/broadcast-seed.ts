import { sql } from 'kysely';
import { createMemberPartition } from '../../db/audience-members.ts';
import type { Db } from '../../db/connect.ts';
import { SandboxClient } from '../../sandbox/client.ts';
import { zoneAtLocalHour } from '../../test/support/zones.ts';

/** A few real US area codes: senders and recipients share them, so geomatch has work to do. */
const AREA_CODES = ['212', '310', '415', '512', '617', '702', '305', '206', '404', '312'];

export interface BenchApi {
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

export function benchApi(apiUrl: string, apiKey: string): BenchApi {
  return {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      const parsed: T = JSON.parse(text);
      return parsed;
    },
  };
}

export interface PoolSpec {
  /** Distinguishes the phone numbers of several runs in one database (2-9). */
  run: number;
  numbers: number;
  mps: number;
  /** Index of the first number (several pools of one run get disjoint phones). */
  firstIndex?: number;
}

/** Sender phone `index` of a run: +1 <area code> 55<run><index 5 digits>. */
const senderPhone = (run: number, index: number) =>
  `+1${AREA_CODES[index % AREA_CODES.length] ?? '212'}55${run}${String(index).padStart(4, '0')}`;

/** A pool through the API, and the same numbers in the sandbox with their MPS and latency. */
export async function seedPool(api: BenchApi, sandboxUrl: string, spec: PoolSpec): Promise<string> {
  const first = spec.firstIndex ?? 0;
  const phones = Array.from({ length: spec.numbers }, (_, i) => senderPhone(spec.run, first + i));
  await new SandboxClient(sandboxUrl).configure({
    numbers: phones.map((phoneNumber) => ({
      phoneNumber,
      mps: spec.mps,
      deliveryRate: 1,
      latencyMs: { min: 20, max: 200 },
    })),
  });
  const pool = await api.call<{ id: string }>('POST', '/v1/pools', {
    name: `bench broadcast ${spec.run}`,
    provider: 'twilio',
  });
  for (const phone of phones) {
    await api.call('POST', `/v1/pools/${pool.id}/numbers`, {
      phone,
      kind: 'long_code',
      mps: spec.mps,
    });
  }
  return pool.id;
}

/**
 * An audience of `contacts` straight in SQL (CSV ingest has its own benchmark): unique
 * E.164 phones (+1 <area code> <run> <6 digits>, so at most 1,000,000 per run) spread over the
 * area codes, time zone UTC, a first_name attribute.
 */
export async function seedAudience(
  db: Db,
  run: number,
  contacts: number,
  /** The first contact's index (several audiences of one run get disjoint phones). */
  offset = 0,
): Promise<string> {
  const audience = await db
    .insertInto('audiences')
    .values({ name: `bench broadcast ${run}`, columns: ['phone', 'first_name'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await createMemberPartition(db, audience.id);
  const codes = `{${AREA_CODES.join(',')}}`;
  await sql`
    WITH inserted AS (
      INSERT INTO contacts (phone, country, area_code, region, time_zone, attributes)
      SELECT '+1' || (${codes}::text[])[1 + g % 10] || ${run}::text || lpad(g::text, 6, '0'),
             'US', (${codes}::text[])[1 + g % 10], NULL, ${zoneAtLocalHour(14)},
             jsonb_build_object('first_name', 'Pat' || g)
        FROM generate_series(${offset}::int, ${offset + contacts - 1}::int) AS g
      RETURNING id
    )
    INSERT INTO audience_members (audience_id, contact_id) SELECT ${audience.id}::uuid, id FROM inserted
  `.execute(db);
  await db
    .updateTable('audiences')
    .set({ rows_read: contacts, imported: contacts })
    .where('id', '=', audience.id)
    .execute();
  await sql`ANALYZE contacts`.execute(db);
  await sql`ANALYZE audience_members`.execute(db);
  return audience.id;
}

/**
 * Creates the campaign and launches it; returns ids and launch time. It asks for all day; the
 * legal floor clamps that to 08:00–21:00, and the seeded contacts are where it is afternoon.
 */
export async function launchCampaign(
  api: BenchApi,
  input: {
    name: string;
    audienceId: string;
    poolId: string;
    retryPolicy?: { max_attempts: number; backoff_seconds: number };
  },
): Promise<{ campaignId: string; workflowId: string; launchedAt: number }> {
  const campaign = await api.call<{ id: string }>('POST', '/v1/campaigns', {
    name: input.name,
    audience_id: input.audienceId,
    sms_pool_id: input.poolId,
    steps: [{ template: 'Hi {{first_name}}, tandem bench here. Reply YES to learn more.' }],
    quiet_hours: { start: '00:00', end: '24:00' },
    retry_policy: input.retryPolicy ?? { max_attempts: 3, backoff_seconds: 2 },
  });
  const launchedAt = performance.now();
  const launched = await api.call<{ workflow_id: string }>(
    'POST',
    `/v1/campaigns/${campaign.id}/launch`,
  );
  return { campaignId: campaign.id, workflowId: launched.workflow_id, launchedAt };
}

import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { HealthSettings } from './health-settings.ts';
import { usageDay } from './pool-selection-state.ts';
import type { Database, NumberState, SenderNumber } from './tables.ts';

export interface NumberHealthFigures {
  /** Delivered share of the recent sender-attributable outcomes, null without any. */
  deliveryRate: number | null;
  samples: number;
  delivered: number;
  senderFailures: number;
  failuresByCode: Record<string, number>;
}

export interface StateChange {
  from: NumberState;
  to: NumberState;
  reason: string;
  errorCode: number | null;
  deliveryRate: number | null;
  samples: number | null;
  at: Date;
}

export interface NumberDetail {
  number: SenderNumber;
  health: NumberHealthFigures;
  newRecipientsToday: number;
  stickyContacts: number;
  changes: StateChange[];
}

interface FiguresRow {
  id: string;
  delivered: number;
  failed: number;
  codes: Record<string, number> | null;
  new_recipients_today: number;
  sticky_contacts: number;
}

interface ChangeRow {
  number_id: string;
  from_state: NumberState;
  to_state: NumberState;
  reason: string;
  error_code: number | null;
  delivery_rate: number | null;
  samples: number | null;
  created_at: Date;
}

/** Every number of the pool (retired ones last) with health figures and recent changes. */
export async function poolNumberDetails(
  db: Kysely<Database>,
  poolId: string,
  now: Date,
  settings: HealthSettings,
  changesPerNumber = 10,
): Promise<NumberDetail[]> {
  const since = new Date(now.getTime() - settings.policy.windowMs);
  const [numbers, figures, changes] = await Promise.all([
    db
      .selectFrom('sender_numbers')
      .selectAll()
      .where('pool_id', '=', poolId)
      .orderBy(sql`state = 'retired'`)
      .orderBy('id')
      .execute(),
    sql<FiguresRow>`
      WITH recent AS (
        SELECT n.id, o.attribution, o.error_code
          FROM sender_numbers n
          CROSS JOIN LATERAL (
            SELECT attribution, error_code FROM sender_outcomes
             WHERE number_id = n.id AND attribution <> 'ignored' AND at >= ${since}
             ORDER BY at DESC LIMIT ${settings.window}
          ) o
         WHERE n.pool_id = ${poolId}
      ), by_code AS (
        SELECT id, jsonb_object_agg(code, total) AS codes
          FROM (SELECT id, coalesce(error_code::text, 'none') AS code, count(*)::int AS total
                  FROM recent WHERE attribution = 'bad' GROUP BY 1, 2) counted
         GROUP BY id
      ), tallies AS (
        SELECT id, count(*) FILTER (WHERE attribution = 'good')::int AS delivered,
               count(*) FILTER (WHERE attribution = 'bad')::int AS failed
          FROM recent GROUP BY id
      )
      SELECT n.id::text AS id, coalesce(t.delivered, 0) AS delivered, coalesce(t.failed, 0) AS failed,
             b.codes, coalesce(u.new_recipients, 0) AS new_recipients_today,
             (SELECT count(*) FROM sticky_senders s WHERE s.number_id = n.id)::int AS sticky_contacts
        FROM sender_numbers n
        LEFT JOIN tallies t ON t.id = n.id
        LEFT JOIN by_code b ON b.id = n.id
        LEFT JOIN sender_daily_usage u ON u.number_id = n.id AND u.day = ${usageDay(now)}::date
       WHERE n.pool_id = ${poolId}`.execute(db),
    sql<ChangeRow>`
      SELECT c.number_id::text AS number_id, c.from_state, c.to_state, c.reason, c.error_code, c.delivery_rate,
             c.samples, c.created_at
        FROM sender_numbers n
        CROSS JOIN LATERAL (
          SELECT * FROM sender_state_changes WHERE number_id = n.id
           ORDER BY created_at DESC, id DESC LIMIT ${changesPerNumber}
        ) c
       WHERE n.pool_id = ${poolId}`.execute(db),
  ]);
  const figuresById = new Map(figures.rows.map((row) => [row.id, row]));
  const changesById = new Map<string, StateChange[]>();
  for (const row of changes.rows) {
    const list = changesById.get(row.number_id) ?? [];
    list.push({
      from: row.from_state,
      to: row.to_state,
      reason: row.reason,
      errorCode: row.error_code,
      deliveryRate: row.delivery_rate,
      samples: row.samples,
      at: row.created_at,
    });
    changesById.set(row.number_id, list);
  }
  return numbers.map((number) => {
    const row = figuresById.get(number.id);
    const delivered = row?.delivered ?? 0;
    const senderFailures = row?.failed ?? 0;
    const samples = delivered + senderFailures;
    return {
      number,
      health: {
        deliveryRate: samples === 0 ? null : delivered / samples,
        samples,
        delivered,
        senderFailures,
        failuresByCode: row?.codes ?? {},
      },
      newRecipientsToday: row?.new_recipients_today ?? 0,
      stickyContacts: row?.sticky_contacts ?? 0,
      changes: changesById.get(number.id) ?? [],
    };
  });
}

export interface Reassignment {
  contactId: string;
  fromNumberId: string | null;
  toNumberId: string | null;
  reason: string;
  at: Date;
}

/** The pool's latest sticky-sender moves, newest first. */
export async function recentReassignments(
  db: Kysely<Database>,
  poolId: string,
  limit = 20,
): Promise<Reassignment[]> {
  const rows = await sql<{
    contact_id: string;
    from_number_id: string | null;
    to_number_id: string | null;
    reason: string;
    created_at: Date;
  }>`
    SELECT contact_id::text AS contact_id, from_number_id::text AS from_number_id,
           to_number_id::text AS to_number_id, reason, created_at
      FROM sticky_reassignments WHERE pool_id = ${poolId}
     ORDER BY created_at DESC, id DESC LIMIT ${limit}`.execute(db);
  return rows.rows.map((row) => ({
    contactId: row.contact_id,
    fromNumberId: row.from_number_id,
    toNumberId: row.to_number_id,
    reason: row.reason,
    at: row.created_at,
  }));
}

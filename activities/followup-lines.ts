import { sql } from 'kysely';
import { displayPhone } from '../core/followup-text.ts';
import type { Db } from '../db/connect.ts';
import type { HealthSettings } from '../db/health-settings.ts';
import type { SendableMessage } from '../db/messages.ts';
import { reserveSenders } from '../db/sender-reservations.ts';

/** Whether a template names the contact's Blooio line. */
export const usesFollowupNumber = (template: string) =>
  /\{\{\s*followup_number\s*(\|[^}]*)?\}\}/.test(template);

/**
 * The rows with `followup_number` among their attributes: each contact's sticky Blooio line,
 * as people write it. A contact without one gets one from the campaign's follow-up pool (chosen
 * as a sender is, no send slot taken) and keeps it: the hand-off and every answer later leave
 * from it. A contact the pool has no line for keeps the attributes it had, and the render says
 * the variable is missing.
 */
export async function withFollowupNumbers(
  db: Db,
  input: { poolId: string; campaignId: string; health: HealthSettings; now: Date },
  rows: readonly SendableMessage[],
): Promise<SendableMessage[]> {
  if (rows.length === 0) return [];
  const contactIds = [...new Set(rows.map((row) => row.contact_id))];
  const known = await sql<{ contact_id: string; phone: string }>`
    SELECT cv.contact_id::text AS contact_id, n.phone
      FROM conversations cv JOIN sender_numbers n ON n.id = cv.number_id
     WHERE cv.contact_id = ANY(${contactIds}::bigint[])`.execute(db);
  const lines = new Map(known.rows.map((row) => [row.contact_id, row.phone]));
  const missing = [
    ...new Map(
      rows.filter((row) => !lines.has(row.contact_id)).map((row) => [row.contact_id, row]),
    ).values(),
  ];
  if (missing.length > 0) {
    const grants = await reserveSenders(
      db,
      input.poolId,
      missing.map((row) => ({
        contactId: row.contact_id,
        toPhone: row.to_phone,
        areaCode: row.area_code,
        region: row.region,
        segments: 1,
      })),
      input.now,
      { health: input.health, reserveSlots: false },
    );
    const chosen = grants.flatMap((grant) => (grant.ok ? [grant] : []));
    if (chosen.length > 0) {
      // Contacts in id order: concurrent batches lock conversation rows in one order.
      chosen.sort((a, b) => (BigInt(a.contactId) < BigInt(b.contactId) ? -1 : 1));
      const kept = await sql<{ contact_id: string; phone: string }>`
        WITH chosen AS (
          SELECT * FROM unnest(${chosen.map((g) => g.contactId)}::bigint[],
                               ${chosen.map((g) => g.numberId)}::bigint[])
                   WITH ORDINALITY AS c(contact_id, number_id, ord)
        ), kept AS (
          INSERT INTO conversations AS cv (contact_id, campaign_id, pool_id, number_id)
          SELECT contact_id, ${input.campaignId}::uuid, ${input.poolId}::uuid, number_id
            FROM chosen ORDER BY ord
          ON CONFLICT (contact_id) DO UPDATE SET
            number_id = COALESCE(cv.number_id, EXCLUDED.number_id),
            pool_id = COALESCE(cv.pool_id, EXCLUDED.pool_id),
            updated_at = now()
          RETURNING cv.contact_id, cv.number_id
        )
        SELECT kept.contact_id::text AS contact_id, n.phone
          FROM kept JOIN sender_numbers n ON n.id = kept.number_id`.execute(db);
      for (const row of kept.rows) lines.set(row.contact_id, row.phone);
    }
  }
  return rows.map((row) => {
    const line = lines.get(row.contact_id);
    return line === undefined
      ? row
      : { ...row, attributes: { ...row.attributes, followup_number: displayPhone(line) } };
  });
}

import { sql } from 'kysely';
import {
  decideOnStoredKey,
  IDEMPOTENCY_KEY_TTL_MS,
  type IdempotencyDecision,
} from '../core/idempotency.ts';
import type { Db } from './connect.ts';

export interface IdempotencyClaim {
  principal: string;
  key: string;
}

/**
 * Claims `key` for this request, or says what to do instead (replay the stored answer, wait for
 * the request holding it, refuse a different request under the same key).
 */
export async function claimIdempotencyKey(
  db: Db,
  claim: IdempotencyClaim,
  fingerprint: string,
): Promise<{ kind: 'claimed' } | Exclude<IdempotencyDecision, { kind: 'take_over' }>> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ principal: claim.principal, key: claim.key, fingerprint })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted !== undefined) return { kind: 'claimed' };
  return db.transaction().execute(async (trx) => {
    const stored = await trx
      .selectFrom('idempotency_keys')
      .select([
        'fingerprint',
        'claimed_at',
        'completed_at',
        'status_code',
        'content_type',
        'body',
        sql<Date>`now()`.as('now'),
      ])
      .where('principal', '=', claim.principal)
      .where('key', '=', claim.key)
      .forUpdate()
      .executeTakeFirst();
    if (stored === undefined) {
      await trx
        .insertInto('idempotency_keys')
        .values({ principal: claim.principal, key: claim.key, fingerprint })
        .execute();
      return { kind: 'claimed' as const };
    }
    const decision = decideOnStoredKey(
      {
        fingerprint: stored.fingerprint,
        claimedAt: stored.claimed_at,
        completedAt: stored.completed_at,
        statusCode: stored.status_code,
        contentType: stored.content_type,
        body: stored.body,
      },
      fingerprint,
      stored.now,
    );
    if (decision.kind !== 'take_over') return decision;
    await trx
      .updateTable('idempotency_keys')
      .set({
        fingerprint,
        claimed_at: sql`now()`,
        completed_at: null,
        status_code: null,
        content_type: null,
        body: null,
      })
      .where('principal', '=', claim.principal)
      .where('key', '=', claim.key)
      .execute();
    return { kind: 'claimed' as const };
  });
}

export async function completeIdempotencyKey(
  db: Db,
  claim: IdempotencyClaim,
  answer: { statusCode: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      completed_at: sql`now()`,
      status_code: answer.statusCode,
      content_type: answer.contentType,
      body: answer.body,
    })
    .where('principal', '=', claim.principal)
    .where('key', '=', claim.key)
    .execute();
}

/** Frees a key whose request failed on the server's side, so a retry does the work. */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('principal', '=', claim.principal)
    .where('key', '=', claim.key)
    .where('completed_at', 'is', null)
    .execute();
}

export async function pruneIdempotencyKeys(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where(
      'claimed_at',
      '<',
      sql<Date>`now() - make_interval(secs => ${IDEMPOTENCY_KEY_TTL_MS / 1000})`,
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

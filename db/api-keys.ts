import { sql, type Kysely, type Selectable } from 'kysely';
import { LAST_USED_RESOLUTION_SECONDS, type ApiKeyScope } from '../core/api-keys.ts';
import type { ApiKeyTable, Database } from './tables.ts';
import { inTransaction } from './transaction.ts';

/** A key as lists show it: everything but its hash. */
export type ApiKeyRow = Omit<Selectable<ApiKeyTable>, 'key_hash'>;

const shown = [
  'id',
  'name',
  'scope',
  'prefix',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

export interface NewApiKey {
  id: string;
  name: string;
  scope: ApiKeyScope;
  keyHash: Buffer;
  prefix: string;
}

export async function insertApiKey(db: Kysely<Database>, key: NewApiKey): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({
      id: key.id,
      name: key.name,
      scope: key.scope,
      key_hash: key.keyHash,
      prefix: key.prefix,
    })
    .returning(shown)
    .executeTakeFirstOrThrow();
}

/** The key with this hash, revoked or not (one unique-index lookup). */
export async function findApiKeyByHash(
  db: Kysely<Database>,
  keyHash: Buffer,
): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(shown).where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Records a use of the key, unless one was recorded within the last minute. */
export async function touchApiKey(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb(
          'last_used_at',
          '<',
          sql<Date>`${at}::timestamptz - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS})`,
        ),
      ]),
    )
    .execute();
}

export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').select(shown).orderBy('created_at').orderBy('id').execute();
}

export type RevokeOutcome =
  | { kind: 'revoked'; key: ApiKeyRow }
  | { kind: 'already_revoked'; key: ApiKeyRow }
  | { kind: 'last_admin'; key: ApiKeyRow }
  | { kind: 'not_found' };

/**
 * Revokes a key from now on. The last active admin key is never revoked: nobody could manage
 * keys after it. Active admin keys are locked first, so two revocations at once cannot each
 * leave the other's key as the last one and then revoke it too.
 */
export async function revokeApiKey(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<RevokeOutcome> {
  return inTransaction(db, async (trx) => {
    const admins = await trx
      .selectFrom('api_keys')
      .select('id')
      .where('scope', '=', 'admin')
      .where('revoked_at', 'is', null)
      .forUpdate()
      .execute();
    const key = await trx
      .selectFrom('api_keys')
      .select(shown)
      .where('id', '=', id)
      .executeTakeFirst();
    if (key === undefined) return { kind: 'not_found' };
    if (key.revoked_at !== null) return { kind: 'already_revoked', key };
    if (key.scope === 'admin' && admins.length <= 1) return { kind: 'last_admin', key };
    const revoked = await trx
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .returning(shown)
      .executeTakeFirstOrThrow();
    return { kind: 'revoked', key: revoked };
  });
}

/**
 * Makes `key` the admin key named `bootstrap` when no active admin key exists (a fresh
 * database). Several API processes starting at once insert it once: the hash is unique.
 * Returns whether it was inserted.
 */
export async function bootstrapAdminKey(
  db: Kysely<Database>,
  key: Omit<NewApiKey, 'name' | 'scope'>,
): Promise<boolean> {
  const result = await sql`
    INSERT INTO api_keys (id, name, scope, key_hash, prefix)
    SELECT ${key.id}, 'bootstrap', 'admin', ${key.keyHash}, ${key.prefix}
     WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE scope = 'admin' AND revoked_at IS NULL)
    ON CONFLICT (key_hash) DO NOTHING`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

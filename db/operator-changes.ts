import { sql } from 'kysely';
import type { Db } from './connect.ts';
import type { OperatorResource } from './tables.ts';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface OperatorChange {
  resourceType: OperatorResource;
  resourceId: string;
  action: string;
  actor: string;
  changes: FieldChanges;
  reason?: string | null;
}

/** Records one operator change (inside the caller's transaction when `db` is one). */
export async function recordOperatorChange(
  db: Db,
  change: OperatorChange,
  at: Date,
): Promise<void> {
  await db
    .insertInto('operator_changes')
    .values({
      resource_type: change.resourceType,
      resource_id: change.resourceId,
      action: change.action,
      actor: change.actor,
      changes: JSON.stringify(change.changes),
      reason: change.reason ?? null,
      created_at: at,
    })
    .execute();
}

/**
 * The fields of `after` whose value differs from `before` (compared as JSON), each with both
 * values: what an update changed, and nothing it only repeated.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[field] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(value))
      changes[field] = { before: old, after: value };
  }
  return changes;
}

export interface OperatorChangeRow {
  id: string;
  action: string;
  actor: string;
  changes: FieldChanges;
  reason: string | null;
  created_at: Date;
}

/** A resource's operator changes, oldest first. */
export async function operatorChangesOf(
  db: Db,
  resourceType: OperatorResource,
  resourceId: string,
  limit: number,
): Promise<OperatorChangeRow[]> {
  const result = await sql<OperatorChangeRow>`
    SELECT id::text AS id, action, actor, changes, reason, created_at FROM operator_changes
     WHERE resource_type = ${resourceType} AND resource_id = ${resourceId}
     ORDER BY created_at, id LIMIT ${limit}`.execute(db);
  return result.rows;
}

import { sql, type RawBuilder } from 'kysely';
import { STATUS_GROUPS, type MessageStatus, type StatusGroup } from '../core/message-status.ts';

// The message lifecycle (core/message-status.ts) in SQL. Statuses are written as literals,
// not parameters, so the planner matches partial indexes whose predicate names them.

const literals = (statuses: readonly MessageStatus[]) =>
  sql.join(statuses.map((status) => sql.lit(status)));

/** `column IN (…the group's statuses…)`. */
export function statusIn(column: string, group: StatusGroup): RawBuilder<unknown> {
  return sql`${sql.ref(column)} IN (${literals(STATUS_GROUPS[group])})`;
}

/** `column = 'status'`. */
export function statusIs(column: string, status: MessageStatus): RawBuilder<unknown> {
  return sql`${sql.ref(column)} = ${sql.lit(status)}`;
}

/** The status as an SQL literal (for SET and VALUES). */
export function statusLit(status: MessageStatus): RawBuilder<unknown> {
  return sql.lit(status);
}

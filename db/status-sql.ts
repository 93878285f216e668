import { sql, type RawBuilder } from 'kysely';
import {
  MESSAGE_STATUSES,
  STATUS_GROUPS,
  statusRank,
  type MessageStatus,
  type StatusGroup,
} from '../core/message-status.ts';

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

/**
 * The status's rank in the lifecycle's order (`statusRank`) as an SQL expression; NULL (no
 * status yet) ranks below every status. `skipped` is outside the ladder and ranks above all.
 */
export function statusRankSql(status: RawBuilder<unknown>): RawBuilder<number> {
  const rank = (s: MessageStatus) => {
    const r = statusRank(s);
    return Number.isFinite(r) ? r : 1000;
  };
  const cases = MESSAGE_STATUSES.map((s) => sql`WHEN ${sql.lit(s)} THEN ${sql.lit(rank(s))}`);
  return sql<number>`(CASE ${status} ${sql.join(cases, sql` `)} ELSE -1 END)`;
}

import type { ColumnType, Generated, Kysely } from 'kysely';
import type { BigId, BigRef, Database, NullableBigRef, Timestamp } from './tables.ts';

/** Smooth weighted round-robin state of a pool, shared by every process that sends from it. */
export interface PoolSelectionStateTable {
  pool_id: string;
  wrr: ColumnType<Record<string, number>, string | undefined, string>;
  updated_at: Timestamp;
}

/** New recipients a number took on one (UTC) day, for its daily cap. */
export interface SenderDailyUsageTable {
  number_id: BigRef;
  day: ColumnType<string, string, string>;
  new_recipients: Generated<number>;
}

export type OutcomeAttribution = 'good' | 'bad' | 'ignored';

export interface SenderOutcomeTable {
  id: BigId;
  number_id: BigRef;
  status: 'delivered' | 'undelivered' | 'failed';
  error_code: number | null;
  attribution: OutcomeAttribution;
  at: Timestamp;
}

export interface StickyReassignmentTable {
  id: BigId;
  pool_id: string;
  contact_id: BigRef;
  from_number_id: NullableBigRef;
  to_number_id: NullableBigRef;
  reason: string;
  created_at: Timestamp;
}

/** Tables added by the sender-selection migration. */
export type SenderTables = {
  pool_selection_state: PoolSelectionStateTable;
  sender_daily_usage: SenderDailyUsageTable;
  sender_outcomes: SenderOutcomeTable;
  sticky_reassignments: StickyReassignmentTable;
};

export type SenderDb = Kysely<Database & SenderTables>;

/** The same connection (or transaction), typed with the sender-selection tables too. */
export function senderDb(db: Kysely<Database>): SenderDb {
  return db.withTables<SenderTables>();
}

import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/** What the carrier's ledger and tandem's rows say about one campaign's first step. */
export interface ExactlyOnceReport {
  targeted: number;
  eligible: number;
  /** Eligible people the carrier's ledger shows texted at least once. */
  texted: number;
  /** Extra texts: ledger entries beyond one per person. */
  textedTwice: number;
  eligibleNeverTexted: number;
  /** Rows without a final status. */
  stuck: number;
  /** Status callbacks stored but never applied, for messages tandem knows. */
  statusesUnapplied: number;
  /** Texts in the ledger whose sid tandem has no record of. */
  unrecorded: number;
  /** Rows whose stored status disagrees with the carrier's final one. */
  statusMismatches: number;
  /** Sum of `attempts` over the rows, and rows with more than one. */
  attempts: number;
  retried: number;
}

export interface LedgerText {
  sid: string;
  to: string;
}

/**
 * Audits a campaign against the sandbox's ledger (every text the carrier created). Eligible:
 * not opted out when the campaign ran (skipped rows are not eligible).
 */
export async function exactlyOnceReport(
  db: Db,
  campaignId: string,
  ledger: readonly LedgerText[],
  carrierStatus?: (sid: string) => string | undefined,
): Promise<ExactlyOnceReport> {
  const rows = await sql<{
    to_phone: string;
    status: string;
    provider_sid: string | null;
    attempts: number;
  }>`SELECT to_phone, status, provider_sid, attempts FROM messages
      WHERE campaign_id = ${campaignId} AND step = 0`.execute(db);
  const attemptSids = await sql<{ provider_sid: string }>`
    SELECT a.provider_sid FROM message_attempts a JOIN messages m ON m.id = a.message_id
     WHERE m.campaign_id = ${campaignId} AND a.provider_sid IS NOT NULL`.execute(db);
  const known = new Set(attemptSids.rows.map((row) => row.provider_sid));
  const unapplied = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM message_events e
     WHERE e.applied_at IS NULL AND e.provider_sid = ANY(${[...known]}::text[])`.execute(db);

  const phones = new Set(rows.rows.map((row) => row.to_phone));
  const eligible = rows.rows.filter((row) => row.status !== 'skipped');
  const perPhone = new Map<string, number>();
  let unrecorded = 0;
  for (const text of ledger) {
    if (!phones.has(text.to)) continue;
    perPhone.set(text.to, (perPhone.get(text.to) ?? 0) + 1);
    if (!known.has(text.sid)) unrecorded += 1;
  }
  const final = new Set(['delivered', 'undelivered', 'failed', 'skipped']);
  let statusMismatches = 0;
  if (carrierStatus !== undefined) {
    for (const row of rows.rows) {
      if (row.provider_sid === null) continue;
      const expected = carrierStatus(row.provider_sid);
      if (expected !== undefined && expected !== row.status) statusMismatches += 1;
    }
  }
  return {
    targeted: rows.rows.length,
    eligible: eligible.length,
    texted: eligible.filter((row) => perPhone.has(row.to_phone)).length,
    textedTwice: [...perPhone.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    eligibleNeverTexted: eligible.filter((row) => !perPhone.has(row.to_phone)).length,
    stuck: rows.rows.filter((row) => !final.has(row.status)).length,
    statusesUnapplied: unapplied.rows[0]?.n ?? 0,
    unrecorded,
    statusMismatches,
    attempts: rows.rows.reduce((sum, row) => sum + row.attempts, 0),
    retried: rows.rows.filter((row) => row.attempts > 1).length,
  };
}

/** The report once no status callback is left unapplied (or as it stands after `timeoutMs`). */
export async function settledReport(
  report: () => Promise<ExactlyOnceReport>,
  timeoutMs = 15_000,
): Promise<ExactlyOnceReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await report();
    if (current.statusesUnapplied === 0 || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

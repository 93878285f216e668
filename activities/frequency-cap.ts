import { checkFrequencyCap, type CapWindow } from '../core/frequency-cap.ts';
import { lockContactsForCap, recentTexts } from '../db/frequency-cap.ts';
import type { Db } from '../db/connect.ts';
import { claimRows, markDeferred, type Claim, type Deferral } from '../db/message-writes.ts';
import type { SendableMessage } from '../db/messages.ts';
import { inTransaction } from '../db/transaction.ts';
import { rowState } from './reconcile.ts';

/** Items whose contact may have one more text now, and the others with when they may. */
async function splitByCap<T>(
  db: Db,
  items: readonly T[],
  rowOf: (item: T) => SendableMessage,
  cap: CapWindow,
  now: Date,
): Promise<{ allowed: T[]; capped: Deferral[] }> {
  const rows = items.map(rowOf);
  const times = await recentTexts(
    db,
    rows.map((row) => row.contact_id),
    rows.map((row) => row.id),
    new Date(now.getTime() - cap.windowMs),
    now,
  );
  const allowed: T[] = [];
  const capped: Deferral[] = [];
  for (const item of items) {
    const row = rowOf(item);
    const check = checkFrequencyCap(times.get(row.contact_id) ?? [], cap, now);
    if (check.allowed) allowed.push(item);
    else capped.push({ row: rowState(row), at: check.opensAt, reason: 'frequency_cap' });
  }
  return { allowed, capped };
}

/**
 * A first look, without locks, before sender slots are reserved: rows of contacts already at
 * the cap wait (`frequency_cap`) instead of taking a slot. `claimUnderCap` has the last word.
 */
export async function deferOverCap<T>(
  db: Db,
  items: readonly T[],
  rowOf: (item: T) => SendableMessage,
  cap: CapWindow,
  now: Date,
): Promise<T[]> {
  if (items.length === 0) return [];
  const { allowed, capped } = await splitByCap(db, items, rowOf, cap, now);
  await markDeferred(db, capped);
  return allowed;
}

export interface CappedClaim {
  claim: Claim;
  row: SendableMessage;
}

/**
 * Claims rows under the cap, in one transaction holding each contact's cap lock: the count
 * and the claim are one step, and a claimed row counts for every other sender at once (as
 * in flight), so campaigns sending to the same contacts together never pass the cap.
 * Rows over it wait until it opens. Returns the ids claimed and the rows deferred.
 */
export async function claimUnderCap(
  db: Db,
  token: string,
  claims: readonly CappedClaim[],
  cap: CapWindow,
  now: () => Date,
): Promise<{ claimed: Set<string>; capped: number }> {
  if (claims.length === 0) return { claimed: new Set(), capped: 0 };
  return inTransaction(db, async (trx) => {
    await lockContactsForCap(
      trx,
      claims.map(({ row }) => row.contact_id),
    );
    const { allowed, capped } = await splitByCap(trx, claims, ({ row }) => row, cap, now());
    await markDeferred(trx, capped);
    const claimed = await claimRows(
      trx,
      token,
      allowed.map(({ claim }) => claim),
    );
    return { claimed, capped: capped.length };
  });
}

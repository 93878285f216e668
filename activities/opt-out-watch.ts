import type { Db } from '../db/connect.ts';
import { optedOutAmong } from '../db/send-watches.ts';

const REFRESH_MS = 250;

export interface OptOutWatch {
  /** The latest answer for one contact, without waiting. */
  optedOut(contactId: string): boolean;
  stop(): void;
}

/**
 * `optOut` skips a contact's rows that nobody has claimed; a claimed row may wait seconds for
 * its slot, and the person may say STOP (or an operator, or a carrier refusing another
 * campaign's text, may opt them out) meanwhile. The watch reads which of the claimed contacts
 * are opted out, once before the first dispatch and then every quarter second, and a sender
 * asks it just before it dispatches: an opt-out reaches every claimed row within that time.
 * (A request already on the wire cannot be called back.)
 */
export async function watchOptOuts(db: Db, contactIds: readonly string[]): Promise<OptOutWatch> {
  const ids = [...new Set(contactIds)];
  const optedOut = new Set<string>();
  let inFlight: Promise<void> | undefined;
  const refresh = () => {
    inFlight ??= optedOutAmong(db, ids)
      .then((found) => {
        for (const id of found) optedOut.add(id);
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  if (ids.length === 0) return { optedOut: () => false, stop: () => undefined };
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
  timer.unref();
  return { optedOut: (id) => optedOut.has(id), stop: () => clearInterval(timer) };
}

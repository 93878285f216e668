import type { Kysely } from 'kysely';
import type { SendCost } from '../core/gcra.ts';
import { selectSenders } from '../core/sender-selection.ts';
import type { SelectionErrorCode, SelectionRequest, SenderPick } from '../core/sender-selection.ts';
import type { HealthSettings } from './health-settings.ts';
import { refreshNumberStates } from './number-health.ts';
import { loadPoolNumbers, lockPoolSelection, saveWrrState } from './pool-selection-state.ts';
import type { PoolNumberRow } from './pool-selection-state.ts';
import {
  countNewRecipients,
  loadStickyNumbers,
  storeStickyAssignments,
} from './sender-assignments.ts';
import type { StickyAssignment } from './sender-assignments.ts';
import { reserveSlots } from './sender-slots.ts';
import type { SlotDemand } from './sender-slots.ts';
import type { Database, Pool } from './tables.ts';
import { inTransaction } from './transaction.ts';

export interface SenderRequest {
  contactId: string;
  toPhone: string;
  areaCode: string | null;
  region: string | null;
  segments: number;
  /** The message carries media (an MMS): paced at the number's MMS rate. */
  media?: boolean;
  excludeNumberIds?: readonly string[];
  fromNumber?: string;
}

export type SenderGrant =
  | {
      ok: true;
      contactId: string;
      numberId: string;
      fromPhone: string;
      sendAt: Date;
      reason: 'sticky' | 'area_code' | 'region' | 'any' | 'explicit';
    }
  | {
      ok: false;
      contactId: string;
      code:
        | 'all_unhealthy'
        | 'all_misconfigured'
        | 'no_numbers'
        | 'from_number_not_owned'
        | 'no_eligible_number';
      message: string;
    };

type GrantError = Extract<SenderGrant, { ok: false }>;

export interface ReserveOptions {
  /** Number-health thresholds, from the caller's config. */
  health: HealthSettings;
  /**
   * Share of each number's MPS kept free (0.1 = reserve at 90%). A send reaches the carrier
   * a little after its slot, by a jitter that varies; the headroom keeps the carrier's
   * per-second count within the limit whatever that jitter (up to 1000/(1-h) - 1000 ms).
   */
  rateHeadroom?: number;
  /**
   * False: choose senders (sticky, geomatch, weights, health) without reserving send slots,
   * for a choice no message of this pool is sent for now (a follow-up line named in an SMS).
   */
  reserveSlots?: boolean;
}

function grantCode(code: SelectionErrorCode): GrantError['code'] {
  switch (code) {
    case 'all_unhealthy':
    case 'all_misconfigured':
    case 'no_numbers':
    case 'from_number_not_owned':
      return code;
    default:
      return 'no_eligible_number';
  }
}

/** Why a contact's sticky sender was not used, or null when it was only excluded this once. */
function moveReason(
  sticky: PoolNumberRow | undefined,
  request: SenderRequest,
  stickyId: string,
): string | null {
  if (request.excludeNumberIds?.includes(stickyId)) return null;
  if (sticky === undefined) return 'previous sender retired or removed from the pool';
  if (sticky.state === 'cooling') return `previous sender ${sticky.phone} is cooling down`;
  return `previous sender ${sticky.phone} is no longer eligible (${sticky.state}, weight ${sticky.weight})`;
}

/**
 * Chooses a sender for every request (sticky → geomatch → weights, skipping unhealthy/capped/
 * excluded numbers), stores new sticky assignments, counts daily caps, and reserves GCRA
 * slots (segments × 1/MPS) for all of them in few statements, so any number of processes
 * together never exceed a number's MPS.
 *
 * One transaction per call: the pool's selection-state row is locked first, so concurrent
 * callers take turns and together follow one smooth weighted round-robin sequence (even
 * spreading across processes); then the chosen numbers' slots advance in one UPDATE that
 * locks them in id order.
 */
export async function reserveSenders(
  db: Kysely<Database>,
  poolId: string,
  requests: readonly SenderRequest[],
  now: Date,
  options: ReserveOptions,
): Promise<SenderGrant[]> {
  if (requests.length === 0) return [];
  // Time-based health changes (cool-down over) first, outside the pool lock.
  await refreshNumberStates(db, now, options.health, poolId);
  return inTransaction(db, async (trx) => {
    const locked = await lockPoolSelection(trx, poolId, now);
    if (locked === null) {
      const message = `Pool ${poolId} does not exist`;
      return requests.map((r) => ({
        ok: false,
        contactId: r.contactId,
        code: 'no_numbers',
        message,
      }));
    }
    const { pool } = locked;
    const numbers = await loadPoolNumbers(trx, poolId, now);
    const stickyByContact = pool.sticky_sender
      ? await loadStickyNumbers(
          trx,
          poolId,
          requests.map((r) => r.contactId),
        )
      : new Map<string, string>();
    const selection = selectSenders(
      pool,
      numbers,
      requests.map((r): SelectionRequest => ({
        contactId: r.contactId,
        areaCode: r.areaCode,
        region: r.region,
        stickyNumberId: stickyByContact.get(r.contactId) ?? null,
        fromNumber: r.fromNumber ?? null,
        excludeNumberIds: r.excludeNumberIds ?? [],
      })),
      locked.wrr,
    );
    const picks = selection.results.flatMap((result, i) => {
      const request = requests[i];
      return result.ok && request !== undefined ? [{ pick: result, request }] : [];
    });
    const byId = new Map(numbers.map((n) => [n.id, n]));
    await Promise.all([
      saveWrrState(trx, poolId, selection.state),
      storeStickyAssignments(trx, poolId, stickyChanges(pool, picks, stickyByContact, byId), now),
      countNewRecipients(trx, newRecipientCounts(picks), now),
    ]);
    const sendAts =
      options.reserveSlots === false
        ? new Map(picks.map(({ pick }) => [pick.numberId, picks.map(() => now)]))
        : await reserveSlots(
            trx,
            slotDemands(picks),
            new Map(numbers.map((n) => [n.id, { mps: n.mps, mmsMps: n.mms_mps }])),
            now,
            options.rateHeadroom ?? 0,
          );
    const taken = new Map<string, number>();
    return selection.results.map((result): SenderGrant => {
      if (!result.ok) {
        const { contactId, code, message } = result;
        return { ok: false, contactId, code: grantCode(code), message };
      }
      const index = taken.get(result.numberId) ?? 0;
      taken.set(result.numberId, index + 1);
      const sendAt = sendAts.get(result.numberId)?.[index];
      if (sendAt === undefined) throw new Error(`no slot reserved for number ${result.numberId}`);
      const { contactId, numberId, phone: fromPhone, reason } = result;
      return { ok: true, contactId, numberId, fromPhone, sendAt, reason };
    });
  });
}

interface Picked {
  pick: SenderPick;
  request: SenderRequest;
}

function stickyChanges(
  pool: Pool,
  picks: readonly Picked[],
  stickyByContact: ReadonlyMap<string, string>,
  byId: ReadonlyMap<string, PoolNumberRow>,
): StickyAssignment[] {
  if (!pool.sticky_sender) return [];
  return picks.flatMap(({ pick, request }): StickyAssignment[] => {
    if (pick.reason === 'explicit' || pick.reason === 'sticky') return [];
    const previous = stickyByContact.get(pick.contactId);
    if (previous === undefined) {
      return [
        { contactId: pick.contactId, numberId: pick.numberId, fromNumberId: null, reason: null },
      ];
    }
    if (previous === pick.numberId) return [];
    const reason = moveReason(byId.get(previous), request, previous);
    if (reason === null) return [];
    return [{ contactId: pick.contactId, numberId: pick.numberId, fromNumberId: previous, reason }];
  });
}

function newRecipientCounts(picks: readonly Picked[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { pick } of picks) {
    if (pick.newRecipient) counts.set(pick.numberId, (counts.get(pick.numberId) ?? 0) + 1);
  }
  return counts;
}

function slotDemands(picks: readonly Picked[]): SlotDemand[] {
  const byNumber = new Map<string, SendCost[]>();
  for (const { pick, request } of picks) {
    const list = byNumber.get(pick.numberId) ?? [];
    list.push({
      segments: Math.max(1, Math.ceil(request.segments)),
      media: request.media === true,
    });
    byNumber.set(pick.numberId, list);
  }
  return [...byNumber].map(([numberId, sends]) => ({ numberId, sends }));
}

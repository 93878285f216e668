import type { DueWork } from '../core/campaign-contracts.ts';
import { healthSettings } from '../db/health-settings.ts';
import { dueSummary, staleMessages, type MessageScope } from '../db/messages.ts';
import {
  applyPendingEventsFor,
  applyStatusEvents,
  recordStatusEvents,
} from '../db/status-events.ts';
import type { ActivityDeps } from './deps.ts';
import { heartbeat } from './heartbeat.ts';

/**
 * The checks a sender workflow runs between sends, for a campaign's messages or a pool's
 * one-offs alike: what is due and when, and the carrier asked about messages whose final
 * status never came.
 */

/** Applies the scope's pending status events, then counts what is due now, later, and at the carrier. */
export async function dueWorkOf(deps: ActivityDeps, owner: MessageScope): Promise<DueWork> {
  const { db, config, clock } = deps;
  const onApplied = deps.onStatusApplied;
  const scope = { owner, health: healthSettings(config), ...(onApplied ? { onApplied } : {}) };
  while ((await applyStatusEvents(db, scope)) > 0) heartbeat('applying status events');
  const now = clock();
  const summary = await dueSummary(db, owner, now, config.STATUS_TIMEOUT_SECONDS);
  const nextDueAt = summary.next_due_at === null ? null : new Date(summary.next_due_at);
  return {
    dueNow: summary.due_now,
    nextDueAt: nextDueAt?.toISOString() ?? null,
    ...(nextDueAt === null ? {} : { nextDueInMs: nextDueAt.getTime() - now.getTime() }),
    awaitingStatus: summary.awaiting_status,
    stale: summary.stale,
  };
}

/** Asks the carrier for messages whose final status never arrived, and applies what it says. */
export async function reconcileStaleOf(
  deps: ActivityDeps,
  owner: MessageScope,
): Promise<{ checked: number }> {
  const { db, config, clock } = deps;
  const olderThan = new Date(clock().getTime() - config.STATUS_TIMEOUT_SECONDS * 1000);
  const rows = await staleMessages(db, owner, olderThan, 500);
  const sids: string[] = [];
  for (const row of rows) {
    heartbeat({ reconciling: row.id });
    if (row.provider_sid === null) continue;
    const fetched = await deps.sms.fetch(row.provider_sid);
    await recordStatusEvents(db, [
      {
        provider: 'twilio',
        sid: fetched.sid,
        status: fetched.status,
        errorCode: fetched.errorCode,
        payload: { source: 'fetch' },
        source: 'fetch',
      },
    ]);
    // Checked now: looked at again only after another status timeout.
    await db
      .updateTable('messages')
      .set({ updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    sids.push(row.provider_sid);
  }
  await applyPendingEventsFor(db, sids, healthSettings(config), deps.onStatusApplied);
  return { checked: rows.length };
}

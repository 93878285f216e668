import { heartbeat } from '@temporalio/activity';
import {
  countStatusCheck,
  nextBlooioCheckAt,
  staleBlooioMessages,
} from '../db/blooio-status-checks.ts';
import { applyBlooioStatuses } from '../db/conversation-messages.ts';
import type { ActivityDeps } from './deps.ts';

/**
 * Blooio statuses that never came by webhook are asked for, as Twilio's are: each of the
 * contact's iMessages without a final status `timeoutSeconds` after its last news is
 * fetched, and what Blooio says is applied like a webhook (once, monotonically).
 */
export function createBlooioStatusActivities(deps: ActivityDeps) {
  const { db, clock } = deps;
  return {
    async checkBlooioStatuses(input: {
      contactId: string;
      timeoutSeconds: number;
    }): Promise<{ checked: number; nextCheckInMs: number | null }> {
      const now = clock();
      const stale = await staleBlooioMessages(
        db,
        input.contactId,
        new Date(now.getTime() - input.timeoutSeconds * 1000),
      );
      for (const message of stale) {
        heartbeat({ checking: message.id });
        const result = await deps.blooio.getStatus(message.chatId, message.sid);
        if (result.kind === 'found') {
          await applyBlooioStatuses(db, [
            {
              messageId: message.sid,
              status: result.message.status,
              protocol: result.message.protocol ?? null,
              error: result.message.error,
              payload: { source: 'fetch', ...result.message.raw },
            },
          ]);
        }
        await countStatusCheck(db, message.id);
      }
      const next = await nextBlooioCheckAt(db, input.contactId, input.timeoutSeconds);
      return {
        checked: stale.length,
        nextCheckInMs: next === null ? null : Math.max(1_000, next.getTime() - clock().getTime()),
      };
    },
  };
}

import { ApplicationFailure } from '@temporalio/activity';
import { healthSettings } from '../db/health-settings.ts';
import { reserveSenders } from '../db/sender-reservations.ts';
import type { ActivityDeps } from './deps.ts';

export interface LineContact {
  id: string;
  phone: string;
  area_code: string | null;
  region: string | null;
}

/**
 * A Blooio line of the follow-up pool for a contact who has none yet: chosen as a campaign's
 * sender is (sticky, local, healthy). Refused for good when the pool has no number to give.
 */
export async function reserveLine(
  deps: Pick<ActivityDeps, 'db' | 'config' | 'clock'>,
  poolId: string,
  contact: LineContact,
): Promise<{ numberId: string; phone: string; sendAt: Date }> {
  const [grant] = await reserveSenders(
    deps.db,
    poolId,
    [
      {
        contactId: contact.id,
        toPhone: contact.phone,
        areaCode: contact.area_code,
        region: contact.region,
        segments: 1,
      },
    ],
    deps.clock(),
    { health: healthSettings(deps.config) },
  );
  if (grant === undefined || !grant.ok) {
    const message = grant?.ok === false ? grant.message : 'no sender granted';
    throw ApplicationFailure.create({ type: 'NoFollowupNumber', message, nonRetryable: true });
  }
  return { numberId: grant.numberId, phone: grant.fromPhone, sendAt: grant.sendAt };
}

import { poolCannotSend } from '../core/pool-readiness.ts';
import type { Db } from '../db/connect.ts';
import type { Campaign } from '../db/tables.ts';
import { ApiError } from './errors.ts';

/**
 * Refuses (409) a launch that could never send anything: a campaign whose audience has no one,
 * or whose SMS or follow-up pool has no number that can send, now or after a cool-down.
 */
export async function assertLaunchable(db: Db, campaign: Campaign): Promise<void> {
  const member = await db
    .selectFrom('audience_members')
    .select('contact_id')
    .where('audience_id', '=', campaign.audience_id)
    .limit(1)
    .executeTakeFirst();
  if (member === undefined) {
    throw new ApiError(
      409,
      'audience_empty',
      `Audience ${campaign.audience_id} has no contacts: the campaign would have no one to text`,
      { audience_id: campaign.audience_id },
    );
  }
  type Role = 'sms' | 'follow-up';
  const pools: { role: Role; id: string }[] = [{ role: 'sms', id: campaign.sms_pool_id }];
  if (campaign.followup_pool_id !== null)
    pools.push({ role: 'follow-up', id: campaign.followup_pool_id });
  for (const { role, id } of pools) {
    const pool = await db.selectFrom('pools').selectAll().where('id', '=', id).executeTakeFirst();
    if (pool === undefined)
      throw new ApiError(409, 'pool_missing', `The campaign's ${role} pool ${id} does not exist`);
    const numbers = await db
      .selectFrom('sender_numbers')
      .selectAll()
      .where('pool_id', '=', id)
      .execute();
    const cause = poolCannotSend(pool, numbers);
    if (cause !== null) {
      const states: Record<string, number> = {};
      for (const number of numbers) states[number.state] = (states[number.state] ?? 0) + 1;
      throw new ApiError(
        409,
        'pool_cannot_send',
        `The ${role} pool "${pool.name}" (${pool.id}) cannot send: ${cause}. Add numbers that can send to it (POST /v1/pools/${pool.id}/numbers), then launch again.`,
        { pool_id: pool.id, pool_name: pool.name, role, numbers_by_state: states },
      );
    }
  }
}

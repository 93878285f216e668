/**
 * A campaign's status as the API reports it, stored in `campaigns.status` and upserted as the
 * `CampaignStatus` search attribute: one list, so the Temporal UI filters on the API's values.
 * `waiting_for_drip`: the broadcast is over but a drip step can still fire for someone; the
 * campaign is `completed` only once none can. `scheduled`: launched with a `start_at` still to
 * come; its workflow waits on a durable timer until then.
 */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'waiting_for_drip',
  'completed',
  'cancelled',
  'failed',
] as const;

export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Nothing happens to such a campaign any more: pause, resume and cancel are refused. */
export const FINISHED_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'completed',
  'cancelled',
  'failed',
];

export function isFinished(status: CampaignStatus): boolean {
  return FINISHED_CAMPAIGN_STATUSES.includes(status);
}

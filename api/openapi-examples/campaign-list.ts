import { BROADCAST_COUNTS as broadcast, RUNNING_CAMPAIGN } from './campaign-views.ts';
import { AT, CAMPAIGN_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** The finished campaign put away two days later, and brought back. */
const archived = (at: string | null) => ({
  responses: {
    200: { id: CAMPAIGN_ID, status: 'completed', archived: at !== null, archived_at: at },
  },
});

export const CAMPAIGN_LIST_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'GET /v1/campaigns': {
    responses: {
      200: {
        campaigns: [
          {
            id: CAMPAIGN_ID,
            name: RUNNING_CAMPAIGN.name,
            status: RUNNING_CAMPAIGN.status,
            audience: { id: RUNNING_CAMPAIGN.audience_id, name: 'Spring promo list' },
            sms_pool_id: RUNNING_CAMPAIGN.sms_pool_id,
            followup_pool_id: RUNNING_CAMPAIGN.followup_pool_id,
            created_at: RUNNING_CAMPAIGN.created_at,
            launched_at: RUNNING_CAMPAIGN.launched_at,
            finished_at: null,
            archived: false,
            archived_at: null,
            progress: {
              targeted: broadcast.targeted,
              sent: broadcast.sent + broadcast.delivered + broadcast.failed,
              delivered: broadcast.delivered,
              failed: broadcast.failed,
            },
          },
        ],
        next_cursor: null,
      },
    },
  },
  'POST /v1/campaigns/{id}/archive': archived(AT.archived),
  'POST /v1/campaigns/{id}/unarchive': archived(null),
};

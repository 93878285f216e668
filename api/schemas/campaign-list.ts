import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../../core/campaign-status.ts';
import { isoTime, nextCursor, pageQuery } from '../list-page.ts';

/** One value, several (`status=a&status=b`) or a comma-separated list (`status=a,b`). */
const oneOrMany = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(',').filter((s) => s !== '') : [v],
  );

export const campaignListQuery = z.object({
  status: z
    .preprocess(oneOrMany, z.array(z.enum(CAMPAIGN_STATUSES)).min(1).max(20))
    .optional()
    .describe('Only these statuses: repeat the parameter or separate them with commas'),
  created_after: isoTime.optional().describe('Created at or after this time'),
  created_before: isoTime.optional().describe('Created before this time'),
  q: z.string().trim().min(1).max(200).optional().describe('Part of the name, case-insensitive'),
  archived: z
    .enum(['false', 'true', 'any'])
    .default('false')
    .describe('false (default): archived campaigns are left out; true: only them; any: both'),
  ...pageQuery,
});

export const campaignSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    audience: z.object({ id: z.string(), name: z.string() }),
    sms_pool_id: z.string(),
    followup_pool_id: z.string().nullable(),
    created_at: z.string(),
    launched_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    archived: z.boolean(),
    archived_at: z.string().nullable(),
    progress: z
      .object({
        targeted: z.number().describe('Messages created (every step)'),
        sent: z.number().describe('Reached the carrier, whatever became of them'),
        delivered: z.number(),
        failed: z.number().describe('Failed or undelivered'),
      })
      .describe('Message counts over every step (GET /v1/campaigns/:id has the full funnel)'),
  })
  .meta({
    examples: [
      {
        id: '3f6d2f0e-8a51-4c36-9b8e-0f7f1d2c3b4a',
        name: 'Spring promo',
        status: 'running',
        audience: { id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'customers.csv' },
        sms_pool_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
        followup_pool_id: null,
        created_at: '2026-12-06T09:00:00.000Z',
        launched_at: '2026-12-06T09:05:00.000Z',
        finished_at: null,
        archived: false,
        archived_at: null,
        progress: { targeted: 1200, sent: 800, delivered: 760, failed: 12 },
      },
    ],
  });

export const campaignListPage = z.object({
  campaigns: z.array(campaignSummary).describe('Newest first'),
  next_cursor: nextCursor,
});

import type { Client } from '@temporalio/client';
import type { Config } from '../config/env.ts';
import { campaignStall } from '../core/campaign-stall.ts';
import { legalFloor } from '../core/legal-floor.ts';
import { emptyStep, tallyMessages, type MessageTally } from '../core/message-tally.ts';
import type { Db } from '../db/connect.ts';
import { audienceSample } from '../db/audience-sample.ts';
import { campaignReplies, funnelOf } from '../db/funnel.ts';
import { messageGroups } from '../db/message-groups.ts';
import { campaignSuppressionListIds } from '../db/suppression-lists.ts';
import type { Campaign } from '../db/tables.ts';
import { stepSegmentsView } from './campaign-segments.ts';
import { temporalUiUrl } from './campaign-lookup.ts';
import { nextDripRun } from './drip-schedule.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** A campaign as `GET /v1/campaigns/:id` shows it (and create and PATCH answer with). */
export function campaignViewer({
  db,
  temporal,
  config,
}: {
  db: Db;
  temporal: Client;
  config: Config;
}) {
  const uiUrl = (workflowId: string) => temporalUiUrl(config, workflowId);

  function stalled(campaign: Campaign, tally: MessageTally) {
    if (campaign.status !== 'running') return null;
    const stall = campaignStall({
      status: campaign.status,
      unsent: tally.unsent,
      lastProgressAt: tally.lastProgressAt,
      launchedAt: campaign.launched_at,
      waiting: tally.waiting,
      now: new Date(),
      stallMs: config.CAMPAIGN_STALL_SECONDS * 1000,
    });
    if (stall === null) return null;
    return {
      since: stall.since.toISOString(),
      reason: stall.reason,
      waiting: stall.waiting,
      deferred_until: iso(stall.deferredUntil),
    };
  }

  async function view(campaign: Campaign) {
    const floor = legalFloor(campaign.quiet_hours);
    const stepsRead = db
      .selectFrom('campaign_steps')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .orderBy('step')
      .execute();
    const workflowId = campaign.workflow_id;
    // One scan of the messages gives every message figure; the rest is read beside it.
    const [steps, tally, replies, sample, suppressionLists, nextDrip] = await Promise.all([
      stepsRead,
      messageGroups(db, campaign.id).then(tallyMessages),
      campaignReplies(db, campaign.id),
      audienceSample(db, campaign.audience_id),
      campaignSuppressionListIds(db, campaign.id),
      stepsRead.then((rows) =>
        rows.length > 1 && workflowId !== null ? nextDripRun(temporal, campaign.id) : null,
      ),
    ]);
    return {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      audience_id: campaign.audience_id,
      sms_pool_id: campaign.sms_pool_id,
      followup_pool_id: campaign.followup_pool_id,
      start_at: iso(campaign.start_at),
      filter: campaign.filter,
      exclude_audience_ids: campaign.exclude_audience_ids,
      handoff: {
        mode: campaign.handoff_mode ?? config.HANDOFF_MODE,
        followup_text: campaign.followup_text ?? config.FOLLOWUP_TEXT,
        text_us_text: campaign.text_us_text ?? config.TEXT_US_TEXT,
      },
      sending_window: campaign.quiet_hours,
      sending_window_effective: floor.effective,
      legal_floor: floor,
      max_segments: campaign.max_segments,
      retry_policy: campaign.retry_policy,
      frequency_cap: campaign.frequency_cap,
      suppression_list_ids: suppressionLists,
      steps: steps.map((s) => ({
        step: s.step,
        template: s.template,
        delay_seconds: s.delay_seconds,
        condition: s.condition,
        condition_keyword: s.condition_keyword,
        media_urls: s.media_urls ?? [],
        segments: stepSegmentsView(s.template, sample),
        counts: tally.steps.find((c) => c.step === s.step) ?? emptyStep(s.step),
      })),
      drip: campaign.drip_schedule,
      next_drip_run_at: nextDrip,
      workflow_id: campaign.workflow_id,
      temporal_ui_url: campaign.workflow_id === null ? null : uiUrl(campaign.workflow_id),
      created_at: campaign.created_at.toISOString(),
      launched_at: iso(campaign.launched_at),
      finished_at: iso(campaign.finished_at),
      funnel: funnelOf(tally, replies),
      stalled: stalled(campaign, tally),
    };
  }

  return view;
}

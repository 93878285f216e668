import { campaignStall } from '../../core/campaign-stall.ts';
import type { Db } from '../../db/connect.ts';
import {
  campaignMessageCounts,
  campaignsByStatus,
  consentEventCounts,
  numberFigures,
  runningCampaigns,
  type CampaignMessageCount,
  type NumberFigures,
} from '../../db/metrics.ts';
import { messageGroups } from '../../db/message-groups.ts';
import { tallyMessages } from '../../core/message-tally.ts';

export interface RunningCampaignFigures {
  id: string;
  lastProgressAt: Date | null;
  /** Why it is stalled (core/campaign-stall.ts), or null while it progresses. */
  stalledFor: string | null;
}

/** Everything `/metrics` reads from PostgreSQL, at one moment. */
export interface MetricsSnapshot {
  campaignMessages: CampaignMessageCount[];
  campaigns: { status: string; n: number }[];
  running: RunningCampaignFigures[];
  numbers: NumberFigures[];
  consent: { action: string; source: string; n: number }[];
  /** How long reading it took. */
  seconds: number;
}

async function readSnapshot(db: Db, stallMs: number): Promise<MetricsSnapshot> {
  const started = performance.now();
  const [campaignMessages, campaigns, running, numbers, consent] = await Promise.all([
    campaignMessageCounts(db),
    campaignsByStatus(db),
    runningCampaigns(db),
    numberFigures(db),
    consentEventCounts(db),
  ]);
  const runningFigures = await Promise.all(
    running.map(async (campaign) => {
      const tally = tallyMessages(await messageGroups(db, campaign.id));
      const stall = campaignStall({
        status: campaign.status,
        unsent: tally.unsent,
        lastProgressAt: tally.lastProgressAt,
        launchedAt: campaign.launched_at,
        waiting: tally.waiting,
        now: new Date(),
        stallMs,
      });
      return {
        id: campaign.id,
        lastProgressAt: tally.lastProgressAt,
        stalledFor: stall?.reason ?? null,
      };
    }),
  );
  return {
    campaignMessages,
    campaigns,
    running: runningFigures,
    numbers,
    consent,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The snapshot, reused for `ttlMs` after each read whatever the scrape rate, and read by one
 * query set at a time: scrapes arriving during a read wait for it instead of starting their own.
 */
export function cachedSnapshot(db: Db, options: { ttlMs: number; stallMs: number }) {
  let current: { readAt: number; snapshot: Promise<MetricsSnapshot> } | undefined;
  return async (): Promise<MetricsSnapshot> => {
    if (current === undefined || performance.now() - current.readAt >= options.ttlMs) {
      const entry = {
        readAt: Number.POSITIVE_INFINITY,
        snapshot: readSnapshot(db, options.stallMs),
      };
      current = entry;
      entry.snapshot.then(
        () => (entry.readAt = performance.now()),
        // A failed read is not kept: the next scrape tries again.
        () => {
          if (current === entry) current = undefined;
        },
      );
    }
    return current.snapshot;
  };
}

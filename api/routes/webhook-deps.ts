import type { ApiDeps } from '../deps.ts';
import type { ApiMetrics } from '../metrics/series.ts';
import type { ReplyRecorder } from '../replies.ts';
import type { StatusApplier } from '../status-applier.ts';

/** What every carrier webhook route gets (webhooks.ts registers them with it). */
export type WebhookDeps = ApiDeps & {
  statusApplier: StatusApplier;
  recordReply: ReplyRecorder;
  metrics: ApiMetrics;
};

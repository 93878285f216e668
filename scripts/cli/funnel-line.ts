/** What `GET /v1/campaigns/:id` answers that a status line shows. */
export interface CampaignStatusView {
  readonly status: string;
  readonly funnel: Readonly<Record<string, unknown>>;
}

export const FINISHED_STATUSES: readonly string[] = ['completed', 'cancelled', 'failed'];

/** One line per state of a campaign: its status and funnel (the demo and the CLI print it). */
export function funnelLine(view: CampaignStatusView): string {
  const f = view.funnel;
  const count = (name: string) => String(f[name] ?? 0);
  return `${view.status.padEnd(9)} targeted ${count('targeted')} · queued ${count('queued')} · sent ${count('sent')} · delivered ${count('delivered')} · failed ${count('failed')} · retried ${count('retried')} · skipped ${count('skipped')} · replied ${count('replied')} · opted out ${count('opted_out')}`;
}

import type { Config } from '../config/env.ts';
import type { Db } from '../db/connect.ts';
import type { Campaign } from '../db/tables.ts';
import { notFound } from './errors.ts';

export async function loadCampaign(db: Db, id: string): Promise<Campaign> {
  const campaign = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (campaign === undefined) throw notFound('Campaign', id);
  return campaign;
}

/** The workflow's page in the Temporal UI. */
export function temporalUiUrl(
  config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>,
  workflowId: string,
): string {
  return `${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`;
}

import { expect } from 'vitest';
import type { TestApi } from './api.ts';

export interface CampaignBody {
  name?: string;
  audience_id: string;
  sms_pool_id: string;
  steps?: { template: string }[];
  quiet_hours?: { start: string; end: string };
  retry_policy?: { max_attempts: number; backoff_seconds: number };
  followup_pool_id?: string;
  handoff?: { mode?: 'imessage' | 'text_us'; followup_text?: string; text_us_text?: string };
  frequency_cap?: { max: number; days: number };
  suppression_list_ids?: string[];
}

export async function createCampaign(api: TestApi, body: CampaignBody): Promise<string> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: api.auth,
    payload: {
      name: 'test campaign',
      steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
      ...body,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

export async function launch(api: TestApi, campaignId: string) {
  const response = await api.app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaignId}/launch`,
    headers: api.auth,
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json();
}

export async function getCampaign(api: TestApi, campaignId: string) {
  const response = await api.app.inject({
    method: 'GET',
    url: `/v1/campaigns/${campaignId}`,
    headers: api.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function waitForStatus(
  api: TestApi,
  campaignId: string,
  status: string,
  timeoutMs = 90_000,
) {
  return waitFor(
    `campaign ${campaignId} to be ${status}`,
    async () => {
      const campaign = await getCampaign(api, campaignId);
      return campaign.status === status ? campaign : undefined;
    },
    timeoutMs,
  );
}

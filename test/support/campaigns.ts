import { expect } from 'vitest';
import type { RequestBody } from '../../client/index.ts';
import type { TestApi } from './api.ts';

/** What tests give `POST /v1/campaigns`: the API's own body type, with a name and step by default. */
export type CampaignBody = Omit<RequestBody<'/v1/campaigns', 'post'>, 'name' | 'steps'> &
  Partial<Pick<RequestBody<'/v1/campaigns', 'post'>, 'name' | 'steps'>>;

export async function createCampaign(api: TestApi, body: CampaignBody): Promise<string> {
  const { data, error, response } = await api.client.POST('/v1/campaigns', {
    body: {
      name: 'test campaign',
      steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
      ...body,
    },
  });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return data!.id;
}

export async function launch(api: TestApi, campaignId: string) {
  const { data, error, response } = await api.client.POST('/v1/campaigns/{id}/launch', {
    params: { path: { id: campaignId } },
  });
  expect(response.status, JSON.stringify(error)).toBe(202);
  return data!;
}

export async function getCampaign(api: TestApi, campaignId: string) {
  const { data, error, response } = await api.client.GET('/v1/campaigns/{id}', {
    params: { path: { id: campaignId } },
  });
  expect(response.status, JSON.stringify(error)).toBe(200);
  return data!;
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

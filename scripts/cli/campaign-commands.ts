import { readFile } from 'node:fs/promises';
import type { ApiClient } from './api-client.ts';
import { FINISHED_STATUSES, funnelLine, type CampaignStatusView } from './funnel-line.ts';
import { COMMON_OPTIONS, numberOption, parseCommand, required, UsageError } from './usage.ts';

export const CAMPAIGN_CREATE_USAGE =
  'campaign create [--file CAMPAIGN.json] [--name N] [--audience ID] [--pool ID] [--followup-pool ID] [--message TEXT] [--sending-window HH:MM-HH:MM] [--max-attempts N] [--backoff SECONDS] [--api URL]';
export const CAMPAIGN_LAUNCH_USAGE = 'campaign launch CAMPAIGN_ID [--api URL]';
export const CAMPAIGN_STATUS_USAGE =
  'campaign status CAMPAIGN_ID [--watch] [--every SECONDS] [--json] [--api URL]';

type Client = (api: string | undefined) => ApiClient;

async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`campaign create: cannot read ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`campaign create: ${file} is not JSON (${String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`campaign create: ${file} must hold one JSON object (POST /v1/campaigns)`);
  return { ...parsed };
}

/**
 * `POST /v1/campaigns` from a JSON file (the API's body, drip steps and all), from flags, or a
 * file with flags overriding its fields; the API validates and answers what is wrong.
 */
export async function campaignCreate(args: string[], client: Client): Promise<void> {
  const { values } = parseCommand('campaign create', CAMPAIGN_CREATE_USAGE, {
    args,
    options: {
      ...COMMON_OPTIONS,
      file: { type: 'string' },
      name: { type: 'string' },
      audience: { type: 'string' },
      pool: { type: 'string' },
      'followup-pool': { type: 'string' },
      message: { type: 'string' },
      'sending-window': { type: 'string' },
      // Its former name, still accepted.
      'quiet-hours': { type: 'string' },
      'max-attempts': { type: 'string' },
      backoff: { type: 'string' },
    },
  });
  const body = values.file === undefined ? {} : await readJsonObject(values.file);
  if (values.name !== undefined) body.name = values.name;
  if (values.audience !== undefined) body.audience_id = values.audience;
  if (values.pool !== undefined) body.sms_pool_id = values.pool;
  if (values['followup-pool'] !== undefined) body.followup_pool_id = values['followup-pool'];
  if (values.message !== undefined) {
    const later = Array.isArray(body.steps) ? body.steps.slice(1) : [];
    body.steps = [{ template: values.message }, ...later];
  }
  const window = values['sending-window'] ?? values['quiet-hours'];
  if (window !== undefined) {
    const match = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(window);
    if (match === null)
      throw new UsageError(`--sending-window must be HH:MM-HH:MM, got "${window}"`);
    body.sending_window = { start: match[1], end: match[2] };
  }
  const attempts = numberOption(values['max-attempts'], 'max-attempts');
  const backoff = numberOption(values.backoff, 'backoff');
  if (attempts !== undefined || backoff !== undefined)
    body.retry_policy = { max_attempts: attempts ?? 3, backoff_seconds: backoff ?? 60 };
  for (const [field, flag] of [
    ['name', '--name'],
    ['audience_id', '--audience'],
    ['sms_pool_id', '--pool'],
    ['steps', '--message'],
  ] as const) {
    if (body[field] === undefined)
      throw new UsageError(
        `campaign create: give ${flag} (or ${field} in --file) (usage: ${CAMPAIGN_CREATE_USAGE})`,
      );
  }
  const created = await client(values.api).call('POST', '/v1/campaigns', body);
  console.log(JSON.stringify(created, null, 2));
}

export async function campaignLaunch(args: string[], client: Client): Promise<void> {
  const { values, positionals } = parseCommand('campaign launch', CAMPAIGN_LAUNCH_USAGE, {
    args,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS },
  });
  const id = required(positionals, 0, 'CAMPAIGN_ID', CAMPAIGN_LAUNCH_USAGE);
  const launched = await client(values.api).call(
    'POST',
    `/v1/campaigns/${encodeURIComponent(id)}/launch`,
  );
  console.log(JSON.stringify(launched, null, 2));
}

/**
 * The campaign's status and funnel on one line; `--watch` prints a new line whenever it
 * changes until the campaign is completed, cancelled or failed (exit 1 for failed).
 */
export async function campaignStatus(args: string[], client: Client): Promise<void> {
  const { values, positionals } = parseCommand('campaign status', CAMPAIGN_STATUS_USAGE, {
    args,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      watch: { type: 'boolean', short: 'w' },
      every: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const id = required(positionals, 0, 'CAMPAIGN_ID', CAMPAIGN_STATUS_USAGE);
  const everySeconds = numberOption(values.every, 'every') ?? 1;
  if (everySeconds <= 0) throw new UsageError(`--every must be more than 0, got ${everySeconds}`);
  const api = client(values.api);
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  let last = '';
  for (;;) {
    const view = await api.call<CampaignStatusView>('GET', path);
    const line = values.json === true ? JSON.stringify(view) : funnelLine(view);
    if (line !== last) console.log(line);
    last = line;
    const finished = FINISHED_STATUSES.includes(view.status);
    if (finished && view.status === 'failed') process.exitCode = 1;
    if (values.watch !== true || finished) return;
    await new Promise((resolve) => setTimeout(resolve, everySeconds * 1000));
  }
}

import { loadConfig } from '../config/env.ts';
import { SandboxClient } from '../sandbox/client.ts';
import { FINISHED_STATUSES, funnelLine, type CampaignStatusView } from './cli/funnel-line.ts';
import { DEMO_POOL_NAME, demoCsv, demoNumbers, demoPlaces } from './demo-data.ts';
import { ServiceSet, StackStopping } from './services/service-set.ts';
import { startStack } from './services/stack.ts';
import { stopOnSignals } from './services/stop-on-signals.ts';
import { consoleSignIn } from './web/sign-in-hint.ts';
import { loadEnvFile } from '../config/env-file.ts';

/**
 * `npm run demo`: the whole stack, then a real campaign through the sandbox carriers,
 * watched in the terminal. `--once` exits 0 when the campaign has finished.
 */
loadEnvFile();
const config = loadConfig();
const once = process.argv.includes('--once') || config.DEMO_ONCE;
const say = (line: string) => console.log(`[demo] ${line}`);
const services = new ServiceSet(say);
const shutdown = stopOnSignals(services, say);
const stack = await startStack(config, say, services).catch(async (error: unknown) => {
  if (!(error instanceof StackStopping))
    console.error(
      `[demo] could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  return shutdown(error instanceof StackStopping ? 0 : 1);
});

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${config.API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

say(`console: ${stack.apiUrl}/ (${consoleSignIn(config.API_KEY)})`);

try {
  const numbers = demoNumbers();
  if (stack.sandboxUrl !== undefined) {
    await new SandboxClient(stack.sandboxUrl).configure({
      numbers: numbers.map((n) => ({
        phoneNumber: n.phone,
        mps: n.mps,
        deliveryRate: n.deliveryRate,
        errorMix: { '30003': 2, '30006': 1, '30007': 1 },
        latencyMs: { min: 50, max: 400 },
        duplicateRate: 0.02,
        outOfOrderRate: 0.02,
      })),
      replies: {
        share: 0.15,
        mix: { YES: 10, STOP: 3, HELP: 1, 'sounds interesting, tell me more': 2 },
        delayMs: { min: 500, max: 3000 },
      },
    });
  }
  // Re-runs reuse the demo pool: a number belongs to one pool.
  const existing = await api<{ pools: { id: string; name: string }[] }>('GET', '/v1/pools');
  const pool =
    existing.pools.find((candidate) => candidate.name === DEMO_POOL_NAME) ??
    (await api<{ id: string }>('POST', '/v1/pools', {
      name: DEMO_POOL_NAME,
      provider: 'twilio',
      sticky_sender: true,
      geomatch: true,
      skip_unhealthy: true,
    }));
  const current = await api<{ numbers: { phone: string }[] }>('GET', `/v1/pools/${pool.id}`);
  for (const n of numbers) {
    if (current.numbers.some((number) => number.phone === n.phone)) continue;
    await api('POST', `/v1/pools/${pool.id}/numbers`, { phone: n.phone, kind: n.kind, mps: n.mps });
  }
  // Nobody is texted at night: the legal floor holds the demo too, so it picks where it is day.
  const where = demoPlaces(new Date());
  say(
    where.abroad
      ? `it is night in the US (sends there wait for 08:00 local): the demo texts contacts in ${where.places.map((p) => p.name).join(', ')}, where it is day`
      : `contacts in ${where.places.map((p) => p.name).join(', ')}, where it is day`,
  );
  const audience = await api<{ id: string; rows_read: number; imported: number; rejected: number }>(
    'POST',
    '/v1/audiences?name=Demo%20audience',
    demoCsv(config.DEMO_CONTACTS, where.places),
    'text/csv',
  );
  say(
    `audience ${audience.id}: ${audience.rows_read} rows, ${audience.imported} contacts, ${audience.rejected} rejected`,
  );
  const campaign = await api<{
    id: string;
    sending_window_effective: { start: string; end: string } | null;
  }>('POST', '/v1/campaigns', {
    name: `Demo broadcast ${new Date().toISOString().slice(0, 16)}`,
    audience_id: audience.id,
    sms_pool_id: pool.id,
    steps: [
      {
        template: 'Hi {{first_name}}! tandem demo here. Reply YES to learn more, STOP to opt out.',
      },
    ],
    sending_window: { start: '00:00', end: '24:00' },
    retry_policy: { max_attempts: 3, backoff_seconds: 2 },
  });
  // The demo asks for all day; the legal floor narrows it in each recipient's own time zone, so
  // at night in the US the funnel shows them deferred to their 08:00.
  const effective = campaign.sending_window_effective;
  say(
    `sending window 00:00–24:00 requested, clamped by the legal floor to ${effective?.start}–${effective?.end} recipient-local (stricter states narrow it further)`,
  );
  const launched = await api<{ workflow_id: string; temporal_ui_url: string }>(
    'POST',
    `/v1/campaigns/${campaign.id}/launch`,
  );
  say(`campaign ${campaign.id} launched as workflow ${launched.workflow_id}`);
  say(`  Temporal UI: ${launched.temporal_ui_url}`);
  say(
    `  list it:     temporal workflow list --address ${config.TEMPORAL_ADDRESS} --query "CampaignId='${campaign.id}'"`,
  );
  say(
    `  API:         ${stack.apiUrl}/v1/campaigns/${campaign.id}  (Bearer ${config.API_KEY === 'tandem-dev-key' ? config.API_KEY : '<API_KEY>'})`,
  );
  say(`  API docs:    ${stack.apiUrl}/docs`);

  let last = '';
  for (;;) {
    const view = await api<CampaignStatusView>('GET', `/v1/campaigns/${campaign.id}`);
    const line = funnelLine(view);
    if (line !== last) say(line);
    last = line;
    if (FINISHED_STATUSES.includes(view.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  say(`campaign finished. Temporal UI: ${stack.temporal.uiUrl ?? config.TEMPORAL_UI_URL}`);
  if (once) await shutdown(0);
  else say('stack still running for you to explore: Ctrl-C stops it.');
} catch (error) {
  console.error(`[demo] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY } from '../support/api.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { createFixtures } from '../support/hostile/fixtures.ts';
import {
  operationsOf,
  type OpenApiDocument,
  type Operation,
} from '../support/hostile/operations.ts';
import { hostileSettings, operationSeed } from '../support/hostile/replay.ts';
import { requestFor, type HostileRequest } from '../support/hostile/requests.ts';
import type { KnownValues } from '../support/hostile/schema-arbitrary.ts';
import { sendHostile, type Answer } from '../support/hostile/send.ts';
import { problemsWith } from '../support/hostile/verdict.ts';
import { signedWebhook, type WebhookSecrets } from '../support/hostile/webhook-signing.ts';

/**
 * Issue 18: every operation of the OpenAPI document (enumerated from `/docs/json`, so a new route
 * is covered at once) gets requests generated from its schemas, valid and hostile parts mixed,
 * over real HTTP with an admin key against the full stack (API, worker, sandbox carriers). No
 * answer may be a 5xx, a 4xx that is not the JSON error format, show a stack frame or
 * PostgreSQL's own words, or take longer than HOSTILE_TIMEOUT_MS. A POST with an Idempotency-Key
 * is sent twice: a replay answers what the first did. Replay one failure with the HOSTILE_SEED,
 * HOSTILE_ONLY and HOSTILE_RUNS printed with it (see test/support/hostile/replay.ts).
 */
const settings = hostileSettings();

describe('hostile requests to every documented operation', () => {
  let stack: CampaignStack;
  let operations: Operation[];
  let known: KnownValues;
  let secrets: WebhookSecrets;

  beforeAll(async () => {
    stack = await startCampaignStack({
      env: { API_RATE_LIMIT_PER_MINUTE: '1000000' },
      ...(settings.HOSTILE_API_LOG === undefined ? {} : { apiLogLevel: settings.HOSTILE_API_LOG }),
    });
    const { config } = stack.api;
    secrets = {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      twilioAuthToken: config.TWILIO_AUTH_TOKEN,
      blooioWebhookSecret: config.BLOOIO_WEBHOOK_SECRET,
    };
    known = await createFixtures(stack.api, `${stack.sandbox.url}/hostile-hook`);
    const docs = await fetch(`${stack.apiUrl}/docs/json`);
    expect(docs.status).toBe(200);
    operations = operationsOf((await docs.json()) as OpenApiDocument);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(50);
    if (settings.HOSTILE_ONLY !== undefined) {
      expect(operations.map((operation) => operation.name)).toContain(settings.HOSTILE_ONLY);
    }
  });

  it('answers every generated request with a 2xx, or a 4xx in the JSON error format, in time', async () => {
    const chosen = operations.filter(
      (operation) =>
        settings.HOSTILE_ONLY === undefined || operation.name === settings.HOSTILE_ONLY,
    );
    const failures: string[] = [];
    const statuses: Record<string, Record<number, number>> = {};
    for (const operation of chosen) {
      const seen = (statuses[operation.name] = {} as Record<number, number>);
      const seed = operationSeed(settings.HOSTILE_SEED, operation.name);
      // Nine in ten webhooks carry a valid signature, so their bodies reach the code behind it.
      const requests = fc
        .tuple(requestFor(operation, known, `Bearer ${TEST_API_KEY}`), fc.nat(9))
        .map(([request, dice]) => (dice === 0 ? request : signedWebhook(request, secrets)));
      const outcome = await fc.check(
        fc.asyncProperty(requests, async (request) => {
          const problems = await exchange(request, seen);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { seed, numRuns: settings.HOSTILE_RUNS, endOnFailure: true },
      );
      if (!outcome.failed) continue;
      const error = outcome.errorInstance;
      failures.push(
        `${operation.name}: ${error instanceof Error ? error.message : String(error)}\n` +
          `  request: ${describeRequest(outcome.counterexample?.[0])}\n` +
          `  replay: HOSTILE_SEED=${settings.HOSTILE_SEED} HOSTILE_ONLY='${operation.name}' HOSTILE_RUNS=${outcome.numRuns}`,
      );
    }
    // What the requests reached, by operation: a route that only ever answers 400 is barely tested.
    console.info(
      Object.entries(statuses)
        .map(([name, counts]) => `${name.padEnd(56)} ${JSON.stringify(counts)}`)
        .join('\n'),
    );
    expect(failures, failures.join('\n\n')).toEqual([]);
  });

  it('is still sane afterwards', async () => {
    const health = await fetch(`${stack.apiUrl}/healthz`);
    expect(health.status).toBe(200);
    const campaigns = await stack.api.client.GET('/v1/campaigns', {});
    expect(campaigns.response.status).toBe(200);
  });

  async function exchange(
    request: HostileRequest,
    seen: Record<number, number>,
  ): Promise<string[]> {
    const first = await answer(request);
    if (first.answer !== undefined)
      seen[first.answer.status] = (seen[first.answer.status] ?? 0) + 1;
    const problems = first.problems;
    if (!request.repeat || first.answer === undefined) return problems;
    const again = await answer(request);
    problems.push(...again.problems.map((problem) => `repeat: ${problem}`));
    const second = again.answer;
    if (second === undefined) return problems;
    const replayed = second.headers['idempotent-replayed'] === 'true';
    if ((replayed || first.answer.status < 300) && second.status !== first.answer.status) {
      problems.push(
        `repeat with the same Idempotency-Key answered ${second.status} after ${first.answer.status}`,
      );
    }
    return problems;
  }

  async function answer(request: HostileRequest): Promise<{ answer?: Answer; problems: string[] }> {
    try {
      const answer = await sendHostile(stack.apiUrl, request, settings.HOSTILE_TIMEOUT_MS);
      const problems = problemsWith(answer, settings.HOSTILE_TIMEOUT_MS).map(
        (problem) => `${problem}: ${answer.body.slice(0, 400)}`,
      );
      return { answer, problems };
    } catch (error) {
      return { problems: [`no answer: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
});

function describeRequest(request: HostileRequest | undefined): string {
  if (request === undefined) return '(none)';
  const body = request.body?.payload;
  return JSON.stringify({
    method: request.method,
    url:
      request.url.length > 300
        ? `${request.url.slice(0, 300)}… (${request.url.length} chars)`
        : request.url,
    headers: { ...request.headers, authorization: '(admin key)' },
    body:
      body === undefined
        ? null
        : body.length > 300
          ? `${body.subarray(0, 300).toString()}… (${body.length} bytes)`
          : body.toString(),
    repeat: request.repeat,
  });
}

import type { TwilioClient } from '../../activities/carriers/twilio.ts';

export interface BaselineResult {
  messages: number;
  failed: number;
  seconds: number;
  msgs_per_second: number;
}

/**
 * The ceiling for the orchestrator: a bare loop of `twilio.messages.create` with `concurrency`
 * requests in flight, no database, no Temporal, the same status callback URL.
 */
export async function sendBaseline(
  client: TwilioClient,
  input: { from: readonly string[]; toPrefix: string; count: number; statusCallback: string },
  concurrency = 64,
): Promise<BaselineResult> {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < input.count; i = next++) {
      try {
        await client.messages.create({
          to: `${input.toPrefix}${String(i).padStart(6, '0')}`,
          from: input.from[i % input.from.length] ?? '',
          body: `Hi Pat${i}, tandem bench here. Reply YES to learn more.`,
          statusCallback: input.statusCallback,
        });
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    messages: input.count,
    failed,
    seconds: Math.round(seconds * 100) / 100,
    msgs_per_second: Math.round(input.count / seconds),
  };
}

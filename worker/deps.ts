import { createBlooioClient } from '../activities/carriers/blooio.ts';
import { createTwilioClient } from '../activities/carriers/twilio.ts';
import { twilioSmsCarrier } from '../activities/carriers/sms.ts';
import type { ActivityDeps } from '../activities/index.ts';
import type { Config } from '../config/env.ts';
import { createDb } from '../db/connect.ts';

/** The real dependencies: PostgreSQL, and Twilio (the sandbox unless credentials are set). */
export function realActivityDeps(
  config: Readonly<Config>,
  databaseUrl: string,
  warn?: (message: string) => void,
): ActivityDeps {
  return {
    // An activity that cannot reach the database fails within seconds and Temporal retries
    // it; a statement stuck on a lock ends after five minutes.
    db: createDb({
      connectionString: databaseUrl,
      max: 20,
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 300_000,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      ...(warn === undefined ? {} : { warn }),
    }),
    sms: twilioSmsCarrier(createTwilioClient(config)),
    blooio: createBlooioClient(config),
    config,
    clock: () => new Date(),
  };
}

import type { Config } from './env.ts';

export const APP_DATABASE = 'tandem';

/** DATABASE_URL when set; otherwise the embedded PostgreSQL that `npm run demo`/`stack` starts. */
export async function resolveDatabaseUrl(config: Readonly<Config>): Promise<string> {
  return (
    config.DATABASE_URL ??
    `postgres://tandem:tandem@127.0.0.1:${config.EMBEDDED_PG_PORT}/${APP_DATABASE}`
  );
}

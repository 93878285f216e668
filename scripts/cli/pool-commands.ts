import { ApiFailure, type ApiClient } from './api-client.ts';
import { COMMON_OPTIONS, numberOption, parseCommand, required } from './usage.ts';

export const POOL_ADD_NUMBER_USAGE =
  'pool add-number POOL PHONE [--mps N] [--kind long_code|toll_free|short_code|imessage] [--weight N] [--daily-cap N] [--api URL]';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A pool given by id, or by its name (looked up in `GET /v1/pools`). */
async function poolId(api: ApiClient, pool: string): Promise<string> {
  if (UUID.test(pool)) return pool;
  const { pools } = await api.call<{ pools: { id: string; name: string }[] }>('GET', '/v1/pools');
  const found = pools.filter((candidate) => candidate.name === pool);
  if (found.length === 1 && found[0] !== undefined) return found[0].id;
  throw new ApiFailure(
    found.length === 0
      ? `pool add-number: no pool is named "${pool}" (give its name or id)`
      : `pool add-number: ${found.length} pools are named "${pool}"; give its id`,
  );
}

/** `POST /v1/pools/:id/numbers`: adds a sender number to a pool and prints it. */
export async function poolAddNumber(
  args: string[],
  client: (api: string | undefined) => ApiClient,
): Promise<void> {
  const { values, positionals } = parseCommand('pool add-number', POOL_ADD_NUMBER_USAGE, {
    args,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      mps: { type: 'string' },
      kind: { type: 'string' },
      weight: { type: 'string' },
      'daily-cap': { type: 'string' },
    },
  });
  const pool = required(positionals, 0, 'POOL', POOL_ADD_NUMBER_USAGE);
  const phone = required(positionals, 1, 'PHONE', POOL_ADD_NUMBER_USAGE);
  const body: Record<string, unknown> = { phone };
  if (values.kind !== undefined) body.kind = values.kind;
  const mps = numberOption(values.mps, 'mps');
  if (mps !== undefined) body.mps = mps;
  const weight = numberOption(values.weight, 'weight');
  if (weight !== undefined) body.weight = weight;
  const dailyCap = numberOption(values['daily-cap'], 'daily-cap');
  if (dailyCap !== undefined) body.daily_cap = dailyCap;
  const api = client(values.api);
  const id = await poolId(api, pool);
  const added = await api.call('POST', `/v1/pools/${id}/numbers`, body);
  console.log(JSON.stringify(added, null, 2));
}

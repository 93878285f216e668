import { API_KEY_SCOPES, type ApiKeyScope } from '../../core/api-keys.ts';
import type { ApiClient } from './api-client.ts';
import { COMMON_OPTIONS, parseCommand, required, UsageError } from './usage.ts';

export const KEYS_CREATE_USAGE = `keys create --name NAME --scope ${API_KEY_SCOPES.join('|')} [--api URL]`;
export const KEYS_LIST_USAGE = 'keys list [--api URL]';
export const KEYS_REVOKE_USAGE = 'keys revoke KEY_ID [--api URL]';

interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

type Client = (api: string | undefined) => ApiClient;

const isScope = (value: string): value is ApiKeyScope =>
  (API_KEY_SCOPES as readonly string[]).includes(value);

/** `POST /v1/api-keys`: prints the new key (its secret, this once) as JSON. */
export async function keysCreate(args: string[], client: Client): Promise<void> {
  const { values } = parseCommand('keys create', KEYS_CREATE_USAGE, {
    args,
    options: { ...COMMON_OPTIONS, name: { type: 'string' }, scope: { type: 'string' } },
  });
  if (values.name === undefined || values.name.trim() === '')
    throw new UsageError(`keys create: --name is required (usage: ${KEYS_CREATE_USAGE})`);
  if (values.scope === undefined || !isScope(values.scope))
    throw new UsageError(
      `keys create: --scope must be one of ${API_KEY_SCOPES.join(', ')} (usage: ${KEYS_CREATE_USAGE})`,
    );
  const created = await client(values.api).call<ApiKeyView & { key: string }>(
    'POST',
    '/v1/api-keys',
    { name: values.name, scope: values.scope },
  );
  console.log(JSON.stringify(created, null, 2));
  console.error('tandem: the key is shown this once; store it now');
}

/** `GET /v1/api-keys`: one line per key (never a secret), revoked ones marked. */
export async function keysList(args: string[], client: Client): Promise<void> {
  const { values } = parseCommand('keys list', KEYS_LIST_USAGE, {
    args,
    options: { ...COMMON_OPTIONS },
  });
  const { api_keys: keys } = await client(values.api).call<{ api_keys: ApiKeyView[] }>(
    'GET',
    '/v1/api-keys',
  );
  for (const key of keys) {
    const state = key.revoked_at === null ? 'active' : `revoked ${key.revoked_at}`;
    console.log(
      [
        key.id,
        key.scope.padEnd(5),
        key.prefix.padEnd(12),
        state,
        `last used ${key.last_used_at ?? 'never'}`,
        key.name,
      ].join('  '),
    );
  }
}

/** `DELETE /v1/api-keys/:id`: the key is refused from the next request on. */
export async function keysRevoke(args: string[], client: Client): Promise<void> {
  const { values, positionals } = parseCommand('keys revoke', KEYS_REVOKE_USAGE, {
    args,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS },
  });
  const id = required(positionals, 0, 'KEY_ID', KEYS_REVOKE_USAGE);
  const revoked = await client(values.api).call<ApiKeyView>(
    'DELETE',
    `/v1/api-keys/${encodeURIComponent(id)}`,
  );
  console.log(JSON.stringify(revoked, null, 2));
}

/**
 * The signed-in operator: the API key lives in this module's memory only (never in
 * localStorage, a cookie or the URL), so a reload or a closed tab signs out. A 401 from the API
 * ends the session and says why on the sign-in page.
 */
import { useEffect, useState } from 'preact/hooks';
import { createTandemClient, type TandemClient } from '../../client/index.ts';

interface Session {
  client: TandemClient | null;
  /** The bearer header for the one request the client cannot make (an upload with progress). */
  authorization: string | null;
  /** Shown on the sign-in page: why the operator is there again. */
  notice: string | null;
}

let session: Session = { client: null, authorization: null, notice: null };
const listeners = new Set<() => void>();

function set(next: Session): void {
  session = next;
  for (const listener of listeners) listener();
}

function clientFor(apiKey: string): TandemClient {
  const client = createTandemClient({ baseUrl: window.location.origin, apiKey });
  client.use({
    onResponse({ response }) {
      if (response.status === 401 && session.client === client)
        set({
          client: null,
          authorization: null,
          notice:
            'The API no longer accepts this key (401): it may have been revoked or rotated. Sign in with a current key.',
        });
      return undefined;
    },
  });
  return client;
}

/** Checks the key against the API before keeping it; answers an error message or null. */
export async function signIn(apiKey: string): Promise<string | null> {
  const key = apiKey.trim();
  if (key === '') return 'Enter an API key: the server prints its key at start-up (API_KEY).';
  const client = createTandemClient({ baseUrl: window.location.origin, apiKey: key });
  try {
    const { response } = await client.GET('/v1/campaigns', { params: { query: { limit: 1 } } });
    if (response.status === 401 || response.status === 403)
      return `The API refused this key (${response.status}). Check it for typos or ask an admin for a key.`;
    if (!response.ok) return `The API answered ${response.status}: try again in a moment.`;
  } catch {
    return 'The API cannot be reached: check that the stack is running, then try again.';
  }
  set({ client: clientFor(key), authorization: `Bearer ${key}`, notice: null });
  return null;
}

export function signOut(): void {
  set({
    client: null,
    authorization: null,
    notice: 'Signed out. The key is forgotten: sign in again to continue.',
  });
}

/** The current client; pages render only inside a session, so it is there. */
export function api(): TandemClient {
  if (session.client === null) throw new Error('not signed in');
  return session.client;
}

/** The Authorization header value of the session, for an XMLHttpRequest upload. */
export function authorization(): string {
  if (session.authorization === null) throw new Error('not signed in');
  return session.authorization;
}

/** An API answer of 401 outside the client (an upload): the session ends as with the client. */
export function expire(): void {
  set({
    client: null,
    authorization: null,
    notice: 'The API no longer accepts this key (401). Sign in with a current key.',
  });
}

export function useSession(): Session {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((version) => version + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return session;
}

/**
 * Data for a page: `useLoad(fetcher, deps, { everyMs })` loads, reloads on demand, and polls
 * while `everyMs` is set (a running campaign, the inbox). An API error becomes a message that
 * says what to do; a poll that fails keeps the last data on screen beside the error.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api-error.ts';

function errorBody(body: unknown): {
  code: string | null;
  message: string | null;
  details: unknown;
} {
  const inner =
    typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  if (typeof inner !== 'object' || inner === null)
    return { code: null, message: null, details: null };
  const code = 'code' in inner ? inner.code : null;
  const message = 'message' in inner ? inner.message : null;
  return {
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? message : null,
    details: 'details' in inner ? inner.details : null,
  };
}

/** The data of an openapi-fetch answer, or an ApiError carrying the API's own message. */
export async function must<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await request;
  if (response.ok && data !== undefined) return data;
  const body = errorBody(error);
  throw new ApiError(
    body.message ?? `The API answered ${response.status} ${response.statusText}.`,
    response.status,
    body.code,
    body.details,
  );
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError)
    return 'The API cannot be reached: check your connection and that the stack runs, then retry.';
  return error instanceof Error ? error.message : String(error);
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(
  fetcher: () => Promise<T>,
  deps: readonly unknown[],
  options: { everyMs?: number | null } = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const next = await latest.current();
        if (!live) return;
        setData(next);
        setError(null);
      } catch (failure) {
        if (live) setError(describe(failure));
      } finally {
        if (live) {
          setLoading(false);
          if (options.everyMs) timer = setTimeout(() => void run(), options.everyMs);
        }
      }
    };
    void run();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [...deps, version, options.everyMs]);

  return { data, error, loading, reload };
}

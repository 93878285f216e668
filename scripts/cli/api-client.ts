/** The API answered with an error: its status and `{ error: { code, message } }`, on one line. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
}

export interface ApiClient {
  readonly base: URL;
  readonly key: string;
  call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export function describeError(status: number, text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const { error } = parsed;
      if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
        const details = 'details' in error && error.details !== null ? error.details : undefined;
        const more = details === undefined ? '' : ` ${JSON.stringify(details)}`;
        return `${status} ${String(error.code)}: ${String(error.message)}${more}`;
      }
    }
  } catch {
    // not JSON: the text itself says it
  }
  return `${status} ${text.slice(0, 300)}`;
}

/** `/v1` over HTTP with the bearer key; a refused connection or an error answer is an ApiFailure. */
export function apiClient(base: URL, key: string): ApiClient {
  return {
    base,
    key,
    async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(new URL(path, base), {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        throw new ApiFailure(`cannot reach the API at ${base.origin}: ${String(cause)}`);
      }
      const text = await response.text();
      if (!response.ok)
        throw new ApiFailure(`${method} ${path}: ${describeError(response.status, text)}`);
      // The API's answers are JSON documents of the shapes its OpenAPI document gives.
      return JSON.parse(text) as T;
    },
  };
}

import createFetchClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, paths };
export type TandemClient = Client<paths>;

/** A request body of `METHOD path`, as the API documents it. */
export type RequestBody<
  P extends keyof paths,
  M extends 'post' | 'patch' | 'put',
> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export interface TandemClientOptions {
  /** Where the API listens, e.g. `http://127.0.0.1:3000` (paths start with `/v1`). */
  baseUrl: string;
  /** A bearer API key; leave it out when the caller's session carries the credential. */
  apiKey?: string;
  fetch?: (request: Request) => Promise<Response>;
}

/** tandem's typed API client: `client.GET('/v1/campaigns/{id}', { params: { path: { id } } })`. */
export function createTandemClient(options: TandemClientOptions): TandemClient {
  return createFetchClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.apiKey === undefined
      ? {}
      : { headers: { authorization: `Bearer ${options.apiKey}` } }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

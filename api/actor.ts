/**
 * Who an API change is recorded as: the name of the API key the request was made with (see
 * auth.ts). `api` only for a request that somehow has no key (every /v1 route requires one).
 */
export function actorOf(request: { apiKey?: { name: string } | undefined }): string {
  return request.apiKey?.name ?? 'api';
}

/**
 * The error responses every documented operation declares, all with the one error format
 * (`{ error: { code, message, details } }`, see errors.ts). Documentation only: nothing
 * here validates or serialises a response.
 */

export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. invalid_request' },
        message: { type: 'string', description: 'What went wrong and how to fix it' },
        details: {
          nullable: true,
          description: 'Structured detail (the invalid fields, the rejected line, …) or null',
        },
      },
    },
  },
} as const;

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is not valid: `error.code` and `error.details` say which part',
  401: 'Missing, wrong or revoked API key (Authorization: Bearer <API key>)',
  403: "Forbidden: `insufficient_scope` when the API key's scope does not cover the operation (its description names the scope it needs); a webhook signature that is missing or wrong; or a Blooio line the API key does not own",
  404: 'No such resource',
  409: 'The resource is not in a state that allows this',
  413: 'The body is larger than this route accepts',
  415: 'This route does not accept that Content-Type',
  502: 'The carrier refused or failed in a way tandem cannot retry',
  422: 'A resource the body refers to does not exist or does not fit',
  429: '`rate_limited`: the API key made more requests this minute than API_RATE_LIMIT_PER_MINUTE, or this address failed authentication more than AUTH_FAILURES_PER_MINUTE times; retry after Retry-After seconds',
  503: 'The database is unavailable: retry after Retry-After seconds',
};

/** The JSON schema of one error response, as @fastify/swagger reads a route's `response`. */
export function errorResponse(status: number) {
  return {
    ...errorResponseSchema,
    description: DESCRIPTIONS[status] ?? 'Error',
    ...(status === 503 || status === 429
      ? {
          headers: {
            'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' },
          },
        }
      : {}),
  };
}

export function errorResponses(statuses: readonly number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse(status)]));
}

import type { FastifyError, FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isUnstorableText } from '../db/errors.ts';
import { mapFastifyError } from './fastify-errors.ts';

/** What a 503 asks callers to wait: about as long as a PostgreSQL restart takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** An error the API answers with as `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string) =>
  new ApiError(404, 'not_found', `${what} ${id} was not found`);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, details: details ?? null } };
}

/** One place maps every error to the JSON error format; nothing else ever reaches the client. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(errorBody('not_found', `Route ${request.method} ${request.url} does not exist`));
  });
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply
        .status(error.statusCode)
        .send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`,
        message: issue.message,
      }));
      const first = details[0];
      const message =
        first === undefined
          ? 'The request is not valid'
          : `The request is not valid: ${first.path}: ${first.message}`;
      return reply.status(400).send(errorBody('invalid_request', message, details));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send(errorBody('internal', 'The server built an invalid response'));
    }
    // Carriers retry a webhook answered 503 (not a 500), and API clients know to try again.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(errorBody('database_unavailable', 'The database is unavailable; retry shortly'));
    }
    if (isUnstorableText(error)) {
      return reply
        .status(400)
        .send(
          errorBody(
            'invalid_request',
            'The request has text that cannot be stored (a NUL character, or bytes that are not UTF-8)',
          ),
        );
    }
    const mapped = mapFastifyError(error.code);
    if (mapped !== undefined) {
      return reply.status(mapped.status).send(errorBody(mapped.code, mapped.message));
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(status).send(errorBody('internal', 'Internal server error'));
    }
    // Fastify's own names never reach a client (an unlisted one is a generic bad request).
    request.log.warn({ err: error }, 'request refused');
    const own = error.code === undefined || error.code.startsWith('FST_');
    const code = own ? 'bad_request' : error.code.toLowerCase();
    return reply.status(status).send(errorBody(code, error.message));
  });
}

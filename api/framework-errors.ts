import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.ts';
import { mapFastifyError } from './fastify-errors.ts';

/**
 * The answers Fastify gives before a route is found, in the API's error format. Fastify's
 * router answers a malformed escape (`%zz`) or an over-long path parameter itself, and Node
 * answers headers over its limit (a URL of 16 KiB) on the socket, each in a format of its
 * own; these two handlers take their place (Fastify's `frameworkErrors` and
 * `clientErrorHandler` options).
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const mapped = mapFastifyError(error.code) ?? {
    status: 400,
    code: 'bad_request',
    message: 'The request is not valid',
  };
  void reply.status(mapped.status).send(errorBody(mapped.code, mapped.message));
}

/** Errors Node's HTTP parser meets, by Node's code; any other is a plain 400. */
const SOCKET_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    message: 'The URL and headers together are larger than the server accepts (16 KiB)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    message: 'The request did not arrive in time',
  },
};

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = SOCKET_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'bad_request',
    message: 'The request is not valid HTTP',
  };
  if (socket.writable) {
    const body = JSON.stringify(errorBody(known.code, known.message));
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

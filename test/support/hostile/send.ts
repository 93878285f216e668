import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { HostileRequest } from './requests.ts';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

/**
 * Sends a request over real HTTP with the path exactly as built (`fetch` would resolve `%2e%2e`
 * and `..` first, which a raw client or a proxy does not), on a connection of its own. An answer
 * that arrives before the body is all written (a 413 for a body over the limit, after which the
 * server closes) counts: the write error that follows it is the client's, not the server's.
 */
export function sendHostile(
  origin: string,
  request: HostileRequest,
  timeoutMs: number,
): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(
      {
        host: hostname,
        port,
        method: request.method,
        path: request.url,
        // A body's length is always said: without it Node sends a GET's body as a second request.
        headers:
          request.body === undefined
            ? request.headers
            : { ...request.headers, 'content-length': String(request.body.payload.length) },
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
            ms: Math.round(performance.now() - started),
          }),
        );
      },
    );
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    outgoing.end(request.body?.payload);
  });
}

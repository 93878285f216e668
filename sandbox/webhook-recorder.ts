import http from 'node:http';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  /** Form fields for form-encoded bodies, else empty. */
  readonly form: Record<string, string>;
  readonly at: number;
}

export interface WebhookRecorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Resolves when `count` requests matching `filter` have arrived (rejects after timeout). */
  waitFor(
    count: number,
    filter?: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** A local HTTP server that records every webhook it receives and answers 204 (for tests). */
export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf-8');
      const isForm = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
      const form = isForm ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
      requests.push({ path: req.url ?? '/', headers: req.headers, rawBody, form, at: Date.now() });
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitFor(count, filter = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = requests.filter(filter);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} webhooks, got ${matching.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

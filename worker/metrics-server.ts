import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The worker's `GET /metrics`: its own series (prom-client) followed by the Temporal SDK's,
 * fetched from the SDK's Prometheus exporter (`sdkMetricsUrl`, bound to a loopback port the
 * worker chose) at each scrape, so one scrape target has both. The SDK's part is left out, with
 * a comment line saying why, when its exporter does not answer.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  sdkMetricsUrl: string;
}): Promise<MetricsServer> {
  const { registry, sdkMetricsUrl } = options;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    void (async () => {
      const [own, sdk] = await Promise.all([registry.metrics(), sdkExposition(sdkMetricsUrl)]);
      response
        .writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' })
        .end(`${own}\n${sdk}`);
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
    });
  });
  await listen(server, options.host, options.port);
  const port = boundPort(server);
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function sdkExposition(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
    return await response.text();
  } catch (error) {
    return `# Temporal SDK metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A loopback port free right now, for the SDK's exporter (it cannot report the port it got). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await listen(server, '127.0.0.1', 0);
  const port = boundPort(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}

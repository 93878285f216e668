import http from 'node:http';
import https from 'node:https';

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Gets the receiver's 2xx answer (e.g. the TwiML of an inbound-message webhook). */
  readonly onAnswer?: (answer: WebhookAnswer) => void;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface WebhookStats {
  readonly delivered: number;
  readonly failed: number;
  readonly pending: number;
}

export interface WebhookSenderOptions {
  readonly concurrency: number;
  readonly retries: number;
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Posts webhooks over a keep-alive connection pool with bounded concurrency; a request whose
 * connection fails is retried a few times with a short back-off, as carriers do.
 */
export class WebhookSender {
  #options: WebhookSenderOptions;
  #httpAgent: http.Agent;
  #httpsAgent: https.Agent;
  #queue: WebhookRequest[] = [];
  #active = 0;
  #delivered = 0;
  #failed = 0;
  #idle: (() => void)[] = [];

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
    const agentOptions = { keepAlive: true, maxSockets: options.concurrency, timeout: 10_000 };
    this.#httpAgent = new http.Agent(agentOptions);
    this.#httpsAgent = new https.Agent(agentOptions);
  }

  configure(options: Partial<WebhookSenderOptions>): void {
    this.#options = { ...this.#options, ...options };
  }

  send(request: WebhookRequest): void {
    this.#queue.push(request);
    this.#pump();
  }

  stats(): WebhookStats {
    return {
      delivered: this.#delivered,
      failed: this.#failed,
      pending: this.#queue.length + this.#active,
    };
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  clear(): void {
    this.#queue = [];
  }

  close(): void {
    this.#queue = [];
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  #pump(): void {
    while (this.#active < this.#options.concurrency && this.#queue.length > 0) {
      const request = this.#queue.shift();
      if (request === undefined) break;
      this.#active += 1;
      void this.#deliver(request).then((ok) => {
        this.#active -= 1;
        if (ok) this.#delivered += 1;
        else this.#failed += 1;
        this.#pump();
        if (this.#queue.length === 0 && this.#active === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
    }
  }

  async #deliver(request: WebhookRequest): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const answer = await this.#post(request);
        if (answer.status >= 200 && answer.status < 300) request.onAnswer?.(answer);
        return answer.status < 400;
      } catch (error) {
        const code = error instanceof Error && 'code' in error ? String(error.code) : '';
        if (!RETRYABLE.has(code) || attempt >= this.#options.retries) return false;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  #post(request: WebhookRequest): Promise<WebhookAnswer> {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: secure ? this.#httpsAgent : this.#httpAgent,
          headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) },
        },
        (res) => {
          // Only a caller that reads the answer pays for keeping it.
          const chunks: Buffer[] = [];
          if (request.onAnswer === undefined) res.resume();
          else res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  }
}

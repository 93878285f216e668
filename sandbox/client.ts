import type {
  BlooioInboundInput,
  ConfigureInput,
  FaultsInput,
  LedgerQuery,
  RefusalQuery,
  SmsInboundInput,
} from './config.ts';
import type { FaultsReport } from './faults/injector.ts';
import type { LedgerPage, RefusalEntry } from './ledger.ts';
import type { MpsReport } from './mps-meter.ts';
import type { SandboxStats } from './sandbox.ts';

export class SandboxClientError extends Error {
  override name = 'SandboxClientError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`sandbox answered ${status}: ${JSON.stringify(body)}`);
  }
}

function querySuffix(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') params.set(key, value);
  }
  return params.size > 0 ? `?${params.toString()}` : '';
}

/** A typed HTTP client for the control API (`/_sandbox/*`), for tests, demo and benchmarks. */
export class SandboxClient {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  health(): Promise<{ ok: boolean }> {
    return this.#call('GET', '/_sandbox/health');
  }

  /** Returns the whole configuration after the merge. */
  configure(input: ConfigureInput): Promise<Record<string, unknown>> {
    return this.#call('POST', '/_sandbox/configure', input);
  }

  config(): Promise<Record<string, unknown>> {
    return this.#call('GET', '/_sandbox/config');
  }

  reset(): Promise<{ ok: boolean }> {
    return this.#call('POST', '/_sandbox/reset', {});
  }

  ledger(query: LedgerQuery = {}): Promise<LedgerPage> {
    return this.#call('GET', `/_sandbox/ledger${querySuffix(query)}`);
  }

  /** Sends the Twilio API refused (nothing created: 21610, 21606…), oldest first. */
  refusals(query: RefusalQuery = {}): Promise<{ refusals: RefusalEntry[]; total: number }> {
    return this.#call('GET', `/_sandbox/refusals${querySuffix(query)}`);
  }

  mpsViolations(): Promise<MpsReport> {
    return this.#call('GET', '/_sandbox/mps');
  }

  stats(): Promise<SandboxStats> {
    return this.#call('GET', '/_sandbox/stats');
  }

  /** Each carrier's fault rules and how often each kind fired since the last reset. */
  faults(): Promise<FaultsReport> {
    return this.#call('GET', '/_sandbox/faults');
  }

  /** Replaces the fault rules of the carriers given (`[]` clears one); returns `faults()`. */
  setFaults(faults: FaultsInput): Promise<FaultsReport> {
    return this.#call('POST', '/_sandbox/faults', faults);
  }

  /** Waits (server side, up to 30 s) until no timer or webhook is pending. */
  idle(): Promise<{ idle: boolean }> {
    return this.#call('GET', '/_sandbox/idle');
  }

  injectSms(input: SmsInboundInput): Promise<Record<string, unknown>> {
    return this.#call('POST', '/_sandbox/twilio/inbound', input);
  }

  injectBlooio(input: BlooioInboundInput): Promise<Record<string, unknown>> {
    return this.#call('POST', '/_sandbox/blooio/inbound', input);
  }

  setAvailability(numbers: string[], available: boolean): Promise<{ unavailable: string[] }> {
    return this.#call('POST', '/_sandbox/blooio/availability', { numbers, available });
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed: unknown = await response.json();
    if (!response.ok) throw new SandboxClientError(response.status, parsed);
    return parsed as T;
  }
}

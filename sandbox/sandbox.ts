import { BlooioEmulator } from './blooio/emulator.ts';
import {
  availabilitySchema,
  blooioInboundSchema,
  ledgerQuerySchema,
  smsInboundSchema,
  type BlooioInboundInput,
  type ConfigureInput,
  type LedgerQuery,
  type SmsInboundInput,
} from './config.ts';
import { createContext, type SandboxContext } from './context.ts';
import type { LedgerPage } from './ledger.ts';
import type { MpsReport } from './mps-meter.ts';
import { applyConfigure, defaultSettings, parseConfigure, type Settings } from './settings.ts';
import { messageJson } from './twilio/message.ts';
import { TwilioEmulator } from './twilio/emulator.ts';

export interface SandboxStats {
  readonly smsMessages: number;
  readonly blooioMessages: number;
  readonly scheduled: number;
  readonly webhooks: { delivered: number; failed: number; pending: number };
}

/** The sandbox's in-process API; the control routes and `startSandbox` expose the same. */
export class Sandbox {
  readonly ctx: SandboxContext;
  readonly twilio: TwilioEmulator;
  readonly blooio: BlooioEmulator;
  readonly #initial: readonly ConfigureInput[];

  constructor(initial: readonly ConfigureInput[] = []) {
    this.ctx = createContext();
    this.twilio = new TwilioEmulator(this.ctx);
    this.blooio = new BlooioEmulator(this.ctx);
    this.#initial = initial;
    for (const input of initial) this.configure(input);
  }

  /** Merges configuration (numbers are upserted by phone number). Throws on invalid input. */
  configure(input: ConfigureInput | unknown): Settings {
    applyConfigure(this.ctx.settings, parseConfigure(input));
    this.ctx.webhooks.configure(this.ctx.settings.callbacks);
    return this.ctx.settings;
  }

  ledger(query: LedgerQuery | unknown = {}): LedgerPage {
    return this.ctx.ledger.query(ledgerQuerySchema.parse(query));
  }

  mpsViolations(): MpsReport {
    return this.ctx.mps.report();
  }

  /** An SMS from a person to one of the account's numbers, posted to the inbound webhook. */
  injectSms(input: SmsInboundInput | unknown): Record<string, unknown> {
    const { from, to, body } = smsInboundSchema.parse(input);
    return messageJson(this.twilio.receive(from, to, body));
  }

  /** A message received by a Blooio number, posted as `message.received`. */
  injectBlooio(input: BlooioInboundInput | unknown): Record<string, unknown> {
    return this.blooio.receive(blooioInboundSchema.parse(input));
  }

  /** Marks Blooio numbers available or unavailable (none available gives 503). */
  setAvailability(input: { numbers: string[]; available: boolean } | unknown): string[] {
    const { numbers, available } = availabilitySchema.parse(input);
    const { unavailable } = this.ctx.settings.blooio;
    for (const number of numbers) {
      if (available) unavailable.delete(number);
      else unavailable.add(number);
    }
    return [...unavailable];
  }

  stats(): SandboxStats {
    return {
      smsMessages: this.twilio.store.size,
      blooioMessages: this.blooio.messages.size,
      scheduled: this.ctx.scheduler.pending,
      webhooks: this.ctx.webhooks.stats(),
    };
  }

  /** Resolves once no timer is pending and every webhook has been delivered or given up. */
  async idle(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.ctx.scheduler.pending === 0 && this.ctx.webhooks.stats().pending === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }

  /** Forgets every message, opt-out and counter, and returns to the starting configuration. */
  reset(): void {
    this.ctx.scheduler.clear();
    this.ctx.webhooks.clear();
    this.ctx.ledger.clear();
    this.ctx.mps.clear();
    this.twilio.clear();
    this.blooio.clear();
    this.ctx.settings = defaultSettings();
    for (const input of this.#initial) this.configure(input);
  }

  close(): void {
    this.ctx.scheduler.clear();
    this.ctx.webhooks.close();
  }
}

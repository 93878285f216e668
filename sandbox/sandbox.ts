import { BlooioEmulator } from './blooio/emulator.ts';
import {
  availabilitySchema,
  blooioInboundSchema,
  ledgerQuerySchema,
  refusalQuerySchema,
  smsInboundSchema,
  type BlooioInboundInput,
  type ConfigureInput,
  type FaultsInput,
  type LedgerQuery,
  type RefusalQuery,
  type SmsInboundInput,
} from './config.ts';
import { createContext, type SandboxContext } from './context.ts';
import type { FaultCounts, FaultsReport } from './faults/injector.ts';
import type { LedgerPage, RefusalEntry } from './ledger.ts';
import type { MpsReport } from './mps-meter.ts';
import { applyConfigure, defaultSettings, parseConfigure, type Settings } from './settings.ts';
import { messageJson } from './twilio/message.ts';
import { TwilioEmulator } from './twilio/emulator.ts';

export interface SandboxStats {
  readonly smsMessages: number;
  readonly blooioMessages: number;
  readonly scheduled: number;
  readonly webhooks: { delivered: number; failed: number; pending: number };
  /** Times each fault kind fired since the last reset, per carrier. */
  readonly faults: { twilio: FaultCounts; blooio: FaultCounts };
  /** Requests a hang fault is holding unanswered right now. */
  readonly heldRequests: number;
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
    this.applyStartingConfiguration();
  }

  /** Applies the configuration the sandbox was started with (again). */
  applyStartingConfiguration(): void {
    for (const input of this.#initial) this.configure(input);
  }

  /** Merges configuration (numbers are upserted by phone number). Throws on invalid input. */
  configure(input: ConfigureInput | unknown): Settings {
    const request = parseConfigure(input);
    applyConfigure(this.ctx.settings, request);
    this.ctx.webhooks.configure(this.ctx.settings.callbacks);
    if (request.faults?.twilio !== undefined) this.ctx.faults.twilio.restart();
    if (request.faults?.blooio !== undefined) this.ctx.faults.blooio.restart();
    return this.ctx.settings;
  }

  /** Replaces the fault rules of the carriers given (same as `configure({ faults })`). */
  setFaults(input: FaultsInput | unknown): FaultsReport {
    this.configure({ faults: input });
    return this.faults();
  }

  /** Each carrier's fault rules and how often each kind fired. */
  faults(): FaultsReport {
    const { faults } = this.ctx.settings;
    return {
      twilio: this.ctx.faults.twilio.report(faults.twilio),
      blooio: this.ctx.faults.blooio.report(faults.blooio),
    };
  }

  ledger(query: LedgerQuery | unknown = {}): LedgerPage {
    return this.ctx.ledger.query(ledgerQuerySchema.parse(query));
  }

  /** Sends refused at the API (nothing created), oldest first. */
  refusals(query: RefusalQuery | unknown = {}): { refusals: RefusalEntry[]; total: number } {
    return this.ctx.ledger.refusals(refusalQuerySchema.parse(query));
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
      faults: { twilio: this.ctx.faults.twilio.fired(), blooio: this.ctx.faults.blooio.fired() },
      heldRequests: this.ctx.held.size,
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

  /**
   * Forgets every message, opt-out and counter (fault counts too), and returns to the starting
   * configuration. Requests already held by a hang fault stay held until their clients give up.
   */
  reset(): void {
    this.ctx.scheduler.clear();
    this.ctx.faults.twilio.clear();
    this.ctx.faults.blooio.clear();
    this.ctx.webhooks.clear();
    this.ctx.ledger.clear();
    this.ctx.mps.clear();
    this.twilio.clear();
    this.blooio.clear();
    this.ctx.settings = defaultSettings();
    this.applyStartingConfiguration();
  }

  /** Stops timers and webhooks, and destroys the connections held by hang faults. */
  close(): void {
    this.ctx.scheduler.clear();
    this.ctx.webhooks.close();
    this.ctx.held.close();
  }
}

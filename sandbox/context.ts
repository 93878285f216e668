import { HeldConnections } from './faults/held-connections.ts';
import { FaultInjector, type Carrier } from './faults/injector.ts';
import { Ledger } from './ledger.ts';
import { MpsMeter } from './mps-meter.ts';
import { Scheduler } from './scheduler.ts';
import { defaultSettings, type Settings } from './settings.ts';
import { WebhookSender } from './webhook-sender.ts';

/** The shared state every emulator works on: settings, ledger, meter, timers, webhooks, faults. */
export interface SandboxContext {
  settings: Settings;
  readonly ledger: Ledger;
  readonly mps: MpsMeter;
  readonly scheduler: Scheduler;
  readonly webhooks: WebhookSender;
  readonly faults: Readonly<Record<Carrier, FaultInjector>>;
  /** Requests a hang fault keeps unanswered. */
  readonly held: HeldConnections;
}

export function createContext(): SandboxContext {
  const settings = defaultSettings();
  return {
    settings,
    ledger: new Ledger(),
    mps: new MpsMeter(),
    scheduler: new Scheduler(),
    webhooks: new WebhookSender(settings.callbacks),
    faults: { twilio: new FaultInjector('twilio'), blooio: new FaultInjector('blooio') },
    held: new HeldConnections(),
  };
}

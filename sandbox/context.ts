import { Ledger } from './ledger.ts';
import { MpsMeter } from './mps-meter.ts';
import { Scheduler } from './scheduler.ts';
import { defaultSettings, type Settings } from './settings.ts';
import { WebhookSender } from './webhook-sender.ts';

/** The shared state every emulator works on: settings, ledger, meter, timers, webhooks. */
export interface SandboxContext {
  settings: Settings;
  readonly ledger: Ledger;
  readonly mps: MpsMeter;
  readonly scheduler: Scheduler;
  readonly webhooks: WebhookSender;
}

export function createContext(): SandboxContext {
  const settings = defaultSettings();
  return {
    settings,
    ledger: new Ledger(),
    mps: new MpsMeter(),
    scheduler: new Scheduler(),
    webhooks: new WebhookSender(settings.callbacks),
  };
}

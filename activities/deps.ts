import type { Config } from '../config/env.ts';
import type { Db } from '../db/connect.ts';
import type { SmsCarrier } from './carriers/sms.ts';

/** Everything activities touch; only worker/ builds the real ones, tests build their own. */
export interface ActivityDeps {
  db: Db;
  sms: SmsCarrier;
  config: Readonly<Config>;
  clock: () => Date;
  /** Waits until an instant (a reserved send slot); tests may shorten it. */
  sleepUntil?: (at: Date, signal: AbortSignal) => Promise<void>;
}

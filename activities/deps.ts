import type { Config } from '../config/env.ts';
import type { Db } from '../db/connect.ts';
import type { AppliedLag } from '../db/status-events.ts';
import type { BlooioClient } from './carriers/blooio.ts';
import type { SmsCarrier } from './carriers/sms.ts';

/** Everything activities touch; only worker/ builds the real ones, tests build their own. */
export interface ActivityDeps {
  db: Db;
  sms: SmsCarrier;
  blooio: BlooioClient;
  config: Readonly<Config>;
  clock: () => Date;
  /** Waits until an instant (a reserved send slot); tests may shorten it. */
  sleepUntil?: (at: Date, signal: AbortSignal) => Promise<void>;
  /** Told which statuses an activity applied, and their lag since the send (the worker's metrics). */
  onStatusApplied?: (lags: readonly AppliedLag[]) => void;
}

import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { blooioRoutes } from './blooio/routes.ts';
import type {
  ConfigureInput,
  LedgerQuery,
  RefusalQuery,
  SmsInboundInput,
  BlooioInboundInput,
} from './config.ts';
import { ConnectionTracker } from './connections.ts';
import { controlRoutes } from './control.ts';
import type { FaultsReport } from './faults/injector.ts';
import type { LedgerPage, RefusalEntry } from './ledger.ts';
import type { MpsReport } from './mps-meter.ts';
import { Sandbox, type SandboxStats } from './sandbox.ts';
import { keepStateIn } from './state-file.ts';
import type { Settings } from './settings.ts';
import { twilioRoutes } from './twilio/routes.ts';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Applied at start and again after every reset. */
  readonly config?: ConfigureInput;
  readonly logger?: boolean;
  /** Keeps the sandbox's account (numbers, opt-outs, …) in this file across restarts. */
  readonly stateFile?: string;
  /** Where problems with the state file are told (default: stderr). */
  readonly warn?: (line: string) => void;
}

export interface RunningSandbox {
  readonly url: string;
  readonly port: number;
  readonly sandbox: Sandbox;
  configure(input: ConfigureInput): Settings;
  ledger(query?: LedgerQuery): LedgerPage;
  /** Sends the Twilio API refused (nothing created), oldest first. */
  refusals(query?: RefusalQuery): { refusals: RefusalEntry[]; total: number };
  mpsViolations(): MpsReport;
  injectSms(input: SmsInboundInput): Record<string, unknown>;
  injectBlooio(input: BlooioInboundInput): Record<string, unknown>;
  setAvailability(numbers: string[], available: boolean): string[];
  stats(): SandboxStats;
  /** Each carrier's fault rules and how often each kind fired (set them with `configure`). */
  faults(): FaultsReport;
  /** TCP connections accepted so far (keep-alive clients reuse a few). */
  connections(): number;
  idle(timeoutMs?: number): Promise<boolean>;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the Twilio + Blooio emulators and the control API on one HTTP server. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = new Sandbox(options.config === undefined ? [] : [options.config]);
  const warn = options.warn ?? ((line: string) => console.warn(`[sandbox] ${line}`));
  const state =
    options.stateFile === undefined
      ? undefined
      : await keepStateIn(sandbox, options.stateFile, warn);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1_048_576 });
  await app.register(formbody);
  twilioRoutes(app, sandbox.ctx, sandbox.twilio);
  blooioRoutes(app, sandbox.ctx, sandbox.blooio);
  controlRoutes(app, sandbox);
  const host = options.host ?? '127.0.0.1';
  const connections = new ConnectionTracker(app.server);
  // Runs right before the server stops listening, so no unused connection can open after it.
  app.addHook('preClose', (done) => {
    connections.destroyUnused();
    done();
  });
  app.server.keepAliveTimeout = 65_000;
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    port,
    sandbox,
    configure: (input) => sandbox.configure(input),
    ledger: (query) => sandbox.ledger(query),
    refusals: (query) => sandbox.refusals(query),
    mpsViolations: () => sandbox.mpsViolations(),
    injectSms: (input) => sandbox.injectSms(input),
    injectBlooio: (input) => sandbox.injectBlooio(input),
    setAvailability: (numbers, available) => sandbox.setAvailability({ numbers, available }),
    stats: () => sandbox.stats(),
    faults: () => sandbox.faults(),
    connections: () => connections.accepted,
    idle: (timeoutMs) => sandbox.idle(timeoutMs),
    reset: () => sandbox.reset(),
    // The sandbox lets go of held requests first: the server's close waits for busy connections.
    close: async () => {
      sandbox.close();
      await app.close();
      await state?.close();
    },
  };
}

/** Raised by a start-up step that finds the stack already asked to stop. */
export class StackStopping extends Error {
  override name = 'StackStopping';
  constructor() {
    super('the stack was asked to stop while starting');
  }
}

interface Service {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/**
 * The services a stack has started, stopped in reverse order (the API before the worker, the
 * worker before Temporal, PostgreSQL last) exactly once, however many signals arrive. A service
 * is added as soon as it is spawned, before it is ready, so a signal during start-up stops it
 * too; one added after stopping began is stopped at once.
 */
export class ServiceSet {
  readonly #services: Service[] = [];
  readonly #late: Promise<void>[] = [];
  #stopping: Promise<void> | undefined;
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  add(name: string, stop: () => Promise<void>): void {
    const service = { name, stop };
    if (this.#stopping === undefined) this.#services.push(service);
    else this.#late.push(this.#stopOne(service));
  }

  /** Throws StackStopping when a stop has begun (start-up steps call it between steps). */
  check(): void {
    if (this.#stopping !== undefined) throw new StackStopping();
  }

  /** Stops everything; resolves once every service added so far has stopped. */
  async stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const service of this.#services.toReversed()) await this.#stopOne(service);
    })();
    await this.#stopping;
    await Promise.all(this.#late);
  }

  async #stopOne(service: Service): Promise<void> {
    const started = Date.now();
    try {
      await service.stop();
      this.#log(`${service.name} stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      this.#log(`stopping ${service.name} failed: ${String(error)}`);
    }
  }
}

import type { FaultKind, FaultRule } from '../config.ts';
import { draw } from '../random.ts';

export type Carrier = 'twilio' | 'blooio';

export interface CarrierFaultReport {
  readonly rules: readonly FaultRule[];
  /** Times each kind fired since the last reset, whatever rules were set meanwhile (0s left out). */
  readonly fired: FaultCounts;
  /** Times each current rule fired since its list was set (what `limit` counts). */
  readonly firedPerRule: readonly number[];
}

export type FaultCounts = Partial<Record<FaultKind, number>>;

export type FaultsReport = Record<Carrier, CarrierFaultReport>;

/**
 * Decides which fault, if any, one carrier's send gets. The n-th send since the rules were set
 * draws from (seed, carrier, n, rule index), so the same seed and the same order of sends give
 * the same faults whatever traffic came before.
 */
export class FaultInjector {
  readonly #carrier: Carrier;
  #sequence = 0;
  #firedPerRule: number[] = [];
  #firedByKind = new Map<FaultKind, number>();

  constructor(carrier: Carrier) {
    this.#carrier = carrier;
  }

  /** The first rule that matches `sender`, is under its limit and wins its share, or null. */
  decide(rules: readonly FaultRule[], seed: string, sender: string): FaultKind | null {
    const sequence = this.#sequence;
    this.#sequence += 1;
    for (const [index, rule] of rules.entries()) {
      const fired = this.#firedPerRule[index] ?? 0;
      if (rule.limit !== undefined && fired >= rule.limit) continue;
      if (rule.numbers !== undefined && !rule.numbers.includes(sender)) continue;
      if (draw(seed, 'fault', this.#carrier, sequence, index) >= rule.share) continue;
      this.#firedPerRule[index] = fired + 1;
      this.#firedByKind.set(rule.kind, (this.#firedByKind.get(rule.kind) ?? 0) + 1);
      return rule.kind;
    }
    return null;
  }

  /** New rules: limits and the draw sequence start again; the per-kind totals keep counting. */
  restart(): void {
    this.#sequence = 0;
    this.#firedPerRule = [];
  }

  fired(): FaultCounts {
    return Object.fromEntries(this.#firedByKind);
  }

  report(rules: readonly FaultRule[]): CarrierFaultReport {
    return {
      rules,
      fired: this.fired(),
      firedPerRule: rules.map((_, index) => this.#firedPerRule[index] ?? 0),
    };
  }

  clear(): void {
    this.restart();
    this.#firedByKind.clear();
  }
}

import type { NumberState } from './sender-pool.ts';

/**
 * What an operator may do to a number, by its state. Pause takes any live number out of
 * selection; resume puts it back: straight to active when it was active, else on probation
 * (reduced weight, judged again) since whatever made it unhealthy may still hold. Release ends
 * a cool-down (or a misconfiguration the operator has fixed) early, on probation, as the end
 * of a cool-down does on its own.
 */
export type NumberAction = 'pause' | 'resume' | 'release';

export type NumberActionPlan =
  | { ok: true; to: NumberState }
  | { ok: false; code: 'number_paused' | 'number_not_paused' | 'number_not_cooling' };

export function planNumberAction(
  action: NumberAction,
  state: NumberState,
  /** For resume: the state the number was paused from (null: not known). */
  pausedFrom: NumberState | null = null,
): NumberActionPlan {
  switch (action) {
    case 'pause':
      return state === 'paused' ? { ok: false, code: 'number_paused' } : { ok: true, to: 'paused' };
    case 'resume':
      if (state !== 'paused') return { ok: false, code: 'number_not_paused' };
      return { ok: true, to: pausedFrom === 'active' ? 'active' : 'probation' };
    case 'release':
      return state === 'cooling' || state === 'misconfigured'
        ? { ok: true, to: 'probation' }
        : { ok: false, code: 'number_not_cooling' };
  }
}

import { describe, expect, it } from 'vitest';
import { planNumberAction } from '../../core/number-operator.ts';

describe('planNumberAction', () => {
  it('pauses any live number once', () => {
    for (const state of ['active', 'probation', 'cooling', 'misconfigured'] as const)
      expect(planNumberAction('pause', state)).toEqual({ ok: true, to: 'paused' });
    expect(planNumberAction('pause', 'paused')).toEqual({ ok: false, code: 'number_paused' });
  });

  it('resumes an active number to active, anything else to probation', () => {
    expect(planNumberAction('resume', 'paused', 'active')).toEqual({ ok: true, to: 'active' });
    expect(planNumberAction('resume', 'paused', 'cooling')).toEqual({ ok: true, to: 'probation' });
    expect(planNumberAction('resume', 'paused', null)).toEqual({ ok: true, to: 'probation' });
    expect(planNumberAction('resume', 'active')).toEqual({ ok: false, code: 'number_not_paused' });
  });

  it('releases only a cooling or misconfigured number, onto probation', () => {
    expect(planNumberAction('release', 'cooling')).toEqual({ ok: true, to: 'probation' });
    expect(planNumberAction('release', 'misconfigured')).toEqual({ ok: true, to: 'probation' });
    expect(planNumberAction('release', 'active')).toEqual({
      ok: false,
      code: 'number_not_cooling',
    });
  });
});

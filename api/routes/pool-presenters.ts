import { poolHealthPolicy, type PoolHealthOverrides } from '../../core/pool-health.ts';
import type { HealthSettings } from '../../db/health-settings.ts';
import type { NumberDetail, Reassignment } from '../../db/pool-detail.ts';
import type { PoolSummary } from '../../db/pools.ts';
import type { Pool, SenderNumber } from '../../db/tables.ts';

const OVERRIDES = {
  threshold: 'health_threshold',
  min_samples: 'health_min_samples',
  cooldown_seconds: 'health_cooldown_seconds',
  probation_seconds: 'health_probation_seconds',
  probation_good: 'health_probation_good',
  probation_min_samples: 'health_probation_min_samples',
} as const satisfies Record<string, keyof PoolHealthOverrides>;

/** The pool's health thresholds as the API names them, and which it sets itself. */
export function presentHealthThresholds(pool: Pool, settings: HealthSettings) {
  const policy = poolHealthPolicy(settings.policy, pool);
  return {
    threshold: policy.threshold,
    min_samples: policy.minSamples,
    cooldown_seconds: policy.coolDownMs / 1000,
    probation_seconds: policy.probationMs / 1000,
    probation_good: policy.probationGoodOutcomes,
    probation_min_samples: policy.probationMinSamples,
    overridden: Object.entries(OVERRIDES).flatMap(([field, column]) =>
      pool[column] === null ? [] : [field],
    ),
  };
}

/** A PATCH's health thresholds as `pools` columns (undefined: left as they are). */
export function healthColumns(input: {
  threshold?: number | null | undefined;
  min_samples?: number | null | undefined;
  cooldown_seconds?: number | null | undefined;
  probation_seconds?: number | null | undefined;
  probation_good?: number | null | undefined;
  probation_min_samples?: number | null | undefined;
}): Partial<PoolHealthOverrides> {
  const columns: Partial<PoolHealthOverrides> = {
    health_threshold: input.threshold,
    health_min_samples: input.min_samples,
    health_cooldown_seconds: input.cooldown_seconds,
    health_probation_seconds: input.probation_seconds,
    health_probation_good: input.probation_good,
    health_probation_min_samples: input.probation_min_samples,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

export function presentPool(pool: Pool, settings: HealthSettings) {
  return {
    id: pool.id,
    name: pool.name,
    provider: pool.provider,
    sticky_sender: pool.sticky_sender,
    geomatch: pool.geomatch,
    skip_unhealthy: pool.skip_unhealthy,
    long_code_weight: pool.long_code_weight,
    toll_free_weight: pool.toll_free_weight,
    short_code_weight: pool.short_code_weight,
    health_thresholds: presentHealthThresholds(pool, settings),
    created_at: pool.created_at.toISOString(),
  };
}

export function presentSummary(pool: PoolSummary, settings: HealthSettings) {
  const { numbers, active, probation, cooling, retired, misconfigured, paused } = pool;
  return {
    ...presentPool(pool, settings),
    counts: { numbers, active, probation, cooling, retired, misconfigured, paused },
  };
}

export function presentNumber(number: SenderNumber) {
  return {
    id: number.id,
    pool_id: number.pool_id,
    phone: number.phone,
    kind: number.kind,
    weight: number.weight,
    mps: number.mps,
    mms_mps: number.mms_mps,
    daily_cap: number.daily_cap,
    area_code: number.area_code,
    region: number.region,
    state: number.state,
    state_changed_at: number.state_changed_at.toISOString(),
    cooling_until: number.cooling_until?.toISOString() ?? null,
    created_at: number.created_at.toISOString(),
  };
}

export function presentNumberDetail(detail: NumberDetail, settings: HealthSettings) {
  const { health } = detail;
  return {
    ...presentNumber(detail.number),
    health: {
      delivery_rate: health.deliveryRate,
      samples: health.samples,
      delivered: health.delivered,
      sender_failures: health.senderFailures,
      failures_by_code: health.failuresByCode,
      threshold: settings.policy.threshold,
      min_samples: settings.policy.minSamples,
    },
    new_recipients_today: detail.newRecipientsToday,
    sticky_contacts: detail.stickyContacts,
    recent_changes: detail.changes.map((change) => ({
      from: change.from,
      to: change.to,
      reason: change.reason,
      error_code: change.errorCode,
      delivery_rate: change.deliveryRate,
      samples: change.samples,
      at: change.at.toISOString(),
    })),
  };
}

export function presentReassignment(move: Reassignment) {
  return {
    contact_id: move.contactId,
    from_number_id: move.fromNumberId,
    to_number_id: move.toNumberId,
    reason: move.reason,
    at: move.at.toISOString(),
  };
}

import type { HealthSettings } from '../../db/health-settings.ts';
import type { NumberDetail, Reassignment } from '../../db/pool-detail.ts';
import type { PoolSummary } from '../../db/pools.ts';
import type { Pool, SenderNumber } from '../../db/tables.ts';

export function presentPool(pool: Pool) {
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
    created_at: pool.created_at.toISOString(),
  };
}

export function presentSummary(pool: PoolSummary) {
  const { numbers, active, probation, cooling, retired, misconfigured } = pool;
  return {
    ...presentPool(pool),
    counts: { numbers, active, probation, cooling, retired, misconfigured },
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

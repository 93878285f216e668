/** When a new campaign sends: its sending window, its start and its drip schedule. */
import type { Draft } from '../../campaign-draft.ts';
import { errorsAt, type FieldErrors } from '../../field-errors.ts';
import { FieldError, invalidProps } from '../../ui.tsx';

type ScheduleDraft = Pick<
  Draft,
  'windowStart' | 'windowEnd' | 'startAt' | 'dripMode' | 'dripMinutes' | 'dripCron' | 'dripTimeZone'
>;

export function ScheduleFields({
  draft,
  onChange,
  errors,
  dripSteps,
}: {
  draft: ScheduleDraft;
  onChange: (change: Partial<ScheduleDraft>) => void;
  errors: FieldErrors;
  /** Whether the campaign has steps after the broadcast (the drip schedule only runs those). */
  dripSteps: boolean;
}) {
  const at = (field: string) => errorsAt(errors, field);
  const windowErrors = errors.sending_window ?? [];
  return (
    <fieldset>
      <legend>When</legend>
      <div class="grid">
        <div>
          <label for="window-start">Send from (recipient's local time)</label>
          <input
            id="window-start"
            type="time"
            value={draft.windowStart}
            {...invalidProps('sending_window.start', at('sending_window.start'))}
            onInput={(e) => onChange({ windowStart: e.currentTarget.value })}
          />
          <FieldError field="sending_window.start" messages={at('sending_window.start')} />
        </div>
        <div>
          <label for="window-end">Until</label>
          <input
            id="window-end"
            type="time"
            value={draft.windowEnd}
            {...invalidProps('sending_window.end', at('sending_window.end'))}
            onInput={(e) => onChange({ windowEnd: e.currentTarget.value })}
          />
          <FieldError field="sending_window.end" messages={at('sending_window.end')} />
        </div>
        <div>
          <label for="start-at">Start (your time; empty: when launched)</label>
          <input
            id="start-at"
            type="datetime-local"
            value={draft.startAt}
            {...invalidProps('start_at', at('start_at'))}
            onInput={(e) => onChange({ startAt: e.currentTarget.value })}
          />
          <FieldError field="start_at" messages={at('start_at')} />
        </div>
      </div>
      <FieldError field="sending_window" messages={windowErrors} />
      <p class="hint">
        The legal floor (federal 08:00–21:00 and stricter state rules) still applies: this window
        can only narrow it.
      </p>
      <div class="grid">
        <div>
          <label for="drip-mode">Follow-up steps are checked</label>
          <select
            id="drip-mode"
            value={draft.dripMode}
            onChange={(e) =>
              onChange({ dripMode: e.currentTarget.value === 'cron' ? 'cron' : 'interval' })
            }
          >
            <option value="interval">at a fixed interval</option>
            <option value="cron">on a cron schedule</option>
          </select>
        </div>
        {draft.dripMode === 'interval' ? (
          <div>
            <label for="drip-every">Every (minutes)</label>
            <input
              id="drip-every"
              type="number"
              min="1"
              value={draft.dripMinutes}
              {...invalidProps('drip.every_seconds', at('drip.every_seconds'))}
              onInput={(e) => onChange({ dripMinutes: e.currentTarget.value })}
            />
            <FieldError field="drip.every_seconds" messages={at('drip.every_seconds')} />
          </div>
        ) : (
          <div>
            <label for="drip-cron">Cron expression (minute hour day month weekday)</label>
            <input
              id="drip-cron"
              value={draft.dripCron}
              spellcheck={false}
              {...invalidProps('drip.cron', at('drip.cron'))}
              onInput={(e) => onChange({ dripCron: e.currentTarget.value })}
            />
            <FieldError field="drip.cron" messages={at('drip.cron')} />
          </div>
        )}
        <div>
          <label for="drip-zone">Drip time zone (IANA)</label>
          <input
            id="drip-zone"
            value={draft.dripTimeZone}
            spellcheck={false}
            {...invalidProps('drip.time_zone', at('drip.time_zone'))}
            onInput={(e) => onChange({ dripTimeZone: e.currentTarget.value })}
          />
          <FieldError field="drip.time_zone" messages={at('drip.time_zone')} />
        </div>
      </div>
      <FieldError field="drip" messages={errors.drip ?? []} />
      {!dripSteps && (
        <p class="hint">The drip schedule only matters once the campaign has follow-up steps.</p>
      )}
    </fieldset>
  );
}

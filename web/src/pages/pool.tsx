import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { errorsAt, fieldErrors, type FieldErrors } from '../field-errors.ts';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import {
  Badge,
  Empty,
  ErrorNote,
  FieldError,
  Loading,
  PageTitle,
  count,
  invalidProps,
  percent,
  when,
} from '../ui.tsx';
import { NumberTimeline } from './number-timeline.tsx';

function AddNumber({ poolId, onAdded }: { poolId: string; onAdded: () => void }) {
  const [phone, setPhone] = useState('');
  const [mps, setMps] = useState('1');
  const [cap, setCap] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const at = (field: string) => errorsAt(errors, field);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setErrors({});
    try {
      await must(
        api().POST('/v1/pools/{id}/numbers', {
          params: { path: { id: poolId } },
          body: {
            phone: phone.trim(),
            mps: Number(mps),
            daily_cap: cap === '' ? null : Number(cap),
          },
        }),
      );
      setPhone('');
      onAdded();
    } catch (failure) {
      setError(describe(failure));
      setErrors(fieldErrors(failure));
    }
  };
  return (
    <form class="panel" onSubmit={submit} noValidate>
      <h2>Add a number</h2>
      <div class="grid">
        <div>
          <label for="number-phone">Phone (E.164)</label>
          <input
            id="number-phone"
            placeholder="+14155550123"
            value={phone}
            {...invalidProps('phone', at('phone'))}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
          <FieldError field="phone" messages={at('phone')} />
        </div>
        <div>
          <label for="number-mps">Messages per second</label>
          <input
            id="number-mps"
            type="number"
            min="0.1"
            step="0.1"
            value={mps}
            {...invalidProps('mps', at('mps'))}
            onInput={(e) => setMps(e.currentTarget.value)}
          />
          <FieldError field="mps" messages={at('mps')} />
        </div>
        <div>
          <label for="number-cap">Daily cap (new recipients; empty for none)</label>
          <input
            id="number-cap"
            type="number"
            min="1"
            value={cap}
            {...invalidProps('daily_cap', at('daily_cap'))}
            onInput={(e) => setCap(e.currentTarget.value)}
          />
          <FieldError field="daily_cap" messages={at('daily_cap')} />
        </div>
      </div>
      <p>
        <button type="submit">Add number</button>
      </p>
      <ErrorNote error={error} />
    </form>
  );
}

function ImportNumbers({ poolId, onImported }: { poolId: string; onImported: () => void }) {
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await must(
        api().POST('/v1/pools/{id}/numbers/import', {
          params: { path: { id: poolId } },
          body: { dry_run: dryRun },
        }),
      );
      const counts = Object.entries(result.counts)
        .map(([what, n]) => `${n} ${what.replaceAll('_', ' ')}`)
        .join(', ');
      setSummary(
        `${dryRun ? 'Would import' : 'Imported'}: ${result.listed} listed by the carrier; ${counts || 'nothing to do'}.`,
      );
      if (!dryRun) onImported();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="panel">
      <h2>Import from the carrier account</h2>
      <p class="hint">
        Lists the account's numbers; a dry run shows what would change without changing it.
      </p>
      <div class="button-row">
        <button type="button" class="quiet" disabled={busy} onClick={() => void run(true)}>
          Dry run
        </button>
        <button type="button" disabled={busy} onClick={() => void run(false)}>
          Import numbers
        </button>
      </div>
      {summary !== null && <p role="status">{summary}</p>}
      <ErrorNote error={error} />
    </div>
  );
}

export function PoolPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const pool = useLoad(
    () => must(api().GET('/v1/pools/{id}', { params: { path: { id } } })),
    [id],
    { everyMs: 10_000 },
  );
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (phone: string, action: 'pause' | 'resume') => {
    const reason = window.prompt(
      `Why ${action} ${phone}? (kept in its history)`,
      action === 'pause' ? 'paused from the console' : 'resumed from the console',
    );
    if (reason === null) return;
    setError(null);
    try {
      const path = { params: { path: { id, phone } }, body: { reason } };
      if (action === 'pause') await must(api().POST('/v1/pools/{id}/numbers/{phone}/pause', path));
      else await must(api().POST('/v1/pools/{id}/numbers/{phone}/resume', path));
      pool.reload();
    } catch (failure) {
      setError(describe(failure));
    }
  };
  if (pool.data === undefined)
    return (
      <section>
        <PageTitle>Pool</PageTitle>
        {pool.error === null ? (
          <Loading what="the pool" />
        ) : (
          <ErrorNote error={pool.error} retry={pool.reload} />
        )}
      </section>
    );
  const data = pool.data;
  return (
    <section>
      <PageTitle>{data.name}</PageTitle>
      <p class="muted">
        {data.provider} pool · sticky sender {data.sticky_sender ? 'on' : 'off'} · geomatch{' '}
        {data.geomatch ? 'on' : 'off'} · cools a number below{' '}
        {percent(data.health_thresholds.threshold, 1)} delivered
      </p>
      <ErrorNote error={pool.error ?? error} retry={pool.reload} />
      {data.numbers.length === 0 ? (
        <Empty title="No numbers in this pool">
          Add a number below or import the carrier account's numbers.
        </Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid="number-list" class="sticky-first">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">State</th>
                <th scope="col" class="num">
                  MPS
                </th>
                <th scope="col" class="num">
                  Daily cap
                </th>
                <th scope="col" class="num">
                  Delivery
                </th>
                <th scope="col" class="num">
                  Today
                </th>
                <th scope="col">Since</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.numbers.map((number) => (
                <tr key={number.id}>
                  <td>{number.phone}</td>
                  <td>
                    <Badge value={number.state} />
                  </td>
                  <td class="num">{number.mps}</td>
                  <td class="num">
                    {number.daily_cap === null ? 'none' : count(number.daily_cap)}
                  </td>
                  <td class="num">
                    {number.health.delivery_rate === null
                      ? '—'
                      : percent(number.health.delivery_rate, 1)}
                    <span class="muted"> of {count(number.health.samples)}</span>
                  </td>
                  <td class="num">{count(number.new_recipients_today)}</td>
                  <td>{when(number.state_changed_at)}</td>
                  <td>
                    <div class="button-row">
                      <button
                        type="button"
                        class="quiet"
                        aria-expanded={open === number.phone}
                        onClick={() => setOpen(open === number.phone ? null : number.phone)}
                      >
                        Timeline<span class="sr-only"> of {number.phone}</span>
                      </button>
                      {number.state === 'paused' ? (
                        <button
                          type="button"
                          class="quiet"
                          onClick={() => void toggle(number.phone, 'resume')}
                        >
                          Resume<span class="sr-only"> {number.phone}</span>
                        </button>
                      ) : number.state !== 'retired' ? (
                        <button
                          type="button"
                          class="quiet"
                          onClick={() => void toggle(number.phone, 'pause')}
                        >
                          Pause<span class="sr-only"> {number.phone}</span>
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open !== null && <NumberTimeline poolId={id} phone={open} />}
      <AddNumber poolId={id} onAdded={pool.reload} />
      <ImportNumbers poolId={id} onImported={pool.reload} />
    </section>
  );
}

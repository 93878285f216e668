import { useState } from 'preact/hooks';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Empty, ErrorNote, Loading, PageTitle, count } from '../ui.tsx';

function NewPool({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<'twilio' | 'blooio'>('twilio');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await must(api().POST('/v1/pools', { body: { name, provider } }));
      setName('');
      onCreated();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h2>New pool</h2>
      <div class="grid">
        <div>
          <label for="pool-name">Name</label>
          <input
            id="pool-name"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div>
          <label for="pool-provider">Carrier</label>
          <select
            id="pool-provider"
            value={provider}
            onChange={(e) => setProvider(e.currentTarget.value === 'blooio' ? 'blooio' : 'twilio')}
          >
            <option value="twilio">Twilio (SMS broadcast numbers)</option>
            <option value="blooio">Blooio (iMessage follow-up lines)</option>
          </select>
        </div>
      </div>
      <p>
        <button type="submit" disabled={busy}>
          Create pool
        </button>
      </p>
      <ErrorNote error={error} />
    </form>
  );
}

export function Pools() {
  const list = useLoad(() => must(api().GET('/v1/pools')), []);
  const pools = list.data?.pools ?? [];
  return (
    <section>
      <PageTitle>Pools</PageTitle>
      <ErrorNote error={list.error} retry={list.reload} />
      {list.loading && list.data === undefined && <Loading what="pools" />}
      {list.data !== undefined && pools.length === 0 && (
        <Empty title="No pools yet">
          Create a Twilio pool for the broadcast numbers (and a Blooio pool for iMessage follow-ups)
          below, then add or import its numbers.
        </Empty>
      )}
      {pools.length > 0 && (
        <div class="table-wrap">
          <table data-testid="pool-list">
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Carrier</th>
                <th scope="col" class="num">
                  Numbers
                </th>
                <th scope="col" class="num">
                  Active
                </th>
                <th scope="col" class="num">
                  Probation
                </th>
                <th scope="col" class="num">
                  Cooling
                </th>
                <th scope="col" class="num">
                  Paused
                </th>
                <th scope="col" class="num">
                  Retired
                </th>
              </tr>
            </thead>
            <tbody>
              {pools.map((pool) => (
                <tr key={pool.id}>
                  <td>
                    <a href={`/pools/${pool.id}`}>{pool.name}</a>
                  </td>
                  <td>{pool.provider}</td>
                  <td class="num">{count(pool.counts.numbers)}</td>
                  <td class="num">{count(pool.counts.active)}</td>
                  <td class="num">{count(pool.counts.probation)}</td>
                  <td class="num">{count(pool.counts.cooling)}</td>
                  <td class="num">{count(pool.counts.paused)}</td>
                  <td class="num">{count(pool.counts.retired)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewPool onCreated={list.reload} />
    </section>
  );
}

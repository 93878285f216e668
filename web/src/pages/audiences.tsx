import { useState } from 'preact/hooks';
import type { paths } from '../../../client/index.ts';
import { download, toCsv } from '../csv.ts';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Empty, ErrorNote, Loading, PageTitle, Pager, count, nextPage, when } from '../ui.tsx';
import { uploadCsv, type UploadProgress } from '../upload.ts';

type Imported = paths['/v1/audiences']['post']['responses'][201]['content']['application/json'];
type Rejection = Imported['first_rejections'][number];

/** Every rejected line of an audience, page by page (the import answer shows the first ones). */
async function allRejections(id: string): Promise<Rejection[]> {
  const lines: Rejection[] = [];
  let after = 0;
  for (;;) {
    const page = await must(
      api().GET('/v1/audiences/{id}/rejections', {
        params: { path: { id }, query: { after, limit: 1000 } },
      }),
    );
    lines.push(...page.rejections);
    if (page.next_after === null) return lines;
    after = page.next_after;
  }
}

function UploadResult({ result, rejections }: { result: Imported; rejections: Rejection[] }) {
  return (
    <div class="panel" data-testid="upload-result">
      <h2>
        Imported “{result.name}”: {count(result.imported)} contacts
      </h2>
      <p>
        {count(result.rows_read)} rows read, {count(result.imported)} imported,{' '}
        {count(result.duplicates)} duplicates, {count(result.rejected)} rejected.
      </p>
      {rejections.length > 0 && (
        <>
          <div class="page-title">
            <h2>Rejected lines</h2>
            <button
              type="button"
              class="quiet"
              onClick={() =>
                download(
                  `${result.name}-rejected.csv`,
                  toCsv(
                    ['line', 'reason', 'value'],
                    rejections.map((r) => [r.line, r.reason, r.value]),
                  ),
                )
              }
            >
              Download rejected lines (CSV)
            </button>
          </div>
          <p class="hint">Fix these lines in your file and upload them again as a new audience.</p>
          <div class="table-wrap">
            <table data-testid="rejections">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {rejections.slice(0, 500).map((rejection) => (
                  <tr key={rejection.line}>
                    <td class="num">{rejection.line}</td>
                    <td>{rejection.reason.replaceAll('_', ' ')}</td>
                    <td>{rejection.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rejections.length > 500 && (
            <p class="hint">
              The first 500 of {count(rejections.length)} are shown: download the CSV for all.
            </p>
          )}
        </>
      )}
    </div>
  );
}

function Upload({ onImported }: { onImported: () => void }) {
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'importing'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ result: Imported; rejections: Rejection[] } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (file === null) {
      setError('Choose a CSV file first: one row per contact, with a phone column.');
      return;
    }
    setError(null);
    setResult(null);
    setPhase('sending');
    try {
      const query = new URLSearchParams({ name: name.trim() || file.name });
      const imported = await uploadCsv<Imported>(`/v1/audiences?${query}`, file, (next) => {
        setProgress(next);
        if (next.loaded >= next.total) setPhase('importing');
      });
      const rejections =
        imported.rejected > imported.first_rejections.length
          ? await allRejections(imported.id)
          : imported.first_rejections;
      setResult({ result: imported, rejections });
      onImported();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setPhase('idle');
    }
  };

  return (
    <form class="panel" onSubmit={submit}>
      <h2>Upload a CSV</h2>
      <p class="hint">
        A header row with a <code>phone</code> column; other columns (first_name, city…) become
        attributes your templates can use.
      </p>
      <div class="grid">
        <div>
          <label for="audience-name">Name</label>
          <input
            id="audience-name"
            value={name}
            placeholder="Spring promo list"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div>
          <label for="audience-file">CSV file</label>
          <input
            id="audience-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
      </div>
      <p>
        <button type="submit" disabled={phase !== 'idle'}>
          {phase === 'idle' ? 'Upload' : 'Uploading…'}
        </button>
      </p>
      {progress !== null && phase !== 'idle' && (
        <p role="status">
          <progress
            value={progress.loaded}
            max={progress.total || 1}
            aria-label="Upload progress"
          />
          {phase === 'sending'
            ? `${count(progress.loaded)} of ${count(progress.total)} bytes sent`
            : `${count(progress.total)} bytes sent; the API is importing the rows…`}
        </p>
      )}
      <ErrorNote error={error} />
      {result !== null && <UploadResult result={result.result} rejections={result.rejections} />}
    </form>
  );
}

export function Audiences() {
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useLoad(
    () =>
      must(
        api().GET('/v1/audiences', {
          params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [cursor],
  );
  const audiences = list.data?.audiences ?? [];
  return (
    <section>
      <PageTitle>Audiences</PageTitle>
      <Upload onImported={list.reload} />
      <ErrorNote error={list.error} retry={list.reload} />
      {list.loading && list.data === undefined && <Loading what="audiences" />}
      {list.data !== undefined && audiences.length === 0 && (
        <Empty title="No audiences yet">
          Upload a CSV above: its contacts become an audience you can text.
        </Empty>
      )}
      {audiences.length > 0 && (
        <div class="table-wrap">
          <table data-testid="audience-list">
            <thead>
              <tr>
                <th scope="col">Audience</th>
                <th scope="col" class="num">
                  Contacts
                </th>
                <th scope="col" class="num">
                  Rows read
                </th>
                <th scope="col" class="num">
                  Rejected
                </th>
                <th scope="col">Columns</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {audiences.map((audience) => (
                <tr key={audience.id}>
                  <td>{audience.name}</td>
                  <td class="num">{count(audience.contacts)}</td>
                  <td class="num">{count(audience.rows_read)}</td>
                  <td class="num">{count(audience.rejected)}</td>
                  <td>{audience.columns.join(', ')}</td>
                  <td>{when(audience.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        back={cursor === null ? null : { label: 'First page', go: () => setCursor(null) }}
        onNext={nextPage(list.data?.next_cursor, setCursor)}
      />
    </section>
  );
}

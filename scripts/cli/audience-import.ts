import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiFailure, describeError, type ApiClient } from './api-client.ts';
import { CsvRowCounter } from './csv-rows.ts';
import { uploadProgress } from './upload-progress.ts';
import { COMMON_OPTIONS, numberOption, parseCommand, required, UsageError } from './usage.ts';

export const AUDIENCE_IMPORT_USAGE =
  'audience import FILE.csv [--name N] [--phone-column C] [--country US] [--progress-every SECONDS] [--api URL]';

/** Streams a CSV file to `POST /v1/audiences` with progress, then prints the counts. */
export async function audienceImport(
  args: string[],
  client: (api: string | undefined) => ApiClient,
): Promise<void> {
  const { values, positionals } = parseCommand('audience import', AUDIENCE_IMPORT_USAGE, {
    args,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      name: { type: 'string' },
      'phone-column': { type: 'string' },
      country: { type: 'string' },
      'progress-every': { type: 'string' },
    },
  });
  const file = required(positionals, 0, 'FILE.csv', AUDIENCE_IMPORT_USAGE);
  const everySeconds = numberOption(values['progress-every'], 'progress-every') ?? 2;
  const size = await stat(file).then(
    (info) => info.size,
    () => {
      throw new UsageError(`audience import: cannot read ${file}`);
    },
  );
  const api = client(values.api);
  const url = new URL('/v1/audiences', api.base);
  url.searchParams.set('name', values.name ?? file);
  if (values['phone-column'] !== undefined)
    url.searchParams.set('phone_column', values['phone-column']);
  if (values.country !== undefined) url.searchParams.set('country', values.country);

  const progress = uploadProgress(size, process.stderr, everySeconds * 1000);
  const rows = new CsvRowCounter();
  let sent = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      rows.push(chunk);
      progress.update(sent, rows.rows);
      done(null, chunk);
    },
    flush(done) {
      progress.finish(sent, rows.rows);
      done();
    },
  });
  const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${api.key}`, 'content-type': 'text/csv' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', (error) =>
      reject(new ApiFailure(`cannot reach the API at ${api.base.origin}: ${String(error)}`)),
    );
    pipeline(createReadStream(file), meter, req).catch(reject);
  });
  if (response.status >= 400)
    throw new ApiFailure(`POST /v1/audiences: ${describeError(response.status, response.body)}`);
  console.log(JSON.stringify(JSON.parse(response.body), null, 2));
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadEnvFile } from '../config/env-file.ts';
import { loadConfig } from '../config/env.ts';

/** `npm run tandem -- <group> <command> …`: one entry per command, each a small function. */
type Command = (args: string[]) => Promise<void>;

loadEnvFile();
const config = loadConfig();

function apiBase(override: string | undefined): URL {
  return new URL(override ?? `http://${config.API_HOST}:${config.API_PORT}`);
}

async function audienceImport(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'phone-column': { type: 'string' },
      country: { type: 'string' },
      api: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (file === undefined)
    throw new Error(
      'usage: audience import FILE.csv [--name N] [--phone-column C] [--country US] [--api URL]',
    );
  const size = (await stat(file)).size;
  const url = new URL('/v1/audiences', apiBase(values.api));
  url.searchParams.set('name', values.name ?? file);
  if (values['phone-column'] !== undefined)
    url.searchParams.set('phone_column', values['phone-column']);
  if (values.country !== undefined) url.searchParams.set('country', values.country);

  const bar = new cliProgress.SingleBar(
    { format: 'upload [{bar}] {percentage}% | {value}/{total} MB' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.ceil(size / 1e6), 0);
  let sent = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      bar.update(Math.floor(sent / 1e6));
      done(null, chunk);
    },
  });
  const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${config.API_KEY}`,
          'content-type': 'text/csv',
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(file), meter, req).catch(reject);
  });
  bar.update(Math.ceil(size / 1e6));
  bar.stop();
  console.log(JSON.stringify(JSON.parse(response.body), null, 2));
  if (response.status >= 400) process.exitCode = 1;
}

const commands: Record<string, Command> = {
  'audience import': audienceImport,
};

async function main(argv: string[]): Promise<void> {
  const key = argv.slice(0, 2).join(' ');
  const command = commands[key];
  if (command === undefined) {
    console.error(
      `usage: npm run tandem -- <command>\ncommands:\n  ${Object.keys(commands).join('\n  ')}`,
    );
    process.exitCode = 2;
    return;
  }
  await command(argv.slice(2));
}

await main(process.argv.slice(2));

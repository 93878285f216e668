/**
 * Builds the console (web/) into web/dist when its sources changed.
 *
 * The sources are web/ (but dist), the typed client and core/ (the console imports the
 * template and segment rules from there) and the lock file (a new Vite or Preact). Their hash
 * is kept in web/.build-hash beside dist: the same hash and an existing dist/index.html mean
 * the build is current and nothing runs, so setup, `npm run stack` and `npm test` pay for a
 * build only after a change, and a fresh clone builds once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { build } from 'vite';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const webDir = path.join(root, 'web');
export const distDir = path.join(webDir, 'dist');
const hashFile = path.join(webDir, '.build-hash');

function filesUnder(dir: string, skip: ReadonlySet<string>): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => ![...skip].some((prefix) => file.startsWith(prefix)))
    .sort();
}

/** One hash over every input of the build, by path and content. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(webDir, new Set([distDir, hashFile, path.join(webDir, 'node_modules')])),
    ...filesUnder(path.join(root, 'client'), new Set()),
    ...filesUnder(path.join(root, 'core'), new Set()),
    path.join(root, 'package-lock.json'),
    path.join(root, 'scripts', 'web', 'build.ts'),
  ];
  for (const file of inputs) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export async function buildConsole(
  options: { force?: boolean; say?: (line: string) => void } = {},
) {
  const say = options.say ?? ((line: string) => console.log(`[console] ${line}`));
  const hash = sourceHash();
  const current =
    existsSync(path.join(distDir, 'index.html')) &&
    existsSync(hashFile) &&
    readFileSync(hashFile, 'utf8').trim() === hash;
  if (current && !options.force) {
    say('web/dist is up to date');
    return { built: false };
  }
  const started = Date.now();
  // Built beside dist and swapped in, so a server (or a test run in parallel) never serves a
  // half-written dist.
  const fresh = `${distDir}.${process.pid}.tmp`;
  await build({
    root: webDir,
    configFile: false,
    logLevel: 'warn',
    plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
    build: {
      outDir: fresh,
      emptyOutDir: true,
      target: 'es2022',
      // No inline scripts or data: URLs: the CSP (api/console.ts) allows 'self' only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  });
  rmSync(distDir, { recursive: true, force: true });
  renameSync(fresh, distDir);
  writeFileSync(hashFile, `${hash}\n`);
  say(`built web/ into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { built: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildConsole({ force: process.argv.includes('--force') });
}

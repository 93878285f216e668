#!/usr/bin/env node
// Setup that runs before node_modules exists: plain Node, no dependencies.
// Idempotent: installs npm dependencies when missing or stale, and finds or builds the
// Temporal CLI (order: $TEMPORAL_CLI, PATH, ~/.cache/tandem, go install, release download).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { homedir, platform, arch, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPORAL_CLI_VERSION = '1.5.1';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'tandem');
const cacheBin = path.join(cacheDir, 'bin');
const cachedTemporal = path.join(cacheBin, 'temporal');
const depsOnly = process.argv.includes('--deps-only');
const started = Date.now();

const say = (message) => console.log(`[setup] ${message}`);

class SetupError extends Error {}

function fail(message) {
  throw new SetupError(message);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  // As package.json's engines: the test tooling (vite, rolldown) needs 20.19+ or 22.13+.
  const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 13) || major >= 23;
  if (!supported) {
    fail(
      `Node ${process.versions.node} is not supported: tandem needs Node 20.19+, 22.13+ or 24 (an LTS line). Install one (e.g. with nvm: nvm install 24) and run again.`,
    );
  }
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function installDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (
    existsSync(marker) &&
    mtime(marker) >= mtime(lock) &&
    existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))
  ) {
    say('npm dependencies: up to date');
    return;
  }
  say('npm dependencies: installing with `npm ci` (first run takes a minute)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.error?.code === 'ENOENT')
    fail('npm was not found on PATH. Install Node.js 20 with npm and run again.');
  if (result.status !== 0)
    fail(
      '`npm ci` failed (see the output above). Check that the npm registry is reachable, then run again.',
    );
}

function temporalWorks(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function onPath(name) {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function goInstall() {
  const go = onPath('go');
  if (!go) return 'go is not on PATH';
  mkdirSync(cacheBin, { recursive: true });
  const pkg = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
  const attempt = (toolchain) => {
    say(
      `Temporal CLI: building ${pkg} with ${toolchain ? `GOTOOLCHAIN=${toolchain}` : 'the local Go'} (takes ~5 minutes once; cached afterwards)`,
    );
    const env = {
      ...process.env,
      GOBIN: cacheBin,
      CGO_ENABLED: '0',
      ...(toolchain ? { GOTOOLCHAIN: toolchain } : {}),
    };
    return spawnSync(go, ['install', pkg], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'inherit', 'pipe'],
    });
  };
  let result = attempt(undefined);
  if (result.status !== 0) {
    process.stderr.write(result.stderr ?? '');
    const needed = /requires go >= ?(\d+\.\d+(?:\.\d+)?)/.exec(result.stderr ?? '')?.[1];
    const toolchain = needed
      ? `go${needed.split('.').length === 2 ? `${needed}.0` : needed}`
      : 'go1.25.4';
    result = attempt(toolchain);
    if (result.status !== 0) {
      process.stderr.write(result.stderr ?? '');
      return `go install failed (exit ${result.status})`;
    }
  }
  return existsSync(cachedTemporal)
    ? undefined
    : 'go install reported success but produced no binary';
}

async function downloadRelease() {
  const os = platform() === 'darwin' ? 'darwin' : platform() === 'win32' ? 'windows' : 'linux';
  const cpu = arch() === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${os}&arch=${cpu}`;
  say(`Temporal CLI: downloading the official release ${url}`);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) return `download answered HTTP ${response.status}`;
    const archive = path.join(tmpdir(), `temporal-cli-${process.pid}.tar.gz`);
    writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    mkdirSync(cacheBin, { recursive: true });
    execFileSync('tar', ['-xzf', archive, '-C', cacheBin, 'temporal']);
    rmSync(archive, { force: true });
    chmodSync(cachedTemporal, 0o755);
    return undefined;
  } catch (error) {
    return `download failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function findTemporalCli() {
  const candidates = [
    ['$TEMPORAL_CLI', process.env.TEMPORAL_CLI],
    ['PATH', onPath('temporal')],
    ['cache', existsSync(cachedTemporal) ? cachedTemporal : undefined],
  ];
  for (const [where, binary] of candidates) {
    if (!binary) continue;
    const version = temporalWorks(binary);
    if (version) {
      say(`Temporal CLI: ${binary} (from ${where}; ${version})`);
      return binary;
    }
    say(`Temporal CLI: ${binary} (from ${where}) does not run; trying the next source`);
  }
  const goProblem = goInstall();
  if (!goProblem && temporalWorks(cachedTemporal)) return cachedTemporal;
  say(`Temporal CLI: go install did not work (${goProblem})`);
  const downloadProblem = await downloadRelease();
  if (!downloadProblem && temporalWorks(cachedTemporal)) return cachedTemporal;
  fail(
    [
      'The Temporal CLI could not be found or built.',
      `  go install: ${goProblem}`,
      `  release download: ${downloadProblem ?? 'binary does not run'}`,
      'Fix one of these:',
      '  - install Go 1.22+ (https://go.dev/dl) so `go install` can build it, or',
      '  - install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or',
      '  - set TEMPORAL_CLI=/path/to/temporal, or',
      '  - point TEMPORAL_ADDRESS at a running Temporal server and set TEMPORAL_CLI to any CLI build.',
    ].join('\n'),
  );
}

/** The console (web/) into web/dist, when its sources changed since the last build. */
function buildConsole() {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts', 'web', 'build.ts')],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0)
    fail('building the console (web/) failed: see the output above, fix web/, and run again.');
}

async function main() {
  checkNode();
  installDependencies();
  if (!depsOnly) {
    const temporal = await findTemporalCli();
    mkdirSync(path.join(root, '.data'), { recursive: true });
    writeFileSync(
      path.join(root, '.data', 'tools.json'),
      `${JSON.stringify({ temporal }, null, 2)}\n`,
    );
    buildConsole();
  }
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(
    `[setup] FAILED: ${error instanceof SetupError ? error.message : (error?.stack ?? error)}`,
  );
  process.exit(1);
});

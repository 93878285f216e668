/** `npm run bench -- <name>`: runs bench/<name>.ts, which prints its figures as JSON. */
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  'auth-flood': () => import('./auth-flood.ts'),
  broadcast: () => import('./broadcast.ts'),
  console: () => import('./console.ts'),
  faults: () => import('./faults.ts'),
  inbound: () => import('./inbound.ts'),
  inbox: () => import('./inbox.ts'),
  ingest: () => import('./ingest.ts'),
  metrics: () => import('./metrics.ts'),
  select: () => import('./select.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (load === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await (await load()).run(args);

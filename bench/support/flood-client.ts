import autocannon from 'autocannon';

/**
 * One flood of GET requests, run in a process of its own so the load generator does not share
 * an event loop with whoever measures the API meanwhile. Arguments: URL, requests,
 * connections, shape (`none`, `any` or `generated`: the API key sent; `malformed`: no key,
 * malformed URLs). Prints `started`, then the result as
 * one JSON line.
 */
const [url = '', amountText = '2000', connectionsText = '50', shape = 'any'] =
  process.argv.slice(2);

/** `malformed`: URLs Fastify's router refuses before any hook (bad escapes, an over-long id). */
const MALFORMED_PATHS = [
  '/v1/campaigns/%zz',
  '/v1/campaigns/%E0%A4%A',
  `/v1/campaigns/${'9'.repeat(200)}`,
  '/v1/pools/%/numbers/%u0000/pause',
];

function keyOf(i: number): string | undefined {
  if (shape === 'none' || shape === 'malformed') return undefined;
  if (shape === 'generated') return `tdm_${String(i).padStart(43, 'x')}`;
  return `wrong-key-${i}`;
}

// The caller measures from here on: the process has started and the flood begins.
process.stdout.write('started\n');
const statuses: Record<string, number> = {};
let sequence = 0;
const result = await autocannon({
  url,
  connections: Number(connectionsText),
  amount: Number(amountText),
  requests: [
    {
      method: 'GET',
      setupRequest: (request) => {
        if (shape === 'malformed') {
          return { ...request, path: MALFORMED_PATHS[sequence++ % MALFORMED_PATHS.length] };
        }
        const key = keyOf(sequence++);
        return key === undefined
          ? request
          : { ...request, headers: { authorization: `Bearer ${key}` } };
      },
      onResponse: (status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    seconds: Math.round(result.duration * 100) / 100,
    per_second: Math.round(result.requests.total / result.duration),
    statuses,
    errors: result.errors + result.timeouts,
    latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
  })}\n`,
);

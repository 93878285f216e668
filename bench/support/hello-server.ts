import Fastify from 'fastify';

/** Fastify's bare hello world: the ceiling an HTTP endpoint on this machine can reach. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const port = Number(process.env.API_PORT ?? 0);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`listening ${port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

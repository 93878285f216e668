import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError, installErrorHandler } from '../../api/errors.ts';
import { isDatabaseUnavailable } from '../../db/errors.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a terminated session (admin_shutdown)', withCode('57P01')],
    ['crash_shutdown', withCode('57P02')],
    ['a server starting up (cannot_connect_now)', withCode('57P03')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a busy pool', new Error('timeout exceeded when trying to connect')],
    [
      'a client that lost its connection',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a wrapped cause', new Error('activity failed', { cause: withCode('ECONNREFUSED') })],
    ['every address refused', new AggregateError([withCode('ECONNREFUSED')], 'connect failed')],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a cancelled statement', withCode('57014')],
    ['an API error', new ApiError(404, 'not_found', 'nope')],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('the API while the database is away', () => {
  it('answers 503 database_unavailable with Retry-After, never 500', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.get('/down', async () => {
      throw withCode('57P01', 'terminating connection due to administrator command');
    });
    app.get('/broken', async () => {
      throw new Error('boom');
    });
    const down = await app.inject({ method: 'GET', url: '/down' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    expect(down.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    expect(down.body).not.toContain('administrator');
    const broken = await app.inject({ method: 'GET', url: '/broken' });
    expect(broken.statusCode).toBe(500);
    await app.close();
  });
});

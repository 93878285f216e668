import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  ConfigError,
  DEVELOPMENT_API_KEY,
  loadConfig,
  SANDBOX_ACCOUNT_SID,
  SANDBOX_AUTH_TOKEN,
  SANDBOX_BLOOIO_API_KEY,
  SANDBOX_BLOOIO_WEBHOOK_SECRET,
} from '../../config/env.ts';

const example = readFileSync(path.resolve(import.meta.dirname, '..', '..', '.env.example'), 'utf8');

describe('configuration', () => {
  it('lists every variable in .env.example, and nothing else', () => {
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(new Set(listed)).toEqual(new Set(CONFIG_KEYS));
  });

  it('runs on the sandbox with no environment at all', () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.TWILIO_ACCOUNT_SID).toBe(SANDBOX_ACCOUNT_SID);
    expect(config.twilioBaseUrl).toBe('http://127.0.0.1:4010');
    expect(config.blooioBaseUrl).toBe('http://127.0.0.1:4010/v2/api');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('points at the real services when real credentials are set', () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'x',
      BLOOIO_API_KEY: 'real',
    });
    expect(config.sandbox).toBe(false);
    expect(config.twilioBaseUrl).toBeUndefined();
    expect(config.blooioBaseUrl).toBe('https://backend.blooio.com/v2/api');
  });

  it('fails fast naming the variable, without echoing secrets', () => {
    const attempt = () =>
      loadConfig({ API_PORT: 'eighty', TWILIO_AUTH_TOKEN: '', API_KEY: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/API_PORT/);
    expect(attempt).toThrow(/API_KEY/);
    expect(attempt).not.toThrow(/short/);
  });
});

describe('configuration in production', () => {
  const secrets = {
    API_KEY: 'k'.repeat(32),
    TWILIO_ACCOUNT_SID: `AC${'b'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'real-auth-token',
    BLOOIO_API_KEY: 'real-blooio-key',
    BLOOIO_WEBHOOK_SECRET: 'real-webhook-secret',
  };
  const production = (env: Record<string, string>) => () =>
    loadConfig({ NODE_ENV: 'production', ...secrets, ...env });

  it('starts with every secret set to a value of its own', () => {
    const config = production({})();
    expect(config.sandbox).toBe(false);
    expect(config.API_KEY).toBe(secrets.API_KEY);
  });

  it('guards /metrics and /docs with a key and logs JSON lines, unless told otherwise', () => {
    expect(production({})()).toMatchObject({
      METRICS_ACCESS: 'auth',
      DOCS_ACCESS: 'auth',
      LOG_FORMAT: 'json',
    });
    expect(loadConfig({})).toMatchObject({
      METRICS_ACCESS: 'public',
      LOG_FORMAT: 'plain',
      WORKER_METRICS_HOST: '127.0.0.1',
      WORKER_METRICS_PORT: 9464,
    });
    expect(production({ METRICS_ACCESS: 'off', LOG_FORMAT: 'plain' })()).toMatchObject({
      METRICS_ACCESS: 'off',
      LOG_FORMAT: 'plain',
    });
    expect(() => loadConfig({ METRICS_ACCESS: 'open' })).toThrow(/METRICS_ACCESS/);
  });

  it.each(Object.keys(secrets))('refuses a missing or empty %s, naming it', (name) => {
    for (const value of [undefined, '']) {
      const attempt = () => loadConfig({ NODE_ENV: 'production', ...secrets, [name]: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(new RegExp(`${name}: must be set in production`));
    }
  });

  it.each([
    ['API_KEY', DEVELOPMENT_API_KEY],
    ['TWILIO_ACCOUNT_SID', SANDBOX_ACCOUNT_SID],
    ['TWILIO_AUTH_TOKEN', SANDBOX_AUTH_TOKEN],
    ['BLOOIO_API_KEY', SANDBOX_BLOOIO_API_KEY],
    ['BLOOIO_WEBHOOK_SECRET', SANDBOX_BLOOIO_WEBHOOK_SECRET],
  ])('refuses %s set to the public sandbox value, without echoing it', (name, publicValue) => {
    const attempt = production({ [name]: publicValue });
    expect(attempt).toThrow(new RegExp(`${name}: is the public sandbox/development value`));
    expect(attempt).not.toThrow(publicValue);
  });

  it('names every problem at once', () => {
    const attempt = () => loadConfig({ NODE_ENV: 'production' });
    for (const name of Object.keys(secrets)) expect(attempt).toThrow(new RegExp(name));
  });

  it('takes a Twilio API key only as a pair', () => {
    const sid = `SK${'c'.repeat(32)}`;
    expect(production({ TWILIO_API_KEY_SID: sid })).toThrow(/TWILIO_API_KEY_SECRET: must be set/);
    expect(production({ TWILIO_API_KEY_SECRET: 'secret' })).toThrow(
      /TWILIO_API_KEY_SID: must be set/,
    );
    expect(production({ TWILIO_API_KEY_SID: sid, TWILIO_API_KEY_SECRET: 'secret' })).not.toThrow();
  });

  it('keeps the sandbox defaults outside production', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig({ NODE_ENV }).API_KEY).toBe(DEVELOPMENT_API_KEY);
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig, SANDBOX_ACCOUNT_SID } from '../../config/env.ts';

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

import { timingSafeEqual } from 'node:crypto';
import type { Settings } from '../settings.ts';

/** Checks HTTP Basic credentials: Account SID + auth token, or API key SID + secret. */
export function isAuthorized(settings: Settings, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf-8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (user === settings.accountSid) return same(password, settings.authToken);
  const secret = settings.apiKeys.get(user);
  return secret !== undefined && same(password, secret);
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

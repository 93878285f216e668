import { errors, type TwilioError } from './errors.ts';

/** Twilio takes up to 10 `MediaUrl` per message. */
const MAX_MEDIA = 10;
/** How long the sandbox tries to fetch one media URL before calling it unreachable. */
const FETCH_TIMEOUT_MS = 2_000;

/** The `MediaUrl` parameters of a create request (repeated keys parse to an array). */
export function mediaUrlsOf(form: unknown): string[] {
  if (typeof form !== 'object' || form === null || !('MediaUrl' in form)) return [];
  const value: unknown = form.MediaUrl;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((url): url is string => typeof url === 'string');
}

/**
 * Twilio's checks at create time: more than 10 media → 21623; a URL that is not http(s) →
 * 21620. Whether the media can be fetched is learnt later (`fetchable`).
 */
export function checkMedia(urls: readonly string[]): TwilioError | null {
  if (urls.length > MAX_MEDIA) return errors.tooManyMedia();
  for (const url of urls) {
    const protocol = URL.canParse(url) ? new URL(url).protocol : null;
    if (protocol !== 'http:' && protocol !== 'https:') return errors.invalidMediaUrl(url);
  }
  return null;
}

/**
 * Fetches every media URL as Twilio does before sending an MMS (HEAD, then GET for a server
 * that refuses HEAD): false when one cannot be retrieved (no answer within the timeout, a
 * refused connection, a non-2xx status), which fails the message with 11200.
 */
export async function fetchable(urls: readonly string[]): Promise<boolean> {
  const one = async (url: string): Promise<boolean> => {
    try {
      const head = await fetch(url, {
        method: 'HEAD',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (head.ok) return true;
      if (head.status !== 405 && head.status !== 501) return false;
      const get = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      await get.body?.cancel();
      return get.ok;
    } catch {
      return false;
    }
  };
  return (await Promise.all(urls.map(one))).every(Boolean);
}

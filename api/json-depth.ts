import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/** Deeper than any body of this API nests (about 5 levels); far below what a recursive walk survives. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep the JSON text nests, counted without parsing: brackets outside strings. A body of
 * a megabyte can nest half a million levels; anything that walks it recursively afterwards
 * (JSON.stringify for an Idempotency-Key's fingerprint, a schema check, a log line) would
 * overflow the stack, so such a body is refused where it enters.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return deepest;
}

/** `application/json` bodies of `app`'s routes: Fastify's own parser, after the depth check. */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString();
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(
        new ApiError(
          400,
          'json_too_deep',
          `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`,
        ),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
}

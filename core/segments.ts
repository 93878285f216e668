export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** A campaign's `max_segments` when not given, and the most it may be. */
export const DEFAULT_MAX_SEGMENTS = 4;
export const MAX_SEGMENTS_LIMIT = 10;

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Unicode code points in the body (what a person would call characters). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the body occupies. */
  units: number;
}

// GSM 03.38 basic character set (the escape 0x1B itself is not a usable character).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Extension table: each costs an escape septet plus itself.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/**
 * Segments a carrier bills for `body`. Multi-part bodies are packed greedily without
 * splitting an escape sequence (GSM-7) or a surrogate pair (UCS-2), as handsets reassemble
 * whole characters only. An empty body still takes one segment.
 */
export function countSegments(body: string): SegmentCount {
  const chars = Array.from(body);
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const widths = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = widths.reduce((sum, w) => sum + w, 0);
  const { single, part } = LIMITS[encoding];
  if (units <= single) {
    return { encoding, segments: 1, characters: chars.length, units };
  }
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > part) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, segments, characters: chars.length, units };
}

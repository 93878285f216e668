import { templateSegments } from '../core/template-segments.ts';
import type { AudienceSample } from '../db/audience-sample.ts';

/**
 * A step's message size as the campaign response shows it: segments for a sample member of
 * the audience, and an estimate of the step's segments (what carriers bill) over the audience.
 */
export function stepSegmentsView(template: string, sample: AudienceSample) {
  const count = templateSegments(template, sample.attributes);
  return {
    encoding: count.encoding,
    per_message: count.segments,
    static_part: count.staticSegments,
    sampled: count.sampled,
    estimated_total: count.segments * sample.size,
  };
}

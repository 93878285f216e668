import { countSegments, type SmsEncoding } from './segments.ts';
import { renderLenient, staticText } from './template.ts';

export interface TemplateSegments {
  /** Encoding and segments of the message as rendered for the sample (or the static part). */
  encoding: SmsEncoding;
  segments: number;
  /** Segments of the text every recipient receives: the template without its variables. */
  staticSegments: number;
  /** Whether `segments` comes from a real contact's values (false: none was available). */
  sampled: boolean;
}

/**
 * What one message of a step costs: segments of its static part (the creation check) and
 * of a render for a sample contact (shown to the operator; a variable the sample lacks
 * renders as its fallback, or empty).
 */
export function templateSegments(
  template: string,
  sample: Readonly<Record<string, string>> | undefined,
): TemplateSegments {
  const fixed = countSegments(staticText(template));
  const rendered = sample === undefined ? fixed : countSegments(renderLenient(template, sample));
  return {
    encoding: rendered.encoding,
    segments: rendered.segments,
    staticSegments: fixed.segments,
    sampled: sample !== undefined,
  };
}

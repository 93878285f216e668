import { templateSyntaxError } from '../core/template-syntax.ts';
import { countSegments } from '../core/segments.ts';
import { staticText } from '../core/template.ts';
import { ApiError } from './errors.ts';

/**
 * The creation checks of a campaign's templates, before anything is stored: each must be
 * well-formed (else it would go out with its braces in the text), and its fixed text must fit
 * `max_segments` (else every message of the step would be skipped at send time).
 */
export function checkStepTemplates(steps: readonly { template: string }[], maxSegments: number) {
  const malformed = steps.flatMap((step, index) => {
    const error = templateSyntaxError(step.template);
    return error === undefined ? [] : [{ step: index, ...error }];
  });
  const [first] = malformed;
  if (first !== undefined) {
    throw new ApiError(
      400,
      'invalid_template',
      `The template of step ${first.step} is malformed: ${first.message}`,
      malformed,
    );
  }
  const long = steps.flatMap((step, index) => {
    const count = countSegments(staticText(step.template));
    return count.segments > maxSegments
      ? [
          {
            step: index,
            segments: count.segments,
            encoding: count.encoding,
            max_segments: maxSegments,
          },
        ]
      : [];
  });
  const [longest] = long;
  if (longest !== undefined) {
    throw new ApiError(
      400,
      'too_many_segments',
      `The template of step ${longest.step} takes ${longest.segments} ${longest.encoding} segments before its variables are filled in; max_segments is ${maxSegments} (shorten it, or raise max_segments up to 10)`,
      long,
    );
  }
}

/** The hand-off texts must be well-formed templates too (they are rendered per contact). */
export function checkHandoffTexts(handoff: { followup_text?: string; text_us_text?: string }) {
  for (const field of ['followup_text', 'text_us_text'] as const) {
    const text = handoff[field];
    const error = text === undefined ? undefined : templateSyntaxError(text);
    if (error !== undefined)
      throw new ApiError(
        400,
        'invalid_template',
        `handoff.${field} is malformed: ${error.message}`,
        [{ field: `handoff.${field}`, ...error }],
      );
  }
}

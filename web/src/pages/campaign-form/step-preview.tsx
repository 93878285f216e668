/**
 * One step's text as a sample contact of the audience receives it, with its segments and
 * encoding: the same pure rules the API applies (core/template.ts, core/segments.ts,
 * core/template-syntax.ts), run in the browser as the operator types.
 */
import { countSegments } from '../../../../core/segments.ts';
import { renderTemplate } from '../../../../core/template.ts';
import { templateSyntaxError } from '../../../../core/template-syntax.ts';

export function StepPreview({
  template,
  sample,
}: {
  template: string;
  sample: Record<string, string> | null;
}) {
  const syntax = templateSyntaxError(template);
  if (template.trim() === '')
    return <p class="hint">Write the message to see it as a contact receives it.</p>;
  if (syntax !== undefined) return <p class="error">{syntax.message}</p>;
  const rendered = renderTemplate(template, sample ?? {});
  const text = rendered.ok ? rendered.text : null;
  const counted = countSegments(text ?? template);
  return (
    <div aria-live="polite" data-testid="step-preview">
      {text === null ? (
        <p class="error">
          {rendered.ok ? '' : `${rendered.message}: add a fallback like {{first_name | there}}.`}
        </p>
      ) : (
        <p class="preview-box">{text}</p>
      )}
      <p class="muted">
        {counted.segments} segment{counted.segments === 1 ? '' : 's'} · {counted.encoding} ·{' '}
        {counted.characters} characters
        {counted.encoding === 'UCS-2'
          ? ' (a character outside GSM-7 makes every segment shorter: 70/67)'
          : ''}
        {sample === null ? ' · no sample contact: variables render empty' : ''}
      </p>
    </div>
  );
}

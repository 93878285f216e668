/**
 * The syntax check of a message template, run when a campaign is created: a template that
 * would go out with `{{`, `}}` or `{first_name}` in its text is refused there, with the
 * character where the problem starts, instead of being sent literally to everyone.
 */

export interface TemplateSyntaxError {
  /** 1-based character where the problem starts. */
  position: number;
  message: string;
}

/** What may stand between `{{` and `}}`: a name, optionally `| fallback` (no braces). */
const PLACEHOLDER_BODY = /^\s*[A-Za-z_][\w.-]*\s*(?:\|[^{}]*)?$/;
/** `{first_name}`: a single-brace placeholder from another tool's syntax. */
const SINGLE_BRACE = /(?<!\{)\{\s*[A-Za-z_][\w.-]*\s*\}(?!\})/;

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The first syntax problem in `template`, or undefined when it is well-formed. */
export function templateSyntaxError(template: string): TemplateSyntaxError | undefined {
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    const close = template.indexOf('}}', at);
    if (close >= 0 && (open < 0 || close < open)) {
      return {
        position: close + 1,
        message: `"}}" at character ${close + 1} closes no "{{" (write {{name}} for a variable)`,
      };
    }
    if (open < 0) break;
    const end = template.indexOf('}}', open + 2);
    if (end < 0) {
      return {
        position: open + 1,
        message: `"{{" at character ${open + 1} is never closed: write {{name}} or {{name | fallback}}`,
      };
    }
    const body = template.slice(open + 2, end);
    if (!PLACEHOLDER_BODY.test(body)) {
      return {
        position: open + 1,
        message: `"{{${shown(body)}}}" at character ${open + 1} is not a variable: write {{name}} or {{name | fallback}} (names are letters, digits, _, - and .)`,
      };
    }
    at = end + 2;
  }
  const single = SINGLE_BRACE.exec(template);
  if (single !== null) {
    return {
      position: single.index + 1,
      message: `"${single[0]}" at character ${single.index + 1} uses single braces: variables are written {{name}}`,
    };
  }
  return undefined;
}

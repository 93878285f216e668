/** How much of a user's text an error message quotes back: enough to recognise it. */
export const ECHO_LIMIT = 200;

/** `text` cut to `limit` characters with an ellipsis, so an error body stays small. */
export function capEcho(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length} characters)`;
}

/** A list quoted back in a message: the first items that fit `limit` characters, then a count. */
export function capList(items: readonly string[], limit = ECHO_LIMIT): string {
  let text = '';
  let shown = 0;
  for (const item of items) {
    const next = text === '' ? capEcho(item, limit) : `${text}, ${capEcho(item, limit)}`;
    if (next.length > limit && shown > 0) break;
    text = next;
    shown += 1;
  }
  const rest = items.length - shown;
  return rest === 0 ? text : `${text} … and ${rest} more`;
}

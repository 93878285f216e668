/** TwiML answers to an inbound-message webhook: nothing, or one `<Message>` back to the sender. */

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * `action`: where the carrier posts the answer's status callbacks (Twilio's `<Message>`
 * attribute; `statusCallback` is its deprecated older name).
 */
export function twimlResponse(message: string | null, options: { action?: string } = {}): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  if (message === null) return `${head}<Response/>`;
  const action = options.action === undefined ? '' : ` action="${escapeXml(options.action)}"`;
  return `${head}<Response><Message${action}>${escapeXml(message)}</Message></Response>`;
}

/** Who a Blooio chat id addresses: a phone, an email, an existing group or several recipients. */
export type ChatTarget =
  | { readonly kind: 'phone' | 'email'; readonly recipients: readonly [string] }
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'multi'; readonly recipients: readonly string[] };

export type ChatIdResult =
  | { readonly ok: true; readonly chatId: string; readonly target: ChatTarget }
  | { readonly ok: false; readonly status: 400 | 403; readonly error: string };

const E164 = /^\+[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const EMERGENCY = new Set(['911', '112', '999', '988', '000', '110', '119', '933', '08']);

export const CHAT_ERRORS = {
  phone: 'Invalid phone number format. Phone numbers must be in E.164 format (e.g. +15551234567)',
  emergency: 'Sending messages to emergency numbers is not allowed',
  encoding: 'Invalid chat ID encoding',
};

function isEmergency(part: string): boolean {
  const digits = part.replace(/^\+/, '');
  if (EMERGENCY.has(digits)) return true;
  return part.startsWith('+1') && EMERGENCY.has(digits.slice(1));
}

/**
 * Decodes a chat id as it appears in the request path. A raw `+` is form-decoded to a space,
 * as the Blooio guide warns, so an unencoded phone number fails E.164 validation.
 */
export function parseChatId(rawSegment: string): ChatIdResult {
  let chatId: string;
  try {
    chatId = decodeURIComponent(rawSegment.replace(/\+/g, ' '));
  } catch {
    return { ok: false, status: 400, error: CHAT_ERRORS.encoding };
  }
  if (/^grp_[A-Za-z0-9]+$/.test(chatId)) {
    return { ok: true, chatId, target: { kind: 'group', groupId: chatId } };
  }
  const parts = chatId.split(',');
  for (const part of parts) {
    if (isEmergency(part)) return { ok: false, status: 403, error: CHAT_ERRORS.emergency };
    if (!E164.test(part) && !EMAIL.test(part)) {
      return { ok: false, status: 400, error: CHAT_ERRORS.phone };
    }
  }
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) {
    const kind = EMAIL.test(only) ? 'email' : 'phone';
    return { ok: true, chatId, target: { kind, recipients: [only] } };
  }
  return { ok: true, chatId, target: { kind: 'multi', recipients: [...new Set(parts)] } };
}

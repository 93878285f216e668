import { createHmac } from 'node:crypto';

/**
 * Blooio's webhook signature, written from Blooio's documentation (not shared with tandem's
 * verifier in core/, so a mistake there is caught here): `X-Blooio-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 with the webhook secret over "<t>.<raw body>">`.
 */
export function blooioSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

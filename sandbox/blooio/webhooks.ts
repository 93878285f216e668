import type { SandboxContext } from '../context.ts';
import { blooioSignature } from './signature.ts';

/** Posts a Blooio webhook event as JSON, signed with the shared secret. */
export function postBlooioEvent(ctx: SandboxContext, event: Record<string, unknown>): boolean {
  const { webhookUrl, webhookSecret } = ctx.settings.blooio;
  if (webhookUrl === null) return false;
  const body = JSON.stringify(event);
  ctx.webhooks.send({
    url: webhookUrl,
    headers: {
      'Content-Type': 'application/json',
      'X-Blooio-Signature': blooioSignature(webhookSecret, body, Math.floor(Date.now() / 1000)),
      'User-Agent': 'Blooio-Webhooks/1.0',
    },
    body,
  });
  return true;
}

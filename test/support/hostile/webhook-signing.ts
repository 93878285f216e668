import twilio from 'twilio';
import { BLOOIO_SIGNATURE_HEADER, signBlooioWebhook } from '../../../core/blooio-signature.ts';
import type { HostileRequest } from './requests.ts';

export interface WebhookSecrets {
  publicBaseUrl: string;
  twilioAuthToken: string;
  blooioWebhookSecret: string;
}

/**
 * A carrier webhook signed as the carrier would sign it, so its hostile body gets past the
 * signature check to the code behind it. Form fields that repeat are left out of Twilio's
 * signature, as the API leaves them out of what it checks.
 */
export function signedWebhook(request: HostileRequest, secrets: WebhookSecrets): HostileRequest {
  const payload = request.body?.payload ?? Buffer.alloc(0);
  if (request.url.startsWith('/webhooks/blooio')) {
    return {
      ...request,
      headers: {
        ...request.headers,
        [BLOOIO_SIGNATURE_HEADER]: signBlooioWebhook(secrets.blooioWebhookSecret, payload),
      },
    };
  }
  if (!request.url.startsWith('/webhooks/twilio/')) return request;
  const form = new URLSearchParams(payload.toString());
  const params: Record<string, string> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    if (values.length === 1 && values[0] !== undefined) params[key] = values[0];
  }
  const url = `${secrets.publicBaseUrl.replace(/\/+$/, '')}${request.url}`;
  return {
    ...request,
    headers: {
      ...request.headers,
      'x-twilio-signature': twilio.getExpectedTwilioSignature(secrets.twilioAuthToken, url, params),
    },
  };
}

import { Counter, type Registry } from 'prom-client';
import type { BlooioClient } from '../activities/carriers/blooio.ts';
import { SmsSendError, type SmsCarrier } from '../activities/carriers/sms.ts';

/**
 * Send requests to the carriers, counted per sending number and outcome: `accepted` (the
 * carrier took it), `refused` (it answered with an error), `no_answer` (timeout, reset
 * connection: nobody knows whether it took it). rate() of the accepted ones is a number's
 * real send rate, to hold against its MPS.
 */
export function carrierRequestCounter(registry: Registry) {
  return new Counter({
    name: 'tandem_carrier_requests_total',
    help: 'Send requests made to a carrier, by carrier, sending number and outcome',
    labelNames: ['carrier', 'number', 'outcome'] as const,
    registers: [registry],
  });
}

type CarrierRequests = ReturnType<typeof carrierRequestCounter>;

export function meteredSms(carrier: SmsCarrier, requests: CarrierRequests): SmsCarrier {
  return {
    ...carrier,
    async send(message) {
      const labels = { carrier: 'twilio', number: message.from };
      try {
        const sent = await carrier.send(message);
        requests.inc({ ...labels, outcome: 'accepted' });
        return sent;
      } catch (error) {
        const refused =
          error instanceof SmsSendError && error.httpStatus !== null && error.httpStatus < 500;
        requests.inc({ ...labels, outcome: refused ? 'refused' : 'no_answer' });
        throw error;
      }
    },
  };
}

export function meteredBlooio(client: BlooioClient, requests: CarrierRequests): BlooioClient {
  return {
    ...client,
    async sendMessage(request) {
      const number = request.fromNumber ?? 'any';
      try {
        const result = await client.sendMessage(request);
        const taken = result.kind === 'accepted' || result.kind === 'duplicate';
        requests.inc({ carrier: 'blooio', number, outcome: taken ? 'accepted' : 'refused' });
        return result;
      } catch (error) {
        requests.inc({ carrier: 'blooio', number, outcome: 'no_answer' });
        throw error;
      }
    },
  };
}

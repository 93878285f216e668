import http from 'node:http';
import twilio from 'twilio';
import type { Config } from '../../config/env.ts';

export type TwilioClient = twilio.Twilio;

export type TwilioClientConfig = Pick<
  Config,
  'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_API_KEY_SID' | 'TWILIO_API_KEY_SECRET'
> &
  Partial<Pick<Config, 'CARRIER_TIMEOUT_SECONDS'>> & { readonly twilioBaseUrl: string | undefined };

export interface TwilioClientOptions {
  /** Sockets per host for the keep-alive pools (default 512). */
  readonly maxSockets?: number;
  readonly timeoutMs?: number;
}

/**
 * The real twilio SDK client. Authenticates with the API key SID + secret when both are set,
 * else with the Account SID + auth token. With `twilioBaseUrl` (the sandbox) the `api` domain's
 * base URL is replaced, so every Messages call goes over HTTP to it instead of api.twilio.com.
 * The SDK's own request client only pools HTTPS sockets; plain-HTTP (sandbox) requests get a
 * keep-alive agent here too, so thousands of requests per second reuse connections.
 */
export function createTwilioClient(
  config: TwilioClientConfig,
  options: TwilioClientOptions = {},
): TwilioClient {
  const maxSockets = options.maxSockets ?? 512;
  const httpClient = new twilio.RequestClient({
    keepAlive: true,
    maxSockets,
    maxTotalSockets: maxSockets * 2,
    maxFreeSockets: maxSockets,
    // Shorter than the send activity's heartbeat timeout: see CARRIER_TIMEOUT_SECONDS.
    timeout: options.timeoutMs ?? (config.CARRIER_TIMEOUT_SECONDS ?? 5) * 1000,
  });
  httpClient.axios.defaults.httpAgent = new http.Agent({
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
  });
  const apiKey = config.TWILIO_API_KEY_SID;
  const apiSecret = config.TWILIO_API_KEY_SECRET;
  const client =
    apiKey !== undefined && apiSecret !== undefined && apiSecret !== ''
      ? twilio(apiKey, apiSecret, { accountSid: config.TWILIO_ACCOUNT_SID, httpClient })
      : twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, { httpClient });
  if (config.twilioBaseUrl !== undefined) {
    client.api.baseUrl = config.twilioBaseUrl.replace(/\/+$/, '');
  }
  return client;
}

import path from 'node:path';
import { loadConfig } from '../config/env.ts';
import { startSandbox } from './server.ts';
import { loadEnvFile } from '../config/env-file.ts';

/**
 * `npm run sandbox`: the emulators on SANDBOX_HOST:SANDBOX_PORT until interrupted, with the
 * inbound and Blooio webhooks pointed at tandem's API (PUBLIC_BASE_URL). Its numbers, opt-outs
 * and the rest of its account live in DATA_DIR/sandbox/state.json across restarts.
 */
loadEnvFile();
const config = loadConfig();
const stateFile = path.resolve(config.DATA_DIR, 'sandbox', 'state.json');
const running = await startSandbox({
  stateFile,
  port: config.SANDBOX_PORT,
  host: config.SANDBOX_HOST,
  logger: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace',
  config: {
    inboundUrl: `${config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
    twilio: {
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      apiKeys:
        config.TWILIO_API_KEY_SID && config.TWILIO_API_KEY_SECRET
          ? [{ sid: config.TWILIO_API_KEY_SID, secret: config.TWILIO_API_KEY_SECRET }]
          : [],
    },
    blooio: {
      webhookUrl: `${config.PUBLIC_BASE_URL}/webhooks/blooio`,
      webhookSecret: config.BLOOIO_WEBHOOK_SECRET,
    },
  },
});
console.log(
  `sandbox listening on ${running.url} (Twilio /2010-04-01, Blooio /v2/api, control /_sandbox); state in ${stateFile}`,
);

const stop = () => {
  void running.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

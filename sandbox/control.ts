import type { FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import type { Sandbox } from './sandbox.ts';
import { ConfigConflictError, type Settings } from './settings.ts';

/** The configuration as JSON (maps and sets become arrays; secrets are included: it is a sandbox). */
export function settingsJson(settings: Settings): Record<string, unknown> {
  return {
    seed: settings.seed,
    inboundUrl: settings.inboundUrl,
    twilio: {
      accountSid: settings.accountSid,
      authToken: settings.authToken,
      apiKeys: [...settings.apiKeys].map(([sid, secret]) => ({ sid, secret })),
    },
    numbers: [...settings.numbers.values()],
    recipients: [...settings.recipients.values()],
    replies: settings.replies,
    callbacks: settings.callbacks,
    blooio: {
      ...settings.blooio,
      keys: [...settings.blooio.keys.values()],
      unavailable: [...settings.blooio.unavailable],
    },
    faults: settings.faults,
  };
}

function handle(reply: FastifyReply, run: () => unknown): FastifyReply {
  try {
    return reply.send(run());
  } catch (error) {
    if (error instanceof ZodError) {
      const message = error.issues
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; ');
      return reply.code(400).send({
        error: { code: 'invalid_request', message, details: error.issues },
      });
    }
    if (error instanceof ConfigConflictError) {
      return reply.code(409).send({ error: { code: 'conflict', message: error.message } });
    }
    throw error;
  }
}

/** `/_sandbox/*`: configure, inspect and drive the sandbox from other processes. */
export function controlRoutes(app: FastifyInstance, sandbox: Sandbox): void {
  app.get('/_sandbox/health', () => ({ ok: true }));
  app.get('/_sandbox/config', () => settingsJson(sandbox.ctx.settings));
  app.post('/_sandbox/configure', (req, reply) =>
    handle(reply, () => settingsJson(sandbox.configure(req.body ?? {}))),
  );
  app.post('/_sandbox/reset', (_req, reply) =>
    handle(reply, () => {
      sandbox.reset();
      return { ok: true };
    }),
  );
  app.get('/_sandbox/ledger', (req, reply) => handle(reply, () => sandbox.ledger(req.query)));
  app.get('/_sandbox/refusals', (req, reply) => handle(reply, () => sandbox.refusals(req.query)));
  app.get('/_sandbox/mps', () => sandbox.mpsViolations());
  app.get('/_sandbox/stats', () => sandbox.stats());
  app.get('/_sandbox/faults', () => sandbox.faults());
  app.post('/_sandbox/faults', (req, reply) =>
    handle(reply, () => sandbox.setFaults(req.body ?? {})),
  );
  app.get('/_sandbox/idle', async () => ({ idle: await sandbox.idle() }));
  app.post('/_sandbox/twilio/inbound', (req, reply) =>
    handle(reply, () => sandbox.injectSms(req.body)),
  );
  app.post('/_sandbox/blooio/inbound', (req, reply) =>
    handle(reply, () => sandbox.injectBlooio(req.body)),
  );
  app.post('/_sandbox/blooio/availability', (req, reply) =>
    handle(reply, () => ({ unavailable: sandbox.setAvailability(req.body) })),
  );
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { consentEvent, contactConsent } from '../../db/consent-events.ts';
import {
  operatorOptInContact,
  operatorOptOut,
  type OperatorConsentOutcome,
  type OperatorRequest,
} from '../../db/operator-consent.ts';
import type { Db } from '../../db/connect.ts';
import { findByContactKey } from '../contact-key.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { consentChangeView, operatorConsentBody, presentConsentEvent } from '../schemas/consent.ts';

const params = z.object({ contact: z.string().min(1).max(40) });

type Action = (db: Db, request: OperatorRequest) => Promise<OperatorConsentOutcome>;

/**
 * `POST /v1/contacts/:contact/opt-out` and `/opt-in`: an operator's consent decision, with its
 * reason, recorded like every other (source `operator`, channel `all`, the request as detail).
 * An opt-out takes effect at once: pending messages of every campaign are skipped, and sends
 * already claimed check for it before they leave. An opt-in never overrides the person's own
 * STOP (409).
 */
export const contactConsentRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  const route = (action: 'opt-out' | 'opt-in', run: Action, summary: string) =>
    app.post(
      `/contacts/:contact/${action}`,
      {
        schema: {
          summary,
          params,
          body: operatorConsentBody,
          response: { 200: consentChangeView, 201: consentChangeView },
        },
      },
      async (request, reply) => {
        const key = request.params.contact;
        const contact = await findByContactKey(key, config.DEFAULT_COUNTRY, (k) =>
          contactConsent(db, k),
        );
        if (contact === undefined) throw notFound('Contact', key);
        const outcome = await run(db, {
          contactId: contact.id,
          reason: request.body.reason,
          detail: JSON.stringify({
            method: request.method,
            path: request.url,
            body: request.body,
          }),
          at: new Date(),
        });
        if (outcome.kind === 'refused') throw refusal(outcome.source);
        const now = await contactConsent(db, { id: contact.id });
        const event =
          outcome.kind === 'changed' ? await consentEvent(db, outcome.eventId) : undefined;
        const optedOutAt = now?.opted_out_at ?? null;
        return reply.status(outcome.kind === 'changed' ? 201 : 200).send({
          contact: {
            id: contact.id,
            phone: contact.phone,
            opted_out: optedOutAt !== null,
            opted_out_at: optedOutAt?.toISOString() ?? null,
          },
          changed: outcome.kind === 'changed',
          event: event === undefined ? null : presentConsentEvent(event),
          skipped_pending: outcome.kind === 'changed' ? outcome.droppedPending : 0,
        });
      },
    );
  route(
    'opt-out',
    operatorOptOut,
    'Opt a contact (by id or phone) out of every campaign and channel',
  );
  route(
    'opt-in',
    operatorOptInContact,
    "Opt a contact back in, unless the opt-out was the person's own (then 409)",
  );
};

function refusal(source: string | null): ApiError {
  const why =
    source === null
      ? 'the contact was opted out before tandem recorded where opt-outs came from'
      : `the contact opted out themselves (${source})`;
  return new ApiError(
    409,
    'recipient_opted_out',
    `Only the recipient can opt back in, by texting START: ${why}`,
    { source },
  );
}

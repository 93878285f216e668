import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactConsentHistory } from '../../db/consent-events.ts';
import { contactProfile } from '../../db/contact-profile.ts';
import { findByContactKey } from '../contact-key.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { consentEventView, presentConsentEvent } from '../schemas/consent.ts';

/** The consent history shown on a profile: the newest changes (all: GET /v1/consent-events). */
const CONSENT_HISTORY = 100;

const params = z.object({ contact: z.string().min(1).max(40) });
const values = z.record(z.string(), z.string());

const profile = z.object({
  id: z.string(),
  phone: z.string(),
  country: z.string(),
  area_code: z.string().nullable(),
  region: z.string().nullable(),
  time_zone: z.string().nullable(),
  attributes: values.describe('The latest values: each upload merges its row in, newest wins'),
  opted_out_at: z.string().nullable(),
  created_at: z.string(),
  audiences: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      created_at: z.string(),
      attributes: values.describe("The values this audience's campaigns render"),
      own_values: z
        .boolean()
        .describe('False: the membership predates per-audience values; the latest apply'),
    }),
  ),
  consent_events: z
    .array(consentEventView)
    .describe(`The contact's consent changes, newest first (at most ${CONSENT_HISTORY})`),
});

/** `GET /v1/contacts/:contact`: a contact's latest values and each audience's own. */
export const contactRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  app.get(
    '/contacts/:contact',
    {
      schema: {
        summary: 'A contact (by id or phone): its latest values and, per audience, its own',
        params,
        response: { 200: profile },
      },
    },
    async (request) => {
      const key = request.params.contact;
      const found = await findByContactKey(key, config.DEFAULT_COUNTRY, (contact) =>
        contactProfile(db, contact),
      );
      if (found === undefined) throw notFound('Contact', key);
      const { contact, audiences } = found;
      const consent = await contactConsentHistory(db, contact.id, CONSENT_HISTORY);
      return {
        ...contact,
        opted_out_at: contact.opted_out_at === null ? null : contact.opted_out_at.toISOString(),
        created_at: contact.created_at.toISOString(),
        audiences: audiences.map((audience) => ({
          ...audience,
          created_at: new Date(audience.created_at).toISOString(),
        })),
        consent_events: consent.map(presentConsentEvent),
      };
    },
  );
};

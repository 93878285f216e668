import { z } from 'zod';
import { campaignFields } from './campaign.ts';

/**
 * `PATCH /v1/campaigns/:id`: any field of `POST /v1/campaigns`, each replacing the draft's
 * value. Built from the create schema's own shape, so every field create takes can be changed;
 * its defaults are taken off (a field left out keeps the draft's value, it is not reset), and
 * an unknown field is refused rather than silently ignored.
 */
const optionalShape = Object.fromEntries(
  Object.entries(campaignFields.shape).map(([field, schema]) => [
    field,
    (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional(),
  ]),
);

export const campaignPatch = z
  .strictObject(optionalShape)
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  })
  .describe(
    'Fields of POST /v1/campaigns to change on a draft; each one given replaces the current value (steps and suppression_list_ids as a whole)',
  )
  .meta({
    examples: [
      { name: 'Spring promo (v2)', sending_window: { start: '10:00', end: '18:00' } },
      { steps: [{ template: 'Hi {{first_name}}, reply YES for 20% off' }] },
    ],
  });

export const archiveView = z
  .object({
    id: z.string(),
    status: z.string(),
    archived: z.boolean(),
    archived_at: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        id: '3f6d2f0e-8a51-4c36-9b8e-0f7f1d2c3b4a',
        status: 'completed',
        archived: true,
        archived_at: '2026-12-06T10:00:00.000Z',
      },
    ],
  });

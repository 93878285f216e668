import { z } from 'zod';
import {
  CONTACT_FILTER_FIELDS,
  parseFilterField,
  unknownFieldMessage,
} from '../../core/contact-filter.ts';

const MAX_CONDITIONS = 50;

const field = z
  .string()
  .min(1)
  .max(80)
  .superRefine((value, context) => {
    if (parseFilterField(value) === null)
      context.addIssue({ code: 'custom', message: unknownFieldMessage(value) });
  })
  .describe(
    `A contact field (${Object.entries(CONTACT_FILTER_FIELDS)
      .map(([name, meaning]) => `${name}: ${meaning}`)
      .join('; ')}) or attributes.<key>, a column of the audience's upload`,
  );

const text = z
  .string()
  .max(500)
  .refine((value) => !value.includes('\u0000'), 'no NUL bytes');

const condition = z.discriminatedUnion('op', [
  z.strictObject({
    field,
    op: z.enum(['eq', 'neq']).describe('Equal / not equal (a contact without the value is neq)'),
    value: text,
  }),
  z.strictObject({
    field,
    op: z.enum(['in', 'not_in']).describe('One of / none of the values'),
    value: z.array(text).min(1).max(1000),
  }),
  z.strictObject({
    field,
    op: z.literal('exists').describe('The contact has a non-empty value (value false: has none)'),
    value: z.boolean().optional(),
  }),
  z.strictObject({
    field,
    op: z
      .enum(['gt', 'gte', 'lt', 'lte'])
      .describe('Number comparisons; a value that is not a number never matches'),
    value: z.number().finite(),
  }),
]);

export const contactFilterInput = z
  .strictObject({
    all: z.array(condition).max(MAX_CONDITIONS).optional().describe('Every one of these must hold'),
    any: z
      .array(condition)
      .max(MAX_CONDITIONS)
      .optional()
      .describe('At least one of these must hold (when given)'),
  })
  .describe(
    'Who of the audience is texted: contacts matching every `all` condition and one of the `any` conditions. The others are skipped as filtered_out',
  )
  .meta({
    examples: [
      {
        all: [
          { field: 'state', op: 'in', value: ['CA', 'NY'] },
          { field: 'attributes.plan', op: 'eq', value: 'pro' },
        ],
      },
    ],
  });

import { z } from 'zod';
import { PG_INTEGER_MAX } from '../schemas/pg-integer.ts';

export const rejectionSchema = z.object({
  line: z.number().int().describe('Line in the file where the record starts (header = 1)'),
  reason: z.string().describe('missing, unparseable, too_short, too_long, invalid_for_country, …'),
  value: z.string().describe('The phone cell as written'),
});

export const audienceSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  columns: z.array(z.string()),
  rows_read: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  created_at: z.string(),
});

export const importedSchema = audienceSchema.extend({
  first_rejections: z.array(rejectionSchema),
});

export const importQuerySchema = z.object({
  name: z.string().min(1).max(200).optional(),
  phone_column: z.string().min(1).max(200).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((value) => value.toUpperCase())
    .optional()
    .describe(
      'Default country for numbers written without +country code (DEFAULT_COUNTRY otherwise)',
    ),
});

export const idParamsSchema = z.object({ id: z.string().uuid() });

export const rejectionsQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(PG_INTEGER_MAX)
    .default(0)
    .describe('Return lines after this one'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const rejectionsPageSchema = z.object({
  rejections: z.array(rejectionSchema),
  next_after: z
    .number()
    .int()
    .nullable()
    .describe('Pass as `after` for the next page; null at the end'),
});

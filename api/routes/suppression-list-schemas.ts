import { z } from 'zod';
import { suppressionListId } from '../schemas/campaign.ts';

export const suppressionListInput = z.object({ name: z.string().trim().min(1).max(200) }).strict();

export const suppressionListParams = z.object({ id: suppressionListId });

export const suppressionListView = z.object({
  id: z.string().describe('A UUID, or `global` for the list every campaign honours'),
  name: z.string(),
  global: z.boolean().describe('True for the list every campaign honours'),
  entries: z.number().int().describe('Numbers on the list'),
  created_at: z.string(),
});

export const suppressionListsView = z.object({ suppression_lists: z.array(suppressionListView) });

export const entriesQuery = z.object({
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

export const entriesImported = z.object({
  list: suppressionListView,
  rows_read: z.number().int().describe('Data lines read (header and blank lines left out)'),
  accepted: z.number().int().describe('Lines with a valid number'),
  added: z.number().int().describe('Numbers new to the list'),
  already_listed: z.number().int().describe('Numbers the list already held'),
  duplicates: z.number().int().describe('Lines repeating a number of an earlier line'),
  rejected_count: z.number().int(),
  rejected: z
    .array(
      z.object({
        line: z.number().int().describe('Line in the file where the record starts (header = 1)'),
        byte: z
          .number()
          .int()
          .nullable()
          .describe('Byte offset of that line from the start of the file'),
        error: z.string().describe('missing, unparseable, too_short, too_long, …'),
        value: z.string().describe('The phone cell as written'),
      }),
    )
    .describe(`The rejected lines in line order (the first 1000)`),
});

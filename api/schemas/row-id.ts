import { z } from 'zod';

const BIGINT_MAX = 9223372036854775807n;

/**
 * A PostgreSQL bigint id as text: digits only, and within bigint's range. The digit check
 * aborts, so the range check never reads text that BigInt cannot parse (zod runs every check
 * of a string unless one aborts).
 */
export const rowIdText = z
  .string()
  .regex(/^\d{1,19}$/, { message: 'a positive integer id', abort: true })
  .refine((text) => BigInt(text) <= BIGINT_MAX, 'too large for an id');

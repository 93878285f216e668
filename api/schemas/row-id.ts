import { z } from 'zod';

const BIGINT_MAX = 9223372036854775807n;

/** A PostgreSQL bigint id as text: digits only, and within bigint's range. */
export const rowIdText = z
  .string()
  .regex(/^\d{1,19}$/, 'a positive integer id')
  .refine((text) => BigInt(text) <= BIGINT_MAX, 'too large for an id');

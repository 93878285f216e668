/**
 * The largest value of a PostgreSQL `integer` column (int4): a number the API accepts for such
 * a column is bounded by it, or PostgreSQL refuses the statement ("out of range for type
 * integer") and the request fails as a 500 instead of a 400.
 */
export const PG_INTEGER_MAX = 2_147_483_647;

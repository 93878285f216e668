/**
 * Orders bigint ids as PostgreSQL does, though they travel as decimal strings: statements that
 * lock several rows take them in this order, so no two of them can deadlock.
 */
export function compareBigintIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

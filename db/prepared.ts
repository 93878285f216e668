import { sql } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */ ';

/**
 * Put at the start of a hot statement (`sql\`${PREPARED}UPDATE …\``): the connection then sends
 * it as a named statement, which PostgreSQL parses once per connection instead of on every
 * execution (each execution is still planned for its values: createDb sets
 * plan_cache_mode). Parsing and planning were a quarter of PostgreSQL's CPU per message. Only for statements whose text does not vary with their values (arrays are one
 * parameter): each distinct text stays prepared on every connection until it closes.
 */
export const PREPARED = sql.raw(MARK);

/** Beyond this many distinct marked texts, statements run unnamed: a varying text is a bug. */
const MAX_NAMES = 500;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMES) return known;
  const name = `tandem_${names.size + 1}`;
  names.set(text, name);
  return name;
}

type Query = (...args: unknown[]) => unknown;

/** Makes a pool's connection send marked statements as named ones (see PREPARED). */
export function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = (first, ...rest) => {
    if (typeof first === 'string' && first.startsWith(MARK)) {
      const name = nameOf(first);
      if (name !== undefined && (rest.length === 0 || Array.isArray(rest[0]))) {
        return query({ name, text: first, values: rest[0] ?? [] }, ...rest.slice(1));
      }
    }
    return query(first, ...rest);
  };
  (client as unknown as { query: Query }).query = named;
}

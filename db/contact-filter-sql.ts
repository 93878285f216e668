import { sql, type RawBuilder } from 'kysely';
import {
  isEmptyFilter,
  parseFilterField,
  unknownFieldMessage,
  type ContactColumnField,
  type ContactFilter,
  type FilterCondition,
} from '../core/contact-filter.ts';
import { assertNever } from '../core/assert-never.ts';

/** The `contacts c` column of each filter field (a fixed list: no name from a request). */
const COLUMNS: Readonly<Record<ContactColumnField, RawBuilder<unknown>>> = {
  state: sql`c.region`,
  region: sql`c.region`,
  country: sql`c.country`,
  area_code: sql`c.area_code`,
  time_zone: sql`c.time_zone`,
  phone: sql`c.phone`,
};

/** A number when the text is one (so `gt` never fails on "n/a"), else NULL. */
const asNumber = (value: RawBuilder<unknown>) =>
  sql`(CASE WHEN ${value} ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN btrim(${value})::numeric END)`;

/**
 * A filter as a SQL condition over `contacts c` and the contact's membership `am` of the
 * campaign's audience (its values render the messages, so they are the ones filtered on).
 * Every value and attribute key is a parameter; a field the filter language does not know
 * throws (the API refuses such a filter before it is stored).
 */
export function contactFilterSql(filter: ContactFilter | null | undefined): RawBuilder<boolean> {
  if (filter == null || isEmptyFilter(filter)) return sql<boolean>`true`;
  const all = (filter.all ?? []).map(conditionSql);
  const any = (filter.any ?? []).map(conditionSql);
  const parts = [...all];
  if (any.length > 0) parts.push(sql`(${sql.join(any, sql` OR `)})`);
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}

function fieldSql(field: string): RawBuilder<unknown> {
  const parsed = parseFilterField(field);
  if (parsed === null) throw new Error(unknownFieldMessage(field));
  if (parsed.kind === 'column') return COLUMNS[parsed.field];
  return sql`(COALESCE(am.attributes, c.attributes) ->> ${parsed.key}::text)`;
}

function conditionSql(condition: FilterCondition): RawBuilder<unknown> {
  const value = fieldSql(condition.field);
  switch (condition.op) {
    case 'eq':
      return sql`(${value} = ${condition.value}::text)`;
    case 'neq':
      return sql`(${value} IS DISTINCT FROM ${condition.value}::text)`;
    case 'in':
      return sql`(${value} = ANY(${condition.value}::text[]))`;
    case 'not_in':
      return sql`(${value} IS NULL OR NOT (${value} = ANY(${condition.value}::text[])))`;
    case 'exists': {
      const present = sql`(COALESCE(btrim(${value}), '') <> '')`;
      return condition.value === false ? sql`NOT ${present}` : present;
    }
    case 'gt':
      return sql`(${asNumber(value)} > ${condition.value}::numeric)`;
    case 'gte':
      return sql`(${asNumber(value)} >= ${condition.value}::numeric)`;
    case 'lt':
      return sql`(${asNumber(value)} < ${condition.value}::numeric)`;
    case 'lte':
      return sql`(${asNumber(value)} <= ${condition.value}::numeric)`;
    default:
      return assertNever(condition, 'filter op');
  }
}

/** Whether contact `c` belongs to one of the excluded audiences. */
export function excludedAudienceSql(excludeAudienceIds: readonly string[]): RawBuilder<boolean> {
  if (excludeAudienceIds.length === 0) return sql<boolean>`false`;
  return sql<boolean>`EXISTS (SELECT 1 FROM audience_members x
                      WHERE x.audience_id = ANY(${[...excludeAudienceIds]}::uuid[]) AND x.contact_id = c.id)`;
}

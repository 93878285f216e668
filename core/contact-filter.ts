/**
 * A campaign's targeting filter: conditions on a contact's own fields and on its attributes
 * (the audience's values, else the contact's), all of `all` and at least one of `any`.
 * The language is small and typed so it can be translated to SQL with parameters only
 * (db/contact-filter-sql.ts): a field is one of CONTACT_FILTER_FIELDS or `attributes.<key>`,
 * nothing else reaches the query.
 *
 * Missing values: `eq`, `in`, and the number comparisons never match a contact without the
 * value; `neq` and `not_in` do (a contact with no `plan` is not on the "pro" plan).
 * `exists` is true for a non-empty value. Values compare exactly (case and spaces count).
 */

/** Contact fields a filter may name, and what each means. */
export const CONTACT_FILTER_FIELDS = {
  state: 'US state or region of the contact, from their number (e.g. CA)',
  region: 'Same as state',
  country: 'ISO country of the number (e.g. US)',
  area_code: 'Area code of the number (e.g. 415)',
  time_zone: 'IANA time zone of the contact (e.g. America/Los_Angeles)',
  phone: 'E.164 phone number',
} as const;

export type ContactColumnField = keyof typeof CONTACT_FILTER_FIELDS;

export const FILTER_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterCondition =
  | { field: string; op: 'eq' | 'neq'; value: string }
  | { field: string; op: 'in' | 'not_in'; value: string[] }
  | { field: string; op: 'exists'; value?: boolean }
  | { field: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number };

export interface ContactFilter {
  all?: FilterCondition[];
  any?: FilterCondition[];
}

export type FilterField =
  { kind: 'column'; field: ContactColumnField } | { kind: 'attribute'; key: string };

const ATTRIBUTE_PREFIX = 'attributes.';
/** The keys an upload gives columns (api/csv/header.ts), plus the `.` and `-` templates allow. */
const ATTRIBUTE_KEY = /^[\p{L}\p{N}_.-]{1,64}$/u;

const isColumnField = (field: string): field is ContactColumnField =>
  Object.hasOwn(CONTACT_FILTER_FIELDS, field);

/** What a filter's `field` names, or null when it names nothing tandem knows. */
export function parseFilterField(field: string): FilterField | null {
  if (isColumnField(field)) return { kind: 'column', field };
  if (!field.startsWith(ATTRIBUTE_PREFIX)) return null;
  const key = field.slice(ATTRIBUTE_PREFIX.length);
  return ATTRIBUTE_KEY.test(key) ? { kind: 'attribute', key } : null;
}

/** The error text for a field that names nothing (the API answers it with a 400). */
export function unknownFieldMessage(field: string): string {
  return `unknown filter field "${field}": use one of ${Object.keys(CONTACT_FILTER_FIELDS).join(', ')} or attributes.<key> (letters, digits, _ . -)`;
}

/** Every condition of a filter, `all` first. */
export function filterConditions(filter: ContactFilter): FilterCondition[] {
  return [...(filter.all ?? []), ...(filter.any ?? [])];
}

/** Whether the filter leaves anyone out at all (an empty one matches every contact). */
export function isEmptyFilter(filter: ContactFilter | null | undefined): boolean {
  return filter == null || filterConditions(filter).length === 0;
}

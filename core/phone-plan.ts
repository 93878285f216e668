import metadataJson from 'libphonenumber-js/metadata.max.json';
import { z } from 'zod';

/**
 * A fast classifier for national numbers of one calling code, compiled once from
 * libphonenumber-js's own "max" metadata. It mirrors libphonenumber-js's
 * `getCountryByNationalNumber` + `getNumberType` (same patterns, same order), without the
 * per-call parsing and RegExp construction that make `parsePhoneNumber` cost ~30 µs.
 * `test/unit/phone-plan.test.ts` checks it against libphonenumber-js on random numbers.
 */

export type NumberType =
  | 'FIXED_LINE'
  | 'MOBILE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'TOLL_FREE'
  | 'PREMIUM_RATE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL';

export interface Classified {
  country: string;
  type: NumberType;
}

type RuleType = Exclude<NumberType, 'FIXED_LINE_OR_MOBILE'>;

/** Index of each type in the metadata's `types` array (libphonenumber-js metadata v4). */
const TYPE_INDEX: ReadonlyArray<readonly [RuleType, number]> = [
  ['FIXED_LINE', 0],
  ['MOBILE', 1],
  ['TOLL_FREE', 2],
  ['PREMIUM_RATE', 3],
  ['PERSONAL_NUMBER', 4],
  ['VOICEMAIL', 5],
  ['UAN', 6],
  ['PAGER', 7],
  ['VOIP', 8],
  ['SHARED_COST', 9],
];
const NON_FIXED_LINE_TYPES: readonly RuleType[] = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

const typeSchema = z.union([z.tuple([z.string()]).rest(z.unknown()), z.unknown()]);
const countrySchema = z
  .tuple([z.string(), z.unknown(), z.string(), z.array(z.number())])
  .rest(z.unknown());
const metadataSchema = z.object({
  version: z.literal(4),
  country_calling_codes: z.record(z.string(), z.array(z.string())),
  countries: z.record(z.string(), countrySchema),
});

interface TypeRule {
  pattern: RegExp;
  lengths: readonly number[];
}

interface CountryRule {
  country: string;
  nationalNumber: RegExp;
  leadingDigits: RegExp | undefined;
  types: Map<RuleType, TypeRule>;
  hasMobileRule: boolean;
  mobileIsEmpty: boolean;
}

const metadata = metadataSchema.parse(metadataJson);

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compileCountry(country: string): CountryRule {
  const entry = metadata.countries[country];
  if (entry === undefined) throw new Error(`No metadata for ${country}`);
  const [, , nationalNumber, possibleLengths] = entry;
  const leading = entry[10];
  const rawTypes = Array.isArray(entry[11]) ? entry[11] : [];
  const types = new Map<RuleType, TypeRule>();
  let mobileIsEmpty = false;
  let hasMobileRule = false;
  for (const [name, index] of TYPE_INDEX) {
    const parsed = typeSchema.safeParse(rawTypes[index]);
    if (!parsed.success || !Array.isArray(parsed.data)) continue;
    const [pattern, lengths] = parsed.data;
    if (typeof pattern !== 'string') continue;
    if (name === 'MOBILE') {
      hasMobileRule = true;
      mobileIsEmpty = pattern === '';
    }
    if (pattern === '') continue;
    const typeLengths = z.array(z.number()).safeParse(lengths);
    types.set(name, {
      pattern: whole(pattern),
      lengths: typeLengths.success ? typeLengths.data : possibleLengths,
    });
  }
  return {
    country,
    nationalNumber: whole(nationalNumber),
    leadingDigits:
      typeof leading === 'string' && leading !== '' ? new RegExp(`^(?:${leading})`) : undefined,
    types,
    hasMobileRule,
    mobileIsEmpty,
  };
}

function isType(rule: CountryRule, type: RuleType, nsn: string): boolean {
  const typeRule = rule.types.get(type);
  if (typeRule === undefined) return false;
  if (!typeRule.lengths.includes(nsn.length)) return false;
  return typeRule.pattern.test(nsn);
}

function numberType(rule: CountryRule, nsn: string): NumberType | undefined {
  if (!rule.nationalNumber.test(nsn)) return undefined;
  if (isType(rule, 'FIXED_LINE', nsn)) {
    if (rule.mobileIsEmpty || !rule.hasMobileRule) return 'FIXED_LINE_OR_MOBILE';
    return isType(rule, 'MOBILE', nsn) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  return NON_FIXED_LINE_TYPES.find((type) => isType(rule, type, nsn));
}

export interface CallingCodePlan {
  callingCode: string;
  countries: readonly string[];
  /** The country and type of a national significant number, or undefined when it is not valid. */
  classify(nsn: string): Classified | undefined;
}

const plans = new Map<string, CallingCodePlan>();

/** The compiled plan for a calling code ("1" for NANP); compiled once, then cached. */
export function callingCodePlan(callingCode: string): CallingCodePlan | undefined {
  const cached = plans.get(callingCode);
  if (cached !== undefined) return cached;
  const countries = metadata.country_calling_codes[callingCode];
  if (countries === undefined) return undefined;
  const rules = countries.map(compileCountry);
  const plan: CallingCodePlan = {
    callingCode,
    countries,
    classify(nsn) {
      const found =
        rules.length === 1
          ? rules[0]
          : rules.find((rule) =>
              rule.leadingDigits !== undefined
                ? rule.leadingDigits.test(nsn)
                : numberType(rule, nsn) !== undefined,
            );
      if (found === undefined) return undefined;
      const type = numberType(found, nsn);
      return type === undefined ? undefined : { country: found.country, type };
    },
  };
  plans.set(callingCode, plan);
  return plan;
}

/** The calling code of a country ("US" → "1"), from the same metadata. */
export function callingCodeOf(country: string): string | undefined {
  return metadata.countries[country]?.[0];
}

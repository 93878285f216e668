/**
 * Local sending windows, in minutes since local midnight; `end` is exclusive.
 * The federal baseline (TCPA, 47 CFR 64.1200(c)(1)) is 08:00–21:00 at the recipient's
 * location. States below are stricter. Sources: the state statutes named where known,
 * cross-checked against "State Calling Restrictions Guide" (dropcowboy.com/state-compliance,
 * updated Nov 2025). Assumption: these telephone-solicitation hours apply to marketing
 * texts too (Florida and Oklahoma say so expressly). State holidays are not modelled.
 */
export interface Window {
  start: number;
  end: number;
}

export interface StateRule {
  weekdays: Window;
  /** Overrides for Saturday / Sunday; null = no messages that day. */
  saturday?: Window | null;
  sunday?: Window | null;
}

const h = (start: number, end: number): Window => ({ start: start * 60, end: end * 60 });

export const STATE_RULES: Readonly<Record<string, StateRule>> = {
  AL: { weekdays: h(8, 20), sunday: null },
  CT: { weekdays: h(9, 20) },
  FL: { weekdays: h(8, 20) }, // Fla. Stat. § 501.616(6)(a) (Florida Telephone Solicitation Act)
  KY: { weekdays: h(10, 21) },
  LA: { weekdays: h(8, 20), sunday: null },
  MA: { weekdays: h(8, 20) },
  MD: { weekdays: h(8, 20) }, // Maryland Stop the Spam Calls Act (2023)
  MI: { weekdays: h(9, 21) },
  MN: { weekdays: h(9, 21) },
  MS: { weekdays: h(8, 20), sunday: null },
  NM: { weekdays: h(9, 21) },
  NV: { weekdays: h(9, 20) },
  OK: { weekdays: h(8, 20) }, // Okla. Stat. tit. 15, § 775C.4 (Oklahoma Telephone Solicitation Act)
  TX: { weekdays: h(9, 21), sunday: h(12, 21) }, // Tex. Bus. & Com. Code § 301.051
};

const NAMES: Readonly<Record<string, string>> = {
  ALABAMA: 'AL',
  CONNECTICUT: 'CT',
  FLORIDA: 'FL',
  KENTUCKY: 'KY',
  LOUISIANA: 'LA',
  MASSACHUSETTS: 'MA',
  MARYLAND: 'MD',
  MICHIGAN: 'MI',
  MINNESOTA: 'MN',
  MISSISSIPPI: 'MS',
  'NEW MEXICO': 'NM',
  NEVADA: 'NV',
  OKLAHOMA: 'OK',
  TEXAS: 'TX',
};

/** Accepts "FL", "US-FL" or "Florida". */
export function stateRule(region: string | null): StateRule | null {
  if (region === null) return null;
  const key = region.trim().toUpperCase().replace(/^US-/, '');
  return STATE_RULES[NAMES[key] ?? key] ?? null;
}

/** The campaign window narrowed by the state's rule for that weekday (0 = Sunday); null = closed. */
export function windowFor(
  campaign: Window,
  rule: StateRule | null,
  weekday: number,
): Window | null {
  let legal: Window | null = rule ? rule.weekdays : null;
  if (rule && weekday === 6 && rule.saturday !== undefined) legal = rule.saturday;
  if (rule && weekday === 0 && rule.sunday !== undefined) legal = rule.sunday;
  if (rule && legal === null) return null;
  const start = Math.max(campaign.start, legal?.start ?? 0);
  const end = Math.min(campaign.end, legal?.end ?? 24 * 60);
  return start < end ? { start, end } : null;
}

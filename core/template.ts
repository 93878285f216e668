/**
 * Message templates: `{{first_name}}`, `{{ first_name | there }}` or
 * `{{ first_name | "there" }}` (fallback used when the attribute is missing or blank).
 * Names are letters, digits, `_`, `-` and `.`, matched exactly against the attributes.
 * A value's line breaks (a quoted CSV cell written on several lines) become one space: values
 * are names, cities and the like, and a break the template's author did not write would split
 * the message. The template's own breaks stay, as LF (CRLF and CR are normalised).
 */
import { capList } from './echo.ts';

export interface TemplateVariable {
  name: string;
  /** The fallback text, or null when the variable is required. */
  fallback: string | null;
}

export type RenderResult =
  { ok: true; text: string } | { ok: false; missing: string[]; message: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*(?:\|([^}]*))?\}\}/g;

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(trimmed);
  return quoted ? (quoted[2] ?? '') : trimmed;
}

function parse(match: RegExpMatchArray): TemplateVariable {
  const fallback = match[2];
  return { name: match[1] ?? '', fallback: fallback === undefined ? null : unquote(fallback) };
}

/** Every distinct variable, in order of first use (required wins over a fallback). */
export function templateVariables(template: string): TemplateVariable[] {
  const byName = new Map<string, TemplateVariable>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const variable = parse(match);
    const seen = byName.get(variable.name);
    if (!seen || variable.fallback === null)
      byName.set(variable.name, seen ? { ...seen, fallback: null } : variable);
  }
  return [...byName.values()];
}

function missingMessage(missing: readonly string[], where: string): string {
  const list = missing.map((name) => `{{${name}}}`).join(', ');
  return `Template uses ${missing.length === 1 ? 'a variable' : 'variables'} ${list} without a fallback that ${where}`;
}

/** Required variables absent from `columns` (e.g. an audience's CSV columns). */
export function missingVariables(template: string, columns: readonly string[]): string[] {
  const known = new Set(columns);
  return templateVariables(template)
    .filter((v) => v.fallback === null && !known.has(v.name))
    .map((v) => v.name);
}

export function validateTemplate(
  template: string,
  columns: readonly string[],
): { ok: true } | { ok: false; missing: string[]; message: string } {
  const missing = missingVariables(template, columns);
  if (missing.length === 0) return { ok: true };
  return {
    ok: false,
    missing,
    message: missingMessage(missing, `the audience lacks (columns: ${capList(columns) || 'none'})`),
  };
}

const LINE_BREAKS = /\s*[\r\n]\s*/g;

/** A value on one line: each run of line breaks (and the spaces around it) is one space. */
export function oneLine(value: string): string {
  return value.replace(LINE_BREAKS, ' ');
}

function substitute(
  template: string,
  attributes: Readonly<Record<string, string | null | undefined>>,
  missing: Set<string>,
): string {
  const text = template.replace(PLACEHOLDER, (...args: unknown[]) => {
    const name = typeof args[1] === 'string' ? args[1] : '';
    const fallback = typeof args[2] === 'string' ? unquote(args[2]) : null;
    const value = attributes[name];
    if (value !== undefined && value !== null && value.trim() !== '') return oneLine(value);
    if (fallback !== null) return fallback;
    missing.add(name);
    return '';
  });
  return text.replace(/\r\n?/g, '\n');
}

export function renderTemplate(
  template: string,
  attributes: Readonly<Record<string, string | null | undefined>>,
): RenderResult {
  const missing = new Set<string>();
  const text = substitute(template, attributes, missing);
  if (missing.size === 0) return { ok: true, text };
  const names = [...missing];
  return {
    ok: false,
    missing: names,
    message: missingMessage(names, 'this contact has no value for'),
  };
}

/** The render with a variable that has no value and no fallback left empty. */
export function renderLenient(
  template: string,
  attributes: Readonly<Record<string, string | null | undefined>>,
): string {
  return substitute(template, attributes, new Set());
}

/** The text every recipient receives: the template with its variables left out. */
export function staticText(template: string): string {
  return template.replace(PLACEHOLDER, '').replace(/\r\n?/g, '\n');
}

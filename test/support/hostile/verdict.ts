import type { Answer } from './send.ts';

/** What must never reach a client: a stack frame, a path of the server, PostgreSQL's own words. */
const LEAKS: readonly [string, RegExp][] = [
  ['a stack frame', /\n\s+at \S|\bat (?:async )?[\w.<>]+ \(.*:\d+:\d+\)|node:internal/],
  ['a source path', /(?:\/work\/|\/node_modules\/|\.ts:\d+:\d+)/],
  [
    'PostgreSQL error text',
    /invalid input syntax for|syntax error at or near|violates (?:foreign key|unique|check|not-null)|duplicate key value|out of range for type|invalid byte sequence|value too long for type|current transaction is aborted|relation "|column "\w+" (?:does not|of relation)|canceling statement|unterminated quoted|operator does not exist/i,
  ],
  [
    'an internal error name',
    /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|ZodError|DatabaseError)\b/,
  ],
];

/** Every way an answer breaks the contract; empty when it keeps it. */
export function problemsWith(answer: Answer, timeoutMs: number): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (answer.ms > timeoutMs) problems.push(`took ${answer.ms} ms`);
  if (answer.status >= 400) {
    const type = String(answer.headers['content-type'] ?? '');
    if (!type.startsWith('application/json'))
      problems.push(`a ${answer.status} as ${type || 'no type'}`);
    else if (!hasErrorShape(answer.body))
      problems.push(`a ${answer.status} without { error: { code, message } }`);
  }
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(answer.body)) problems.push(`shows ${what}`);
  }
  return problems;
}

function hasErrorShape(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return false;
    const error: unknown = parsed.error;
    return (
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      typeof error.code === 'string' &&
      'message' in error &&
      typeof error.message === 'string'
    );
  } catch {
    return false;
  }
}

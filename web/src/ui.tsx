/** Small shared pieces: messages that say what to do next, progress, badges, formatting. */
import type { ComponentChildren } from 'preact';

export function PageTitle({
  children,
  actions,
}: {
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class="page-title">
      <h1 tabIndex={-1}>{children}</h1>
      {actions !== undefined && <div class="actions">{actions}</div>}
    </div>
  );
}

export function ErrorNote({ error, retry }: { error: string | null; retry?: () => void }) {
  if (error === null) return null;
  return (
    <div class="error" role="alert">
      <p>{error}</p>
      {retry !== undefined && (
        <button type="button" class="quiet" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <progress
      value={max === 0 ? 0 : value}
      max={max === 0 ? 1 : max}
      aria-label={label}
      title={`${value} of ${max}`}
    />
  );
}

export function Badge({ value }: { value: string }) {
  return (
    <span class={`badge badge-${value.replaceAll('_', '-')}`}>{value.replaceAll('_', ' ')}</span>
  );
}

/** The browser's locale, or en-US when it names one Intl cannot use (e.g. `en-US@posix`). */
function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(undefined, options);
  } catch {
    return new Intl.DateTimeFormat('en-US', options);
  }
}

const dateTime = formatter({ dateStyle: 'medium', timeStyle: 'short' });
const time = formatter({ timeStyle: 'medium' });
let numberLocale: string | undefined;
try {
  (0).toLocaleString();
} catch {
  numberLocale = 'en-US';
}

export function when(value: string | null | undefined): string {
  return value === null || value === undefined ? '—' : dateTime.format(new Date(value));
}

export function clock(value: string): string {
  return time.format(new Date(value));
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`;
}

export function count(value: number): string {
  return value.toLocaleString(numberLocale);
}

/** The id of a field's error message, for the field's `aria-describedby`. */
export const errorId = (field: string) => `error-${field.replaceAll('.', '-')}`;

/** What the API said about one field of a form, shown beside it. */
export function FieldError({ messages, field }: { messages: string[]; field: string }) {
  if (messages.length === 0) return null;
  return (
    <p class="field-error" id={errorId(field)} data-field={field}>
      {messages.join(' · ')}
    </p>
  );
}

/** A field's invalid state for assistive technology, when the API said something about it. */
export function invalidProps(field: string, messages: string[]) {
  return messages.length === 0
    ? {}
    : { 'aria-invalid': true as const, 'aria-describedby': errorId(field) };
}

/** A list's paging: back (to the first or the previous page) when not on the first, and next when there is one. */
export function Pager({
  back,
  onNext,
}: {
  back: { label: string; go: () => void } | null;
  onNext: (() => void) | null;
}) {
  return (
    <div class="pager">
      {back !== null && (
        <button type="button" class="quiet" onClick={back.go}>
          {back.label}
        </button>
      )}
      {onNext !== null && (
        <button type="button" class="quiet" onClick={onNext}>
          Next page
        </button>
      )}
    </div>
  );
}

/** The Pager's `onNext` for a page whose answer gave this cursor (none: no next page). */
export function nextPage(
  cursor: string | null | undefined,
  go: (cursor: string) => void,
): (() => void) | null {
  return cursor ? () => go(cursor) : null;
}

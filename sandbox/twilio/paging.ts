import type { ListFilter } from './list-filter.ts';
import { messageJson } from './message.ts';
import type { MessageStore } from './store.ts';

const FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/**
 * One page of the Messages list in Twilio's shape. `PageToken` (`PA` + the last SID of the
 * previous page) keeps pages stable while new messages arrive; without it `Page` is an offset.
 */
export function listPage(
  store: MessageStore,
  accountSid: string,
  query: Readonly<Record<string, string>>,
  filter: ListFilter,
): Record<string, unknown> {
  const pageSize = clamp(Number(query.PageSize ?? 50), 1, 1000);
  const page = Math.max(0, Math.floor(Number(query.Page ?? 0)) || 0);
  const all = store.list(filter);
  let start = page * pageSize;
  const token = query.PageToken;
  if (token?.startsWith('PA') === true) {
    const after = all.findIndex((message) => message.sid === token.slice(2));
    if (after >= 0) start = after + 1;
  }
  const slice = all.slice(start, start + pageSize);
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = query[name];
    if (value !== undefined) filters.set(name, value);
  }
  const uriFor = (pageNumber: number, pageToken?: string) => {
    const params = new URLSearchParams(filters);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(pageNumber));
    if (pageToken !== undefined) params.set('PageToken', pageToken);
    return `${path}?${params.toString()}`;
  };
  const last = slice[slice.length - 1];
  const hasNext = start + slice.length < all.length && last !== undefined;
  return {
    messages: slice.map(messageJson),
    end: start + Math.max(slice.length - 1, 0),
    first_page_uri: uriFor(0),
    next_page_uri: hasNext ? uriFor(page + 1, `PA${last.sid}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    start,
    uri: uriFor(page, token),
  };
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

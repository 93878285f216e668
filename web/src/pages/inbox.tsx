import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Empty, ErrorNote, Loading, PageTitle, Pager, nextPage, when } from '../ui.tsx';
import { Thread } from './inbox-thread.tsx';

type Filter = 'needs_reply' | 'open' | 'closed';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'needs_reply', label: 'Waiting for an answer' },
  { value: 'open', label: 'All open' },
  { value: 'closed', label: 'Closed' },
];

function query(filter: Filter) {
  switch (filter) {
    case 'needs_reply':
      return { needs_reply: 'true' as const, state: 'open' as const };
    case 'open':
      return { state: 'open' as const };
    case 'closed':
      return { state: 'closed' as const };
  }
}

export function Inbox() {
  const { params } = useRoute();
  const selected = params.contact ?? null;
  const [filter, setFilter] = useState<Filter>('needs_reply');
  const [cursors, setCursors] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const cursor = cursors[cursors.length - 1];
  const list = useLoad(
    () =>
      must(
        api().GET('/v1/conversations', {
          params: {
            query: {
              ...query(filter),
              limit: 50,
              ...(cursor === undefined ? {} : { cursor }),
              ...(search.trim() === '' ? {} : { q: search.trim() }),
            },
          },
        }),
      ),
    [filter, cursor, search],
    { everyMs: 4_000 },
  );
  const conversations = list.data?.conversations ?? [];
  const [error, setError] = useState<string | null>(null);
  return (
    <section>
      <PageTitle>Inbox</PageTitle>
      <div class="split">
        <div>
          <div class="button-row" role="group" aria-label="Show">
            {FILTERS.map((option) => (
              <button
                key={option.value}
                type="button"
                class={filter === option.value ? '' : 'quiet'}
                aria-pressed={filter === option.value}
                onClick={() => {
                  setFilter(option.value);
                  setCursors([]);
                }}
              >
                {option.label}
              </button>
            ))}
          </div>
          <label for="inbox-search">Search by name or phone</label>
          <input
            id="inbox-search"
            type="search"
            value={search}
            onInput={(event) => {
              setSearch(event.currentTarget.value);
              setCursors([]);
            }}
          />
          <ErrorNote error={list.error ?? error} retry={list.reload} />
          {list.loading && list.data === undefined && <Loading what="conversations" />}
          {list.data !== undefined && conversations.length === 0 && (
            <Empty
              title={
                filter === 'needs_reply'
                  ? 'Nobody is waiting for an answer'
                  : 'No conversations here'
              }
            >
              {filter === 'needs_reply'
                ? 'Replies to your campaigns that need a person appear here as they arrive.'
                : 'Try another filter above, or clear the search.'}
            </Empty>
          )}
          {conversations.length > 0 && (
            <ul class="conversations" data-testid="conversation-list">
              {conversations.map((conversation) => (
                <li key={conversation.id}>
                  <a
                    href={`/inbox/${conversation.contact.id}`}
                    aria-current={selected === conversation.contact.id ? 'true' : undefined}
                  >
                    <strong>{conversation.contact.name ?? conversation.contact.phone}</strong>{' '}
                    {conversation.contact.name !== null && (
                      <span class="muted">{conversation.contact.phone}</span>
                    )}{' '}
                    {conversation.needs_reply && (
                      <span class="badge badge-pending">needs reply</span>
                    )}{' '}
                    {conversation.contact.opted_out && (
                      <span class="badge badge-opted-out">opted out</span>
                    )}
                    <span class="muted block">{conversation.last_message?.body ?? '—'}</span>
                    <span class="muted">
                      {when(conversation.last_activity_at)}
                      {conversation.assigned_to === null ? '' : ` · ${conversation.assigned_to}`}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
          <Pager
            back={
              cursors.length === 0
                ? null
                : { label: 'Previous page', go: () => setCursors(cursors.slice(0, -1)) }
            }
            onNext={nextPage(list.data?.next_cursor, (next) => setCursors([...cursors, next]))}
          />
        </div>
        <div>
          {selected === null ? (
            <p class="hint">Choose a conversation to read its thread and answer.</p>
          ) : (
            <Thread
              contact={selected}
              onChanged={() => {
                setError(null);
                list.reload();
              }}
              onError={(failure) => setError(describe(failure))}
            />
          )}
        </div>
      </div>
    </section>
  );
}

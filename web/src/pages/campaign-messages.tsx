import { useState } from 'preact/hooks';
import { MESSAGE_STATUSES } from '../../../core/message-status.ts';
import { must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Badge, ErrorNote, Pager, nextPage, when } from '../ui.tsx';

type Status = (typeof MESSAGE_STATUSES)[number];

/** The campaign's messages, filtered by status, a page at a time. */
export function CampaignMessages({ id, version }: { id: string; version: string }) {
  const [status, setStatus] = useState<Status | ''>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () =>
      must(
        api().GET('/v1/campaigns/{id}/messages', {
          params: {
            path: { id },
            query: {
              limit: 50,
              ...(status === '' ? {} : { status }),
              ...(cursor === undefined ? {} : { cursor }),
            },
          },
        }),
      ),
    [id, status, cursor, version],
  );
  const messages = page.data?.messages ?? [];
  return (
    <>
      <h2>Messages</h2>
      <label for="message-status">Status</label>
      <select
        id="message-status"
        value={status}
        onChange={(event) => {
          const value = MESSAGE_STATUSES.find((s) => s === event.currentTarget.value);
          setStatus(value ?? '');
          setCursors([]);
        }}
      >
        <option value="">Any</option>
        {MESSAGE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>{' '}
      <button type="button" class="quiet" onClick={page.reload}>
        Refresh
      </button>
      <ErrorNote error={page.error} retry={page.reload} />
      {page.data !== undefined && messages.length === 0 ? (
        <p class="muted">No messages {status === '' ? 'yet' : `with status ${status}`}.</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="messages">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">From</th>
                <th scope="col">Step</th>
                <th scope="col">Status</th>
                <th scope="col">Why / error</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>{message.to}</td>
                  <td>{message.from ?? '—'}</td>
                  <td>{message.step + 1}</td>
                  <td>
                    <Badge value={message.status} />
                  </td>
                  <td>
                    {message.skip_reason ??
                      message.wait_reason ??
                      (message.error_code === null ? '' : `error ${message.error_code}`)}
                    {message.next_attempt_at === null
                      ? ''
                      : ` · next try ${when(message.next_attempt_at)}`}
                  </td>
                  <td>{when(message.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        back={
          cursors.length === 0
            ? null
            : { label: 'Previous page', go: () => setCursors(cursors.slice(0, -1)) }
        }
        onNext={nextPage(page.data?.next_cursor, (next) => setCursors([...cursors, next]))}
      />
    </>
  );
}

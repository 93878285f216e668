import { useEffect, useState } from 'preact/hooks';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Badge, ErrorNote, Loading, when } from '../ui.tsx';

/** Who answers: kept in this tab's memory, like the key. */
let agentName = 'console';

function ReplyBox({ contact, onSent }: { contact: string; onSent: () => void }) {
  const [text, setText] = useState('');
  // One key per message being written: a retry after a lost answer cannot send it twice.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (event: Event) => {
    event.preventDefault();
    if (text.trim() === '') {
      setError('Write a message first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await must(
        api().POST('/v1/conversations/{contact}/messages', {
          params: { path: { contact }, header: { 'idempotency-key': key } },
          body: { text, author: agentName, media_urls: [] },
        }),
      );
      setText('');
      setKey(crypto.randomUUID());
      onSent();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={send} class="panel">
      <label for="reply">Your answer</label>
      <textarea id="reply" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <p class="hint">
        Sent from this person's own iMessage line, so they keep talking to one number.
      </p>
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send answer'}
      </button>
    </form>
  );
}

export function Thread(props: {
  contact: string;
  onChanged: () => void;
  onError: (error: unknown) => void;
}) {
  const { contact } = props;
  const thread = useLoad(
    () => must(api().GET('/v1/conversations/{contact}', { params: { path: { contact } } })),
    [contact],
    { everyMs: 3_000 },
  );
  const [agent, setAgent] = useState(agentName);
  useEffect(() => {
    void api()
      .POST('/v1/conversations/{contact}/read', { params: { path: { contact } } })
      .then(props.onChanged);
    // Marking read once per opened thread.
  }, [contact]);

  const act = async (action: 'close' | 'reopen' | 'assign') => {
    try {
      const path = { params: { path: { contact } } };
      if (action === 'assign') {
        agentName = agent.trim() || agentName;
        await must(
          api().POST('/v1/conversations/{contact}/assign', { ...path, body: { agent: agentName } }),
        );
      } else if (action === 'close') {
        await must(api().POST('/v1/conversations/{contact}/close', path));
      } else {
        await must(api().POST('/v1/conversations/{contact}/reopen', path));
      }
      thread.reload();
      props.onChanged();
    } catch (failure) {
      props.onError(failure);
    }
  };

  if (thread.data === undefined)
    return thread.error === null ? (
      <Loading what="the thread" />
    ) : (
      <ErrorNote error={thread.error} retry={thread.reload} />
    );
  const { contact: person, conversation, messages } = thread.data;
  const optedOut = person.opted_out_at !== null;
  const closed = conversation?.closed_at != null;
  return (
    <article aria-label={`Conversation with ${person.phone}`} data-testid="thread">
      <h2>{person.phone}</h2>
      <p class="muted">
        {conversation === null
          ? 'No conversation yet.'
          : `${conversation.status.replaceAll('_', ' ')} · line ${conversation.number ?? 'not assigned'} · assigned to ${conversation.assigned_to ?? 'nobody'}`}
      </p>
      <ErrorNote error={thread.error} />
      <ol class="thread">
        {messages.map((message, index) => (
          <li
            key={`${message.provider_sid ?? index}-${message.at}`}
            class={`bubble ${message.direction} ${message.channel}`}
          >
            <span class="body">{message.body}</span>
            <span class="meta">
              {message.channel === 'imessage' ? 'iMessage' : message.channel.toUpperCase()} ·{' '}
              {message.direction === 'inbound' ? 'received' : (message.status ?? 'sent')} ·{' '}
              {when(message.at)}
              {message.author === null ? '' : ` · ${message.author}`}
              {message.error === null ? '' : ` · ${message.error}`}
            </span>
          </li>
        ))}
      </ol>
      {optedOut ? (
        <p class="notice" role="status">
          This person opted out on {when(person.opted_out_at)}. tandem will not text them, so there
          is no reply box. They can opt back in by texting START.
        </p>
      ) : closed ? (
        <p class="notice">This conversation is closed: reopen it to answer.</p>
      ) : (
        <ReplyBox
          contact={contact}
          onSent={() => {
            thread.reload();
            props.onChanged();
          }}
        />
      )}
      <div class="grid">
        <div>
          <label for="agent">Assign to</label>
          <input id="agent" value={agent} onInput={(e) => setAgent(e.currentTarget.value)} />
          <button type="button" class="quiet" onClick={() => void act('assign')}>
            Assign
          </button>
        </div>
        <div>
          <span class="muted">Conversation</span>
          <p>
            {closed ? (
              <button type="button" class="quiet" onClick={() => void act('reopen')}>
                Reopen
              </button>
            ) : (
              <button type="button" class="quiet" onClick={() => void act('close')}>
                Close
              </button>
            )}
          </p>
        </div>
      </div>
      {messages.length > 0 && <Badge value={optedOut ? 'opted_out' : closed ? 'closed' : 'open'} />}
    </article>
  );
}

import { useState } from 'preact/hooks';
import { api } from '../session.ts';
import { must } from '../load.ts';

type Action = 'launch' | 'pause' | 'resume' | 'cancel';

/** The lifecycle actions the API allows from each status. */
export function actionsFor(status: string): Action[] {
  switch (status) {
    case 'draft':
      return ['launch', 'cancel'];
    case 'scheduled':
    case 'running':
    case 'waiting_for_drip':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

const LABEL: Record<Action, string> = {
  launch: 'Launch',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
};

async function run(id: string, action: Action): Promise<void> {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'launch':
      await must(api().POST('/v1/campaigns/{id}/launch', params));
      return;
    case 'pause':
      await must(api().POST('/v1/campaigns/{id}/pause', params));
      return;
    case 'resume':
      await must(api().POST('/v1/campaigns/{id}/resume', params));
      return;
    case 'cancel':
      await must(api().POST('/v1/campaigns/{id}/cancel', params));
      return;
  }
}

export function CampaignControls(props: {
  id: string;
  name: string;
  status: string;
  onDone: () => void;
  onError: (error: unknown) => void;
}) {
  const [busy, setBusy] = useState<Action | null>(null);
  const act = async (action: Action) => {
    if (
      action === 'cancel' &&
      !window.confirm(`Cancel “${props.name}”? Unsent messages will not be sent.`)
    )
      return;
    setBusy(action);
    props.onError(null);
    try {
      await run(props.id, action);
      props.onDone();
    } catch (error) {
      props.onError(error);
    } finally {
      setBusy(null);
    }
  };
  const actions = actionsFor(props.status);
  if (actions.length === 0) return <span class="muted">—</span>;
  return (
    <div class="button-row">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          class={action === 'cancel' ? 'danger' : action === 'launch' ? '' : 'quiet'}
          disabled={busy !== null}
          aria-label={`${LABEL[action]} ${props.name}`}
          onClick={() => void act(action)}
        >
          {busy === action ? `${LABEL[action]}…` : LABEL[action]}
        </button>
      ))}
    </div>
  );
}

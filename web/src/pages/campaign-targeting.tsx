import { useState } from 'preact/hooks';
import type { paths } from '../../../client/index.ts';
import { describe, must } from '../load.ts';
import { api } from '../session.ts';
import { ErrorNote, count } from '../ui.tsx';

type Preview =
  paths['/v1/campaigns/{id}/preview']['post']['responses'][200]['content']['application/json'];

/** Who a draft would text now, and why not the others (POST /v1/campaigns/:id/preview). */
export function TargetingPreview({ id }: { id: string }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(
        await must(
          api().POST('/v1/campaigns/{id}/preview', {
            params: { path: { id }, query: { samples: 3 } },
          }),
        ),
      );
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  const reasons =
    preview === null ? [] : Object.entries(preview.not_texted).filter(([, n]) => n > 0);
  return (
    <section class="panel" aria-labelledby="targeting-title">
      <h2 id="targeting-title">Targeting preview</h2>
      <p class="hint">
        Before launch: how many of the audience would be texted now, and why not the others.
      </p>
      <button type="button" class="quiet" disabled={busy} onClick={() => void run()}>
        {busy ? 'Previewing…' : preview === null ? 'Preview targeting' : 'Preview again'}
      </button>
      <ErrorNote error={error} />
      {preview !== null && (
        <div data-testid="targeting-preview">
          <p>
            <strong>{count(preview.would_text)}</strong> of {count(preview.audience)} would be
            texted.
            {preview.sender.can_send_now
              ? ''
              : ` No sender can send now: ${preview.sender.reason ?? 'unknown reason'}.`}
          </p>
          {reasons.length > 0 && (
            <ul>
              {reasons.map(([reason, n]) => (
                <li key={reason}>
                  {count(n)} not texted: {reason.replaceAll('_', ' ')}
                </li>
              ))}
            </ul>
          )}
          {preview.steps.map((step) => (
            <div key={step.step}>
              <h3>Step {step.step + 1} as sent</h3>
              {step.samples.map((sample) => (
                <p key={sample.contact_id} class="preview-box">
                  {sample.body ?? sample.error}
                  <span class="muted block">
                    to {sample.to} · {sample.segments ?? '—'} segment(s) · {sample.encoding ?? '—'}
                  </span>
                </p>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

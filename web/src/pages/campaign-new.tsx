/**
 * A new campaign as a form. Each step shows, as it is typed, the text one sample contact of the
 * chosen audience would receive, with its segments and encoding: the same pure rules the API
 * applies (core/template.ts, core/segments.ts, core/template-syntax.ts), run in the browser.
 * Creating makes a draft; its page previews the targeting and launches it.
 */
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { DRIP_CONDITIONS } from '../../../core/drip-condition.ts';
import { countSegments } from '../../../core/segments.ts';
import { renderTemplate } from '../../../core/template.ts';
import { templateSyntaxError } from '../../../core/template-syntax.ts';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { ErrorNote, Loading, PageTitle, count } from '../ui.tsx';

interface StepDraft {
  template: string;
  delayHours: string;
  condition: (typeof DRIP_CONDITIONS)[number];
}

const CONDITION_LABEL: Record<StepDraft['condition'], string> = {
  all: 'everyone',
  no_reply: 'those who have not replied',
  delivered_no_reply: 'those delivered who have not replied',
  not_delivered: 'those the previous step did not reach',
  replied: 'those who replied',
};

function StepPreview({
  template,
  sample,
}: {
  template: string;
  sample: Record<string, string> | null;
}) {
  const syntax = templateSyntaxError(template);
  if (template.trim() === '')
    return <p class="hint">Write the message to see it as a contact receives it.</p>;
  if (syntax !== undefined) return <p class="error">{syntax.message}</p>;
  const rendered = renderTemplate(template, sample ?? {});
  const text = rendered.ok ? rendered.text : null;
  const counted = countSegments(text ?? template);
  return (
    <div aria-live="polite" data-testid="step-preview">
      {text === null ? (
        <p class="error">
          {rendered.ok ? '' : `${rendered.message}: add a fallback like {{first_name | there}}.`}
        </p>
      ) : (
        <p class="preview-box">{text}</p>
      )}
      <p class="muted">
        {counted.segments} segment{counted.segments === 1 ? '' : 's'} · {counted.encoding} ·{' '}
        {counted.characters} characters
        {counted.encoding === 'UCS-2'
          ? ' (a character outside GSM-7 makes every segment shorter: 70/67)'
          : ''}
        {sample === null ? ' · no sample contact: variables render empty' : ''}
      </p>
    </div>
  );
}

export function CampaignNew() {
  const { route } = useLocation();
  const choices = useLoad(async () => {
    const [audiences, pools] = await Promise.all([
      must(api().GET('/v1/audiences', { params: { query: { limit: 200 } } })),
      must(api().GET('/v1/pools')),
    ]);
    return { audiences: audiences.audiences, pools: pools.pools };
  }, []);
  const [name, setName] = useState('');
  const [audienceId, setAudienceId] = useState('');
  const [smsPoolId, setSmsPoolId] = useState('');
  const [followupPoolId, setFollowupPoolId] = useState('');
  const [steps, setSteps] = useState<StepDraft[]>([
    { template: 'Hi {{first_name | there}}, ', delayHours: '0', condition: 'all' },
  ]);
  const [windowStart, setWindowStart] = useState('09:00');
  const [windowEnd, setWindowEnd] = useState('20:00');
  const [dripMinutes, setDripMinutes] = useState('60');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sample = useLoad(async () => {
    if (audienceId === '') return null;
    const page = await must(
      api().GET('/v1/contacts', { params: { query: { audience_id: audienceId, limit: 1 } } }),
    );
    return page.contacts[0] ?? null;
  }, [audienceId]);

  if (choices.data === undefined)
    return (
      <section>
        <PageTitle>New campaign</PageTitle>
        {choices.error === null ? (
          <Loading what="audiences and pools" />
        ) : (
          <ErrorNote error={choices.error} retry={choices.reload} />
        )}
      </section>
    );
  const { audiences, pools } = choices.data;
  const smsPools = pools.filter((pool) => pool.provider === 'twilio');
  const followupPools = pools.filter((pool) => pool.provider === 'blooio');
  const sampleAttributes =
    sample.data === undefined || sample.data === null ? null : sample.data.attributes;

  const setStep = (index: number, change: Partial<StepDraft>) =>
    setSteps(steps.map((step, i) => (i === index ? { ...step, ...change } : step)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await must(
        api().POST('/v1/campaigns', {
          body: {
            name: name.trim(),
            audience_id: audienceId,
            sms_pool_id: smsPoolId,
            ...(followupPoolId === '' ? {} : { followup_pool_id: followupPoolId }),
            steps: steps.map((step, index) => ({
              template: step.template,
              delay_seconds: index === 0 ? 0 : Math.round(Number(step.delayHours) * 3600),
              condition: index === 0 ? 'all' : step.condition,
            })),
            sending_window: { start: windowStart, end: windowEnd },
            drip: {
              every_seconds: Math.max(60, Math.round(Number(dripMinutes) * 60)),
              time_zone: 'UTC',
            },
          },
        }),
      );
      route(`/campaigns/${created.id}`);
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  const missing =
    audiences.length === 0
      ? 'Upload an audience first (Audiences page).'
      : smsPools.length === 0
        ? 'Create a Twilio pool with numbers first (Pools page).'
        : null;

  return (
    <section>
      <PageTitle>New campaign</PageTitle>
      {missing !== null && <p class="notice">{missing}</p>}
      <form onSubmit={submit}>
        <fieldset>
          <legend>Who and from where</legend>
          <label for="campaign-name">Name</label>
          <input
            id="campaign-name"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <div class="grid">
            <div>
              <label for="campaign-audience">Audience</label>
              <select
                id="campaign-audience"
                required
                value={audienceId}
                onChange={(e) => setAudienceId(e.currentTarget.value)}
              >
                <option value="">Choose an audience…</option>
                {audiences.map((audience) => (
                  <option key={audience.id} value={audience.id}>
                    {audience.name} ({count(audience.contacts)} contacts)
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="campaign-pool">SMS pool</label>
              <select
                id="campaign-pool"
                required
                value={smsPoolId}
                onChange={(e) => setSmsPoolId(e.currentTarget.value)}
              >
                <option value="">Choose a pool…</option>
                {smsPools.map((pool) => (
                  <option key={pool.id} value={pool.id}>
                    {pool.name} ({pool.counts.active} active number
                    {pool.counts.active === 1 ? '' : 's'})
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="campaign-followup">iMessage follow-up pool</label>
              <select
                id="campaign-followup"
                value={followupPoolId}
                onChange={(e) => setFollowupPoolId(e.currentTarget.value)}
              >
                <option value="">None (no hand-off)</option>
                {followupPools.map((pool) => (
                  <option key={pool.id} value={pool.id}>
                    {pool.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </fieldset>
        <fieldset>
          <legend>Messages</legend>
          {sample.data !== undefined && sample.data !== null && (
            <p class="hint">Previewed for a sample contact of the audience: {sample.data.phone}.</p>
          )}
          {steps.map((step, index) => (
            <div class="panel" key={index}>
              <label for={`step-${index}`}>
                {index === 0 ? 'First message' : `Step ${index + 1}`}
              </label>
              <textarea
                id={`step-${index}`}
                value={step.template}
                onInput={(e) => setStep(index, { template: e.currentTarget.value })}
              />
              {index > 0 && (
                <div class="grid">
                  <div>
                    <label for={`step-${index}-delay`}>Hours after the previous step</label>
                    <input
                      id={`step-${index}-delay`}
                      type="number"
                      min="0"
                      step="0.25"
                      value={step.delayHours}
                      onInput={(e) => setStep(index, { delayHours: e.currentTarget.value })}
                    />
                  </div>
                  <div>
                    <label for={`step-${index}-condition`}>Sent to</label>
                    <select
                      id={`step-${index}-condition`}
                      value={step.condition}
                      onChange={(e) => {
                        const value = DRIP_CONDITIONS.find((c) => c === e.currentTarget.value);
                        if (value !== undefined) setStep(index, { condition: value });
                      }}
                    >
                      {DRIP_CONDITIONS.map((condition) => (
                        <option key={condition} value={condition}>
                          {CONDITION_LABEL[condition]}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
              )}
              <StepPreview template={step.template} sample={sampleAttributes} />
              {index > 0 && (
                <button
                  type="button"
                  class="danger"
                  onClick={() => setSteps(steps.filter((_, i) => i !== index))}
                >
                  Remove step {index + 1}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            class="quiet"
            onClick={() =>
              setSteps([...steps, { template: '', delayHours: '24', condition: 'no_reply' }])
            }
          >
            Add a follow-up step
          </button>
        </fieldset>
        <fieldset>
          <legend>When</legend>
          <div class="grid">
            <div>
              <label for="window-start">Send from (recipient's local time)</label>
              <input
                id="window-start"
                type="time"
                value={windowStart}
                onInput={(e) => setWindowStart(e.currentTarget.value)}
              />
            </div>
            <div>
              <label for="window-end">Until</label>
              <input
                id="window-end"
                type="time"
                value={windowEnd}
                onInput={(e) => setWindowEnd(e.currentTarget.value)}
              />
            </div>
            <div>
              <label for="drip-every">Check follow-up steps every (minutes)</label>
              <input
                id="drip-every"
                type="number"
                min="1"
                value={dripMinutes}
                onInput={(e) => setDripMinutes(e.currentTarget.value)}
              />
            </div>
          </div>
          <p class="hint">
            The legal floor (federal 08:00–21:00 and stricter state rules) still applies: this
            window can only narrow it.
          </p>
        </fieldset>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create draft'}
        </button>{' '}
        <span class="hint">
          A draft sends nothing: its page previews who would be texted, then you launch it.
        </span>
      </form>
    </section>
  );
}

/**
 * A new campaign as a form: audience and pools, steps with a live preview of each text for a
 * sample contact (steps-fields.tsx), targeting conditions, excluded audiences and suppression
 * lists (targeting-fields.tsx), sending window, start and drip schedule (schedule-fields.tsx).
 * Creating makes a draft; its page previews the targeting and launches it. The API judges the
 * request: what it refuses comes back beside the field it names (web/src/field-errors.ts).
 */
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { emptyDraft, requestBody, type Draft } from '../campaign-draft.ts';
import { errorsAt, fieldErrors, type FieldErrors } from '../field-errors.ts';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { ErrorNote, FieldError, Loading, PageTitle, count, invalidProps } from '../ui.tsx';
import { ScheduleFields } from './campaign-form/schedule-fields.tsx';
import { StepsFields } from './campaign-form/steps-fields.tsx';
import { TargetingFields } from './campaign-form/targeting-fields.tsx';

export function CampaignNew() {
  const { route } = useLocation();
  const choices = useLoad(async () => {
    const [audiences, pools, lists] = await Promise.all([
      must(api().GET('/v1/audiences', { params: { query: { limit: 200 } } })),
      must(api().GET('/v1/pools')),
      must(api().GET('/v1/suppression-lists')),
    ]);
    return {
      audiences: audiences.audiences,
      pools: pools.pools,
      suppressionLists: lists.suppression_lists.filter((list) => !list.global),
    };
  }, []);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const sample = useLoad(async () => {
    if (draft.audienceId === '') return null;
    const page = await must(
      api().GET('/v1/contacts', {
        params: { query: { audience_id: draft.audienceId, limit: 1 } },
      }),
    );
    return page.contacts[0] ?? null;
  }, [draft.audienceId]);

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
  const { audiences, pools, suppressionLists } = choices.data;
  const smsPools = pools.filter((pool) => pool.provider === 'twilio');
  const followupPools = pools.filter((pool) => pool.provider === 'blooio');
  const audience = audiences.find((a) => a.id === draft.audienceId);
  const sampleContact = sample.data ?? null;
  const at = (field: string) => errorsAt(errors, field);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const created = await must(api().POST('/v1/campaigns', { body: requestBody(draft) }));
      route(`/campaigns/${created.id}`);
    } catch (failure) {
      setError(describe(failure));
      setErrors(fieldErrors(failure));
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
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Who and from where</legend>
          <label for="campaign-name">Name</label>
          <input
            id="campaign-name"
            value={draft.name}
            {...invalidProps('name', at('name'))}
            onInput={(e) => update({ name: e.currentTarget.value })}
          />
          <FieldError field="name" messages={at('name')} />
          <div class="grid">
            <div>
              <label for="campaign-audience">Audience</label>
              <select
                id="campaign-audience"
                value={draft.audienceId}
                {...invalidProps('audience_id', at('audience_id'))}
                onChange={(e) =>
                  update({
                    audienceId: e.currentTarget.value,
                    conditions: [],
                    excludeAudienceIds: draft.excludeAudienceIds.filter(
                      (id) => id !== e.currentTarget.value,
                    ),
                  })
                }
              >
                <option value="">Choose an audience…</option>
                {audiences.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({count(a.contacts)} contacts)
                  </option>
                ))}
              </select>
              <FieldError field="audience_id" messages={at('audience_id')} />
            </div>
            <div>
              <label for="campaign-pool">SMS pool</label>
              <select
                id="campaign-pool"
                value={draft.smsPoolId}
                {...invalidProps('sms_pool_id', at('sms_pool_id'))}
                onChange={(e) => update({ smsPoolId: e.currentTarget.value })}
              >
                <option value="">Choose a pool…</option>
                {smsPools.map((pool) => (
                  <option key={pool.id} value={pool.id}>
                    {pool.name} ({pool.counts.active} active number
                    {pool.counts.active === 1 ? '' : 's'})
                  </option>
                ))}
              </select>
              <FieldError field="sms_pool_id" messages={at('sms_pool_id')} />
            </div>
            <div>
              <label for="campaign-followup">iMessage follow-up pool</label>
              <select
                id="campaign-followup"
                value={draft.followupPoolId}
                {...invalidProps('followup_pool_id', at('followup_pool_id'))}
                onChange={(e) => update({ followupPoolId: e.currentTarget.value })}
              >
                <option value="">None (no hand-off)</option>
                {followupPools.map((pool) => (
                  <option key={pool.id} value={pool.id}>
                    {pool.name}
                  </option>
                ))}
              </select>
              <FieldError field="followup_pool_id" messages={at('followup_pool_id')} />
            </div>
          </div>
        </fieldset>
        <StepsFields
          steps={draft.steps}
          onChange={(steps) => update({ steps })}
          sample={sampleContact === null ? null : sampleContact.attributes}
          samplePhone={sampleContact === null ? null : sampleContact.phone}
          errors={errors}
        />
        <TargetingFields
          draft={draft}
          onChange={update}
          columns={audience?.columns ?? []}
          audiences={audiences
            .filter((a) => a.id !== draft.audienceId)
            .map((a) => ({ id: a.id, name: a.name, size: a.contacts }))}
          suppressionLists={suppressionLists.map((list) => ({
            id: list.id,
            name: list.name,
            size: list.entries,
          }))}
          errors={errors}
        />
        <ScheduleFields
          draft={draft}
          onChange={update}
          errors={errors}
          dripSteps={draft.steps.length > 1}
        />
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

import { describe, expect, it } from 'vitest';
import { emptyDraft, requestBody, type Draft } from '../../web/src/campaign-draft.ts';
import { errorsAt, fieldErrors } from '../../web/src/field-errors.ts';
import { ApiError } from '../../web/src/api-error.ts';

const draft = (change: Partial<Draft>): Draft => ({
  ...emptyDraft(),
  name: ' Winter promo ',
  audienceId: 'a1',
  smsPoolId: 'p1',
  dripTimeZone: 'UTC',
  ...change,
});

describe("the campaign form's request", () => {
  it('sends what was typed, converted to the API fields, and leaves out what was not given', () => {
    const body = requestBody(
      draft({
        steps: [
          { template: 'Hi {{first_name}}', delayHours: '0', condition: 'all' },
          { template: 'Last day', delayHours: '1.5', condition: 'no_reply' },
        ],
        dripMinutes: '30',
      }),
    );
    expect(body).toEqual({
      name: 'Winter promo',
      audience_id: 'a1',
      sms_pool_id: 'p1',
      steps: [
        { template: 'Hi {{first_name}}', delay_seconds: 0, condition: 'all' },
        { template: 'Last day', delay_seconds: 5400, condition: 'no_reply' },
      ],
      sending_window: { start: '09:00', end: '20:00' },
      drip: { every_seconds: 1800, time_zone: 'UTC' },
      exclude_audience_ids: [],
      suppression_list_ids: [],
    });
  });

  it('turns conditions, the cron schedule and the start into their API shapes', () => {
    const body = requestBody(
      draft({
        followupPoolId: 'f1',
        match: 'any',
        conditions: [
          { field: 'state', op: 'in', value: 'NY, NJ ,' },
          { field: 'attributes.score', op: 'gte', value: '7' },
          { field: 'attributes.plan', op: 'exists', value: 'ignored' },
        ],
        dripMode: 'cron',
        dripCron: ' 0 10 * * 1-5 ',
        dripTimeZone: 'America/New_York',
        startAt: '2026-12-24T09:30',
        excludeAudienceIds: ['a2'],
        suppressionListIds: ['s1'],
      }),
    );
    expect(body.followup_pool_id).toBe('f1');
    expect(body.filter).toEqual({
      any: [
        { field: 'state', op: 'in', value: ['NY', 'NJ'] },
        { field: 'attributes.score', op: 'gte', value: 7 },
        { field: 'attributes.plan', op: 'exists', value: true },
      ],
    });
    expect(body.drip).toEqual({ cron: '0 10 * * 1-5', time_zone: 'America/New_York' });
    expect(body.start_at).toBe(new Date('2026-12-24T09:30').toISOString());
    expect(body.exclude_audience_ids).toEqual(['a2']);
    expect(body.suppression_list_ids).toEqual(['s1']);
  });

  it('sends an empty number as NaN (JSON null) for the API to refuse at its field', () => {
    const body = requestBody(draft({ dripMinutes: '' }));
    expect(JSON.parse(JSON.stringify(body)).drip.every_seconds).toBeNull();
  });
});

describe('where an API error belongs in a form', () => {
  it("places the schema's paths, the template checks' steps and the lookups' fields", () => {
    const schema = new ApiError('The request is not valid', 400, 'invalid_request', [
      { path: 'body.sending_window.end', message: 'start must be before end' },
      { path: 'body.filter.all.0.value', message: 'expected an array' },
    ]);
    const errors = fieldErrors(schema);
    expect(errorsAt(errors, 'sending_window.end')).toEqual(['start must be before end']);
    expect(errorsAt(errors, 'filter.all.0')).toEqual(['expected an array']);
    expect(errorsAt(errors, 'filter')).toEqual(['expected an array']);
    expect(errorsAt(errors, 'name')).toEqual([]);

    const template = new ApiError('The template of step 1 is malformed', 400, 'invalid_template', [
      { step: 1, message: 'unclosed {{' },
    ]);
    expect(fieldErrors(template)).toEqual({ 'steps.1.template': ['unclosed {{'] });

    const pool = new ApiError('followup_pool_id must be a blooio pool', 422, 'wrong_pool_provider');
    expect(fieldErrors(pool)).toEqual({
      followup_pool_id: ['followup_pool_id must be a blooio pool'],
    });
    const excluded = new ApiError('Excluded audience x does not exist', 422, 'unknown_audience');
    expect(Object.keys(fieldErrors(excluded))).toEqual(['exclude_audience_ids']);
    expect(fieldErrors(new Error('offline'))).toEqual({});
  });
});

import { CAMPAIGN_REQUEST, PATCHED_CAMPAIGN, TARGETING } from './campaign-views.ts';
import { AT, CAMPAIGN_ID, JORDAN, MAYA } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** One step's message to one contact as the preview renders it (plain GSM-7, one segment). */
const sample = (contact: typeof MAYA | typeof JORDAN, template: string) => {
  const body = template.replaceAll('{{first_name}}', contact.first_name);
  return {
    contact_id: contact.id,
    to: contact.phone,
    body,
    segments: 1,
    encoding: 'GSM-7',
    characters: body.length,
    error: null,
  };
};

/**
 * The draft, before launch: the operator limits it to contacts with a first name, then
 * previews it (`?samples=2`) five minutes before the Pacific window opens at 09:00.
 */
export const CAMPAIGN_DRAFT_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'PATCH /v1/campaigns/{id}': { request: TARGETING, responses: { 200: PATCHED_CAMPAIGN } },
  'POST /v1/campaigns/{id}/preview': {
    responses: {
      200: {
        campaign_id: CAMPAIGN_ID,
        audience: 1200,
        would_text: 491,
        not_texted: {
          already_messaged: 0,
          opted_out: 11,
          excluded_audience: 0,
          filtered_out: 5,
          suppressed: 3,
          outside_window: 690,
          invalid: 0,
          frequency_capped: 0,
          no_sender: 0,
        },
        sender: { can_send_now: true, reason: null },
        steps: CAMPAIGN_REQUEST.steps.map((step, index) => ({
          step: index,
          samples: [sample(MAYA, step.template), sample(JORDAN, step.template)],
        })),
        computed_at: AT.previewed,
      },
    },
  },
};

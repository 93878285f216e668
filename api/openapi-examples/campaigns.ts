import {
  CAMPAIGN_REQUEST,
  DRAFT_CAMPAIGN,
  HAWAII_OPENS,
  RUNNING_CAMPAIGN,
  UI_URL,
  WORKFLOW_ID,
} from './campaign-views.ts';
import { CAMPAIGN_ID, JORDAN, MAYA, SENDERS, SID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const message = {
  id: '1',
  step: 0,
  contact_id: MAYA.id,
  to: MAYA.phone,
  from: SENDERS[0].phone,
  body: 'Hi Maya, our spring sale starts today: 20% off. Reply YES for details, STOP to opt out.',
  segments: 1,
  status: 'delivered',
  error_code: null,
  skip_reason: null,
  attempts: 1,
  next_attempt_at: null,
  wait_reason: null,
  wait_detail: null,
  deferred_until: null,
  provider_sid: SID.toMaya,
  updated_at: '2026-12-07T17:00:03.118Z',
};

const control = (requested: string, status: string) => ({
  responses: { 202: { campaign_id: CAMPAIGN_ID, requested, status } },
});

export const CAMPAIGN_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/campaigns': { request: CAMPAIGN_REQUEST, responses: { 201: DRAFT_CAMPAIGN } },
  'GET /v1/campaigns/{id}': { responses: { 200: RUNNING_CAMPAIGN } },
  'GET /v1/campaigns/{id}/messages': {
    responses: {
      200: {
        messages: [
          message,
          {
            ...message,
            id: '2',
            contact_id: JORDAN.id,
            to: JORDAN.phone,
            from: SENDERS[1].phone,
            body: 'Hi Jordan, our spring sale starts today: 20% off. Reply YES for details, STOP to opt out.',
            provider_sid: SID.toJordan,
          },
          {
            ...message,
            id: '3',
            contact_id: '1044',
            to: '+18085550142',
            from: null,
            body: null,
            segments: null,
            status: 'pending',
            attempts: 0,
            next_attempt_at: HAWAII_OPENS,
            wait_reason: 'quiet_hours',
            deferred_until: HAWAII_OPENS,
            provider_sid: null,
            updated_at: '2026-12-07T17:00:01.204Z',
          },
        ],
        next_cursor: '3',
      },
    },
  },
  'POST /v1/campaigns/{id}/launch': {
    responses: {
      202: {
        campaign_id: CAMPAIGN_ID,
        workflow_id: WORKFLOW_ID,
        run_id: '01a24610-4d31-7868-9a58-b19c414966d4',
        temporal_ui_url: UI_URL,
        already_launched: false,
      },
    },
  },
  'POST /v1/campaigns/{id}/pause': control('pause', 'paused'),
  'POST /v1/campaigns/{id}/resume': control('resume', 'running'),
  'POST /v1/campaigns/{id}/cancel': control('cancel', 'cancelled'),
};

import { AT, AUDIENCE_ID, STAFF_AUDIENCE_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** The "Spring promo list" upload: 1,204 lines, two repeats of a phone and two lines refused. */
const audience = {
  id: AUDIENCE_ID,
  name: 'Spring promo list',
  columns: ['phone', 'first_name', 'plan'],
  rows_read: 1204,
  imported: 1200,
  duplicates: 2,
  rejected: 2,
  created_at: AT.audienceImported,
};

/** A staff list uploaded for a test send: no campaign uses it, so it can be deleted. */
const staffList = {
  id: STAFF_AUDIENCE_ID,
  name: 'Staff test list',
  columns: ['phone', 'first_name'],
  rows_read: 4,
  imported: 4,
  duplicates: 0,
  rejected: 0,
  created_at: AT.staffListImported,
};

const rejections = [
  { line: 58, reason: 'unparseable', value: 'call me' },
  { line: 311, reason: 'too_short', value: '555-0148' },
];

export const AUDIENCE_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/audiences': { responses: { 201: { ...audience, first_rejections: rejections } } },
  'GET /v1/audiences': {
    responses: {
      200: {
        audiences: [
          { ...audience, contacts: 1200, campaigns: 1, in_use: true },
          { ...staffList, contacts: 4, campaigns: 0, in_use: false },
        ],
        next_cursor: null,
      },
    },
  },
  'GET /v1/audiences/{id}': { responses: { 200: audience } },
  'DELETE /v1/audiences/{id}': {
    responses: {
      200: { id: STAFF_AUDIENCE_ID, name: staffList.name, deleted: true, members_removed: 4 },
    },
  },
  'GET /v1/audiences/{id}/rejections': {
    responses: { 200: { rejections, next_after: null } },
  },
};

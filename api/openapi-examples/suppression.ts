import { AT, SUPPRESSION_LIST_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const list = {
  id: SUPPRESSION_LIST_ID,
  name: 'Do not text',
  global: false,
  entries: 0,
  created_at: AT.listCreated,
};
const filled = { ...list, entries: 2 };

export const SUPPRESSION_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/suppression-lists': { request: { name: list.name }, responses: { 201: list } },
  'GET /v1/suppression-lists': {
    responses: {
      200: {
        suppression_lists: [
          {
            id: 'global',
            name: 'Global suppression list',
            global: true,
            entries: 118,
            created_at: '2026-11-02T08:00:00.000Z',
          },
          filled,
        ],
      },
    },
  },
  'GET /v1/suppression-lists/{id}': { responses: { 200: filled } },
  'POST /v1/suppression-lists/{id}/entries': {
    responses: {
      200: {
        list: filled,
        rows_read: 3,
        accepted: 2,
        added: 2,
        already_listed: 0,
        duplicates: 0,
        rejected_count: 1,
        rejected: [{ line: 4, byte: 32, error: 'too_short', value: '12' }],
      },
    },
  },
};

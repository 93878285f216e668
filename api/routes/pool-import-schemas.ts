import { z } from 'zod';

export const importInput = z
  .strictObject({
    dry_run: z
      .boolean()
      .default(false)
      .describe('Report what an import would do and change nothing, in tandem or at Twilio'),
  })
  .meta({ examples: [{ dry_run: true }] })
  // No body at all is an import (not a dry run).
  .nullish()
  .transform((body) => ({ dry_run: body?.dry_run ?? false }));

export const IMPORT_RESULTS = [
  'added',
  'configured',
  'already_in_pool',
  'skipped_not_sms_capable',
  'skipped_unknown_format',
  'in_other_pool',
  'failed',
] as const;

const numberResult = z.object({
  phone: z.string(),
  sid: z.string().describe("The number's IncomingPhoneNumber SID at Twilio"),
  kind: z.enum(['long_code', 'toll_free', 'short_code']).nullable(),
  result: z
    .enum(IMPORT_RESULTS)
    .describe(
      'added: joined the pool (its webhook set if needed); configured: already in the pool, its SMS webhook was set; already_in_pool: nothing to do; skipped_not_sms_capable; skipped_unknown_format; in_other_pool: a number belongs to one pool; failed: see error. In a dry run: what would happen',
    ),
  webhook: z
    .enum(['set', 'already_set', 'not_touched', 'failed'])
    .describe("The number's SMS webhook (sms_url, POST) at Twilio"),
  pool_id: z.string().nullable().describe('The pool it belongs to, for in_other_pool'),
  error: z.string().nullable(),
});

export const importView = z
  .object({
    pool_id: z.string(),
    dry_run: z.boolean(),
    webhook_url: z.string().describe('What each number’s SMS webhook is set to'),
    listed: z.number().int().describe('IncomingPhoneNumbers of the account'),
    counts: z.record(z.string(), z.number().int()).describe('Numbers by result'),
    numbers: z.array(numberResult),
  })
  .meta({
    examples: [
      {
        pool_id: '0b6c3a52-1f7e-4b8e-9d53-2c1a4e5f6a7b',
        dry_run: false,
        webhook_url: 'https://tandem.example.com/webhooks/twilio/inbound',
        listed: 3,
        counts: { added: 2, skipped_not_sms_capable: 1 },
        numbers: [
          {
            phone: '+14155550100',
            sid: 'PN0123456789abcdef0123456789abcdef',
            kind: 'long_code',
            result: 'added',
            webhook: 'set',
            pool_id: null,
            error: null,
          },
          {
            phone: '+18885550100',
            sid: 'PNfedcba9876543210fedcba9876543210',
            kind: 'toll_free',
            result: 'added',
            webhook: 'already_set',
            pool_id: null,
            error: null,
          },
          {
            phone: '+14155550199',
            sid: 'PN00112233445566778899aabbccddeeff',
            kind: null,
            result: 'skipped_not_sms_capable',
            webhook: 'not_touched',
            pool_id: null,
            error: null,
          },
        ],
      },
    ],
  });

export type ImportResult = z.infer<typeof numberResult>;

import { z } from 'zod';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const inboxQuery = z.object({
  needs_reply: flag.optional().describe('Only conversations whose last message awaits a person'),
  assigned_to: z.string().min(1).max(200).optional(),
  campaign_id: z.uuid().optional(),
  state: z.enum(['open', 'closed']).optional(),
  channel: z.enum(['sms', 'imessage', 'rcs']).optional().describe('Channel of the last message'),
  q: z.string().min(1).max(100).optional().describe("Part of the contact's name or phone"),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const iso = z.string();

export const inboxRow = z.object({
  id: z.string(),
  contact: z.object({
    id: z.string(),
    phone: z.string(),
    name: z.string().nullable(),
    opted_out: z.boolean(),
    opted_out_at: iso.nullable(),
  }),
  campaign_id: z.string().nullable(),
  line: z.string().nullable().describe("The contact's sticky Blooio line"),
  state: z.enum(['open', 'closed']),
  status: z.string(),
  assigned_to: z.string().nullable(),
  needs_reply: z.boolean(),
  unread: z.number().int(),
  last_message: z
    .object({
      direction: z.enum(['inbound', 'outbound']),
      channel: z.string(),
      body: z.string(),
      author: z.string().nullable(),
      at: iso,
    })
    .nullable(),
  last_activity_at: iso,
});

export const inboxPage = z.object({
  conversations: z.array(inboxRow),
  next_cursor: z.string().nullable(),
});

export const contactParams = z.object({ contact: z.string().min(1).max(40) });

export const assignBody = z.object({
  agent: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullable()
    .describe('Who answers this conversation; null unassigns it'),
});

export const conversationState = z.object({
  contact_id: z.string(),
  state: z.enum(['open', 'closed']),
  assigned_to: z.string().nullable(),
  last_read_at: iso.nullable(),
  needs_reply: z.boolean(),
  unread: z.number().int(),
});

export const answerBody = z.object({
  text: z.string().max(4_000).default(''),
  media_urls: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(10)
    .default([])
    .describe('Attachments, sent with the text (Blooio attachments)'),
  author: z.string().trim().min(1).max(200).optional().describe('The agent writing'),
});

export const answerHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, '1–255 printable ASCII characters')
    .optional()
    .describe("The same key never sends twice; the first request's message is returned"),
});

export const answerView = z.object({
  message: z.object({
    id: z.string(),
    idempotency_key: z.string(),
    status: z.string(),
    blooio_message_id: z.string().nullable(),
    from: z.string().nullable().describe("The contact's sticky Blooio line"),
    to: z.string(),
    text: z.string(),
    media_urls: z.array(z.string()),
    protocol: z.string().nullable(),
    author: z.string().nullable(),
    error: z.string().nullable(),
    created_at: iso,
  }),
  replayed: z.boolean(),
});

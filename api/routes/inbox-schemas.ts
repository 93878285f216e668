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

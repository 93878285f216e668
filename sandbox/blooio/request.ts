import { z } from 'zod';

const attachment = z.union([
  z.string().url(),
  z.object({ url: z.string().url(), name: z.string().optional() }),
]);

export const sendBodySchema = z.object({
  text: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  attachments: z.array(attachment).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  use_typing_indicator: z.boolean().optional(),
  from_number: z.string().optional(),
});
export type SendBody = z.infer<typeof sendBodySchema>;

export type SendBodyResult =
  | { readonly ok: true; readonly body: SendBody; readonly texts: string[] }
  | { readonly ok: false; readonly error: string };

export const METADATA_LIMIT_BYTES = 1024;

/** Validates a send request body the way Blooio describes it. */
export function parseSendBody(input: unknown): SendBodyResult {
  const parsed = sendBodySchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `Invalid request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    };
  }
  const body = parsed.data;
  const texts = typeof body.text === 'string' ? [body.text] : (body.text ?? []);
  const hasText = texts.some((text) => text.trim() !== '');
  if (!hasText && (body.attachments?.length ?? 0) === 0) {
    return { ok: false, error: 'Missing text: provide text or attachments' };
  }
  if (texts.length > 1 && texts.some((text) => text.trim() === '')) {
    return { ok: false, error: 'Invalid request: text array entries must not be empty' };
  }
  const metadataSize = Buffer.byteLength(JSON.stringify(body.metadata ?? {}));
  if (body.metadata !== undefined && metadataSize > METADATA_LIMIT_BYTES) {
    return { ok: false, error: 'Metadata exceeds the 1KB limit' };
  }
  return { ok: true, body, texts: texts.length === 0 ? [''] : texts };
}

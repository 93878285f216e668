import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';

export interface Upload {
  stream: Readable;
  fields: Record<string, string>;
  filename: string | undefined;
}

/** The CSV as a stream: the `file` part of a multipart form, or a raw `text/csv` body. */
export async function openUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    const body: unknown = request.body;
    if (!isReadable(body))
      throw new ApiError(
        415,
        'unsupported_media_type',
        'Send the CSV as multipart/form-data or text/csv',
      );
    return { stream: body, fields: {}, filename: undefined };
  }
  const part = await request.file();
  if (part === undefined) throw new ApiError(400, 'csv_missing', 'The form has no file part');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field !== undefined && field.type === 'field' && typeof field.value === 'string')
      fields[key] = field.value;
  }
  return { stream: part.file, fields, filename: part.filename };
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && 'pipe' in value && 'on' in value;
}

/** Takes `text/csv` bodies in the plugin as a stream: the route reads it once, as it arrives. */
export function acceptCsvBodies(app: Pick<FastifyInstance, 'addContentTypeParser'>): void {
  app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
    done(null, payload),
  );
}

import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import { CsvError } from './errors.ts';

export interface Upload {
  stream: Readable;
  fields: Record<string, string>;
  filename: string | undefined;
  /**
   * What to throw when reading the upload failed: the rest of the body is drained (so the
   * answer can be sent), a CSV problem or a broken form is the client's 400, anything else is
   * thrown as it is.
   */
  refuse(error: unknown): unknown;
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
    return { stream: body, fields: {}, filename: undefined, refuse: refusal(body, false) };
  }
  const part = await request.file().catch((error: unknown) => {
    throw isFormError(error) ? malformedForm(error) : error;
  });
  if (part === undefined) throw new ApiError(400, 'csv_missing', 'The form has no file part');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field !== undefined && field.type === 'field' && typeof field.value === 'string')
      fields[key] = field.value;
  }
  return {
    stream: part.file,
    fields,
    filename: part.filename,
    refuse: refusal(part.file, true),
  };
}

function refusal(stream: Readable, form: boolean) {
  return (error: unknown): unknown => {
    stream.resume();
    if (error instanceof CsvError)
      return new ApiError(400, error.code, error.message, error.details);
    // The form broke while the file was read (a truncated body): the file stream's own error.
    if (form && stream.errored === error && isFormError(error)) return malformedForm(error);
    return error;
  };
}

/**
 * The multipart parser (busboy) fails a form whose boundary never comes or whose part headers
 * are broken with a plain Error ("Unexpected end of multipart data"). Errors with a code are
 * @fastify/multipart's own (limits, prototype names) and keep their answers (fastify-errors.ts).
 */
function isFormError(error: unknown): error is Error {
  return error instanceof Error && !('code' in error);
}

function malformedForm(error: Error): ApiError {
  return new ApiError(
    400,
    'multipart_malformed',
    `The multipart form cannot be read: ${error.message}`,
  );
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

/**
 * Fastify's and its plugins' own error codes (`FST_ERR_CTP_BODY_TOO_LARGE`, …) are internal
 * names; a client sees the API's codes and messages instead. Only errors a request can cause
 * are listed: any other Fastify code is a server fault and answers 500.
 */
export interface MappedError {
  status: number;
  code: string;
  message: string;
}

const CLIENT_ERRORS: Readonly<Record<string, MappedError>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The body is empty but Content-Type says application/json',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This route does not accept that Content-Type',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body_too_large',
    message: 'The body is larger than this route accepts',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    message: 'The body size does not match Content-Length',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'The URL is not valid' },
  FST_ERR_INVALID_URL: { status: 400, code: 'invalid_url', message: 'The URL is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'path_parameter_too_long',
    message: 'A part of the path is longer than any id this API takes (100 characters)',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'The request is not multipart/form-data',
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    code: 'multipart_incomplete',
    message: 'The multipart body ended before its closing boundary',
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    code: 'invalid_field_name',
    message: 'A form field is named after a prototype property',
  },
  FST_INVALID_JSON_FIELD_ERROR: {
    status: 400,
    code: 'invalid_json',
    message: 'A form field declared as JSON is not valid JSON',
  },
  FST_FILES_LIMIT: {
    status: 413,
    code: 'too_many_files',
    message: 'Send one file per request (the `file` part)',
  },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts', message: 'The form has too many parts' },
  FST_FIELDS_LIMIT: {
    status: 413,
    code: 'too_many_fields',
    message: 'The form has too many fields',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    code: 'file_too_large',
    message: 'The uploaded file is larger than this route accepts',
  },
};

/** The API's answer for a Fastify error code a client can cause; undefined for any other. */
export function mapFastifyError(code: string | undefined): MappedError | undefined {
  return code === undefined ? undefined : CLIENT_ERRORS[code];
}

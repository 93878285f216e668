import { OPERATION_EXAMPLES } from './index.ts';

type Document = Record<string, unknown>;

/** Puts each operation's examples into the finished document (swagger's `transformObject`). */
export function withOperationExamples(document: Document): Document {
  const paths = record(document.paths);
  for (const [name, examples] of Object.entries(OPERATION_EXAMPLES)) {
    const [method = '', path = ''] = name.split(' ');
    const operation = record(record(paths[path])[method.toLowerCase()]);
    if (examples.request !== undefined) {
      const json = record(record(record(operation.requestBody).content)['application/json']);
      if ('schema' in json) json.example = examples.request;
    }
    const responses = record(operation.responses);
    for (const [status, value] of Object.entries(examples.responses)) {
      const content = record(record(responses[status]).content);
      const media = record(content['application/json'] ?? content['text/csv']);
      if ('schema' in media) media.example = value;
    }
  }
  return document;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

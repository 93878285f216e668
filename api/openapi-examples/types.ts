/** The examples of one operation: its JSON request body, and its answer by success status. */
export interface OperationExamples {
  request?: unknown;
  responses: Readonly<Record<number, unknown>>;
}

/** An answer of the API that is an error: its status, its code and where it lies (`details`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    /** The API's `error.details`: where in the request the problem is (web/src/field-errors.ts). */
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** Every handler answers with a Result so an error survives the IPC / HTTP hop intact. */
export type ErrorCode =
  'bad_input' | 'unknown_handler' | 'unauthorized' | 'forbidden' | 'not_found' | 'busy' | 'conflict' | 'unavailable' | 'internal';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside handlers to answer with a specific error code instead of `internal`. */
export class HandlerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

/** HTTP status for an error code, shared by the control server and the sender. */
export const httpStatusOf: Record<ErrorCode, number> = {
  bad_input: 400,
  unknown_handler: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  busy: 409,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

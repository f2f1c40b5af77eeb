/** Every handler answers with a Result so an error survives the IPC / HTTP hop intact. */
import type { ErrorParams, ErrorReason } from './reasons.js';

export type ErrorCode =
  'bad_input' | 'unknown_handler' | 'unauthorized' | 'forbidden' | 'not_found' | 'busy' | 'conflict' | 'unavailable' | 'internal';

/** One problem with one input field: where it is, why (a stable key) and the values the sentence needs. */
export interface FieldIssue {
  path: (string | number)[];
  reason: ErrorReason;
  params: ErrorParams;
  /** The schema's English sentence. */
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  /** English, for scripts and logs; the UI says `reason` in its own language instead. */
  message: string;
  reason?: ErrorReason;
  params?: ErrorParams;
  /** Rejected input, field by field (reason `invalid_input`). */
  issues?: FieldIssue[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ErrorDetail {
  reason?: ErrorReason;
  params?: ErrorParams;
  issues?: FieldIssue[];
}

/** Thrown inside handlers to answer with a specific error code (and reason) instead of `internal`. */
export class HandlerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
    this.name = 'HandlerError';
  }

  /** The wire form: code, English message, and the reason and parameters when there are any. */
  toApiError(): ApiError {
    const { reason, params, issues } = this.detail;
    return {
      code: this.code,
      message: this.message,
      ...(reason && { reason }),
      ...(params && { params }),
      ...(issues && { issues, reason: reason ?? 'invalid_input' }),
    };
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

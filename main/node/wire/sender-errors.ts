import type { FastifyError } from 'fastify';
import { DatasetError } from '../datasets/types.js';

/** The error codes the sender answers with, each with its one HTTP status. */
export const senderErrorStatus = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;
export type SenderErrorCode = keyof typeof senderErrorStatus;

/** A stable reason (preload/contract/reasons.ts) and its parameters, for a peer to say the error in its UI's language. */
export interface WireReason {
  reason: string;
  params?: Record<string, string | number>;
}

export class SenderHttpError extends Error {
  constructor(
    readonly code: SenderErrorCode,
    message: string,
    readonly detail?: WireReason,
  ) {
    super(message);
    this.name = 'SenderHttpError';
  }

  get status(): number {
    return senderErrorStatus[this.code];
  }
}

/** The one error body: `{"error":{"code","message"}}` (plus `reason`, `params` where a peer can say it in its language). */
export const errorJson = (code: SenderErrorCode, message: string, detail?: WireReason): string =>
  JSON.stringify({ error: { code, message, ...detail } });

/**
 * Any error thrown while serving → our code and status. Fastify's own body/URL errors are the
 * client's fault (400/413); only a genuine bug is a 500, and the caller logs it.
 */
export function classify(err: unknown): { code: SenderErrorCode; message: string; detail?: WireReason } {
  if (err instanceof SenderHttpError) return { code: err.code, message: err.message, detail: err.detail };
  if (err instanceof DatasetError) return { code: err.code, message: err.message };
  const e = err as Partial<FastifyError> & { type?: string };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413 || e.type === 'entity.too.large') {
    return { code: 'too_large', message: 'The request body is too large (64 KB at most).' };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return { code: 'bad_input', message: 'The request body is not valid JSON.' };
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { code: 'bad_input', message: 'The request body is empty; send {"requests":[...]}.' };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { code: 'bad_input', message: 'Send the body as application/json.' };
  }
  if (status >= 400 && status < 500) {
    return { code: 'bad_input', message: `The request is malformed (${e.code ?? status}).` };
  }
  return { code: 'internal', message: 'The sender failed to answer this request; the error is in the node log.' };
}

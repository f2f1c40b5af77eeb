/** One error type for every failed OKX call, classified so callers can decide: retry, back off, or give up. */
import type { OkxEndpoint } from './endpoints.js';

export type OkxErrorKind = 'rate_limited' | 'bad_request' | 'network' | 'server' | 'malformed';
export const OKX_ERROR_KINDS: readonly OkxErrorKind[] = ['rate_limited', 'bad_request', 'network', 'server', 'malformed'];

export class OkxError extends Error {
  override readonly name = 'OkxError';
  constructor(
    readonly kind: OkxErrorKind,
    message: string,
    /** `cause`: for a network error, Node's error code (ECONNREFUSED …) or 'timeout'. */
    readonly details: { endpoint?: OkxEndpoint; httpStatus?: number; code?: string; cause?: string } = {},
  ) {
    super(message);
  }

  /** rate_limited, network and server errors may succeed later; bad_request and malformed will not by waiting alone. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'network' || this.kind === 'server';
  }
}

/** OKX codes that mean "the exchange is unwell, try later". */
const SERVER_CODES = new Set(['50001', '50004', '50013', '50026']);

/**
 * Classifies a response that did not carry usable data. `code` is the envelope code if the body
 * was JSON. 50011 is a rate limit whatever the HTTP status (OKX also sends it with 200).
 */
export function classifyResponse(httpStatus: number, code: string | undefined): OkxErrorKind {
  if (httpStatus === 429 || code === '50011') return 'rate_limited';
  if (httpStatus >= 500 || (code !== undefined && SERVER_CODES.has(code))) return 'server';
  return 'bad_request';
}

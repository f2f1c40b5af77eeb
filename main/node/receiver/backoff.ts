import type { BackoffPolicy } from '../timing/backoff.js';

/** The sync loops' retry timing (a peer's run and its change stream); tests shrink it, this suits a real LAN. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 300_000 };

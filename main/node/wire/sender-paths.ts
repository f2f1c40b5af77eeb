/**
 * Where the sender port's paths live. Below both the sender's own routes (sender/) and the pairing
 * routes it also serves (pairing/), so neither folder reaches up into the other for them.
 */
export const SENDER_PREFIX = '/api/data-sync/sender';

/** The only routes an unpaired device may call (sender/access.ts: TLS with a client certificate, no token). */
export const PAIR_PREFIX = `${SENDER_PREFIX}/pair`;

import type { Reasoned } from '../../../preload/contract/reasons.js';
import type { PeerLoop } from './peer-loop.js';
import type { StoredPeer } from './peer-store.js';

const lastFailed: Reasoned = { reason: 'peer.last_failed', params: {} };

/**
 * The loop's reason for its last failure, else the stored one (migration 011); for an error stored
 * before that (the English only), what its state tells, else "the last sync failed".
 */
export function peerReason(p: StoredPeer, loop: PeerLoop | undefined): Reasoned | null {
  if (p.lastError === null) return null;
  if (loop?.lastErrorReason) return loop.lastErrorReason;
  if (p.lastErrorReason) return p.lastErrorReason;
  if (p.state === 'identity_changed') return { reason: 'peer.identity_changed', params: {} };
  if (p.state === 'pairing_required') return { reason: 'peer.pairing_required', params: {} };
  return lastFailed;
}

/** A dataset's own failure: the loop's reason for it, else the stored one, else "the last sync failed". */
export const datasetReason = (loop: PeerLoop | undefined, code: string, stored?: Reasoned | null): Reasoned =>
  loop?.datasetReasons.get(code) ?? stored ?? lastFailed;

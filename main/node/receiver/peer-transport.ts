import { isLoopback } from '../sender/listener.js';

/** How the receiver may reach a peer, decided before anything (the token above all) is sent. */
export type PeerTransport =
  { kind: 'tls'; url: string; fingerprint: string } | { kind: 'loopback_http'; url: string } | { kind: 'needs_pairing'; why: string };

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
};

/**
 * A paired peer (a pinned fingerprint) is always reached over TLS to that certificate. A peer
 * added by URL + token (before pairing existed) keeps working over plain HTTP on this machine
 * only; on the LAN, or over https without a pin, it is asked to pair: its token must not cross the
 * network unencrypted, nor go to a certificate nobody checked.
 */
export function transportOf(p: { url: string; fingerprint: string | null }): PeerTransport {
  if (p.fingerprint) return { kind: 'tls', url: p.url.replace(/^http:/, 'https:'), fingerprint: p.fingerprint };
  if (p.url.startsWith('http:') && isLoopback(hostOf(p.url) === 'localhost' ? '127.0.0.1' : hostOf(p.url))) {
    return { kind: 'loopback_http', url: p.url };
  }
  return {
    kind: 'needs_pairing',
    why: p.url.startsWith('http:')
      ? 'This peer is on the network over plain HTTP: pair it (Pair) so its data and token travel over TLS to its pinned certificate.'
      : 'This peer is not paired yet: pair it (Pair) to pin its certificate; nothing is sent to it until then.',
  };
}

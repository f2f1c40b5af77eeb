/**
 * Network failure causes a peer or pairing error carries ({cause}: Node's error code or undici's
 * message), as words; keys are the cause with non-word characters as '_' (lib/errors.ts).
 */
export const causesEn = {
  'cause.ECONNREFUSED': 'connection refused',
  'cause.ECONNRESET': 'connection reset',
  'cause.ETIMEDOUT': 'timed out',
  'cause.UND_ERR_CONNECT_TIMEOUT': 'timed out',
  'cause.UND_ERR_SOCKET': 'connection dropped',
  'cause.ENOTFOUND': 'host not found',
  'cause.EAI_AGAIN': 'name lookup failed',
  'cause.EHOSTUNREACH': 'host unreachable',
  'cause.ENETUNREACH': 'network unreachable',
  'cause.bad_port': 'a port browsers and Node refuse to use',
  'cause.fetch_failed': 'request failed',
} as const;

import type { LookupFunction } from 'node:net';
import type { ClientRequest } from 'node:http';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import WebSocket from 'ws';
import { fingerprintOf } from '../security/certificate.js';

/** What this node presents as a TLS client: its own certificate, so the sender knows the device. */
export interface ClientIdentity {
  certPem: string;
  keyPem: string;
}

/** The peer presented a certificate other than the one pinned when pairing. */
export class IdentityChangedError extends Error {
  readonly code = 'CSN_IDENTITY_CHANGED';
  constructor(
    readonly expected: string,
    readonly presented: string | null,
  ) {
    super("The peer's identity changed — pair again.");
    this.name = 'IdentityChangedError';
  }
}

export interface PinOptions {
  /** The pinned SHA-256 (hex) of the peer's certificate; null only while pairing: the first one seen is kept (then pinned). */
  pin: string | null;
  identity?: ClientIdentity;
  /** Lets a DNS module (c-ares) resolve names later; loopback and addresses need none. */
  lookup?: LookupFunction;
  /** Told the fingerprint of every certificate the peer presented (pairing binds the code to it). */
  onCertificate?: (fingerprint: string) => void;
}

const peerFingerprint = (socket: TLSSocket): string | null => {
  const cert = socket.getPeerX509Certificate?.();
  return cert ? fingerprintOf(cert) : null;
};

/**
 * Trust is the pinned fingerprint, not a CA: the certificate chain is not verified (every node's
 * certificate is self-signed), and instead each new connection's certificate is compared with the
 * pin before anything — the token included — is written to it. Session resumption is off so every
 * connection shows its certificate.
 */
function tlsOptions(o: PinOptions) {
  return {
    rejectUnauthorized: false,
    // One context per agent: given the PEM strings, every connection parsed the key again (~1 ms each).
    secureContext: createSecureContext({
      minVersion: 'TLSv1.3',
      ...(o.identity && { cert: o.identity.certPem, key: o.identity.keyPem }),
    }),
    ...(o.lookup && { lookup: o.lookup }),
  };
}

/** Checks a connected socket against the pin (adopting the first certificate when pairing). */
function checker(o: PinOptions): (socket: TLSSocket) => IdentityChangedError | null {
  let pin = o.pin;
  return (socket) => {
    const got = peerFingerprint(socket);
    if (got) o.onCertificate?.(got);
    if (pin === null && got) pin = got;
    return got !== null && got === pin ? null : new IdentityChangedError(pin ?? '', got);
  };
}

/** An undici dispatcher that only talks to the pinned peer (HTTP keep-alive reuses checked connections). */
export function pinnedAgent(o: PinOptions & { connections?: number }): Agent {
  const connect = buildConnector({ ...tlsOptions(o), maxCachedSessions: 0 } as buildConnector.BuildOptions);
  const check = checker(o);
  return new Agent({
    connections: o.connections ?? 4,
    connect: (opts, callback) =>
      connect(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        if (opts.protocol !== 'https:') return callback(null, socket);
        const refused = check(socket as TLSSocket);
        if (refused) {
          socket.destroy();
          return callback(refused, null);
        }
        callback(null, socket);
      }),
  });
}

/**
 * A WebSocket to the pinned peer. The upgrade request (which carries the token) is held until the
 * handshake finished and the certificate matched; a mismatch destroys it unsent.
 */
export function pinnedWebSocket(url: string, o: PinOptions & { headers: Record<string, string>; handshakeTimeout: number }): WebSocket {
  const secure = url.startsWith('wss:');
  const check = checker(o);
  return new WebSocket(url, {
    headers: o.headers,
    handshakeTimeout: o.handshakeTimeout,
    ...(secure && tlsOptions(o)),
    finishRequest: (req: ClientRequest) => {
      if (!secure) return void req.end();
      req.once('socket', (socket) => {
        socket.once('secureConnect', () => {
          const refused = check(socket as TLSSocket);
          if (refused) req.destroy(refused);
          else req.end();
        });
      });
    },
  });
}

/** The IdentityChangedError somewhere in an error's cause chain (fetch wraps connector errors). */
export function identityChangedIn(e: unknown): IdentityChangedError | null {
  for (let cur = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof IdentityChangedError) return cur;
  }
  return null;
}

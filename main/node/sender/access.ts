import type { FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';
import type { SenderConfig } from '../../../preload/contract/sender.js';
import { fingerprintOf } from '../security/certificate.js';
import { bearerOf, type SenderToken } from './auth.js';
import type { Device, DeviceStore } from '../security/devices.js';
import type { SenderErrorCode, WireReason } from '../wire/sender-errors.js';
import { isLoopback } from './listener.js';
import { SENDER_PREFIX } from '../wire/sender-paths.js';

/** Who is asking: a paired device, the shared token (scripts, older peers), or a device pairing now. */
export type Caller =
  { kind: 'device'; device: Device } | { kind: 'shared' } | { kind: 'pairing'; clientFingerprint: string; address: string };

export type Access = { ok: true; caller: Caller } | { ok: false; code: SenderErrorCode; message: string; detail?: WireReason };

/** Route option: `config: { access: 'pairing' }` opens a route to unpaired devices (the PAKE is its authentication). */
export type RouteAccess = 'token' | 'pairing';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    senderCaller: Caller | null;
  }
}

const clientPrints = new WeakMap<object, string | null>();

/** The SHA-256 of the certificate the TLS client presented (null: none, or plain HTTP). One per connection. */
export function clientFingerprint(req: FastifyRequest): string | null {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.encrypted) return null;
  if (!clientPrints.has(socket)) {
    const cert = socket.getPeerX509Certificate?.();
    clientPrints.set(socket, cert ? fingerprintOf(cert) : null);
  }
  return clientPrints.get(socket) ?? null;
}

const PAIR_HINT = 'pair this device with the sender: Sync › Receiver › Pair, with the code from Sync › Sender › Pair a device';

/**
 * The one access decision of the sender port, made in its onRequest hook for every route (a new
 * route is covered without doing anything): every route needs a token unless it opts into
 * pairing. A device token is valid only over TLS with the same client certificate it was issued
 * to, so a copied token alone gets nowhere.
 */
export function decideAccess(req: FastifyRequest, deps: { devices: DeviceStore; token: SenderToken; config: () => SenderConfig }): Access {
  const fail = (code: SenderErrorCode, message: string, reason?: string): Access => ({
    ok: false,
    code,
    message,
    ...(reason && { detail: { reason } }),
  });
  const config = deps.config();
  const encrypted = Boolean((req.socket as Partial<TLSSocket>).encrypted);
  const address = req.socket.remoteAddress ?? 'unknown';
  if (!encrypted && !(config.loopbackHttp && isLoopback(address))) {
    return fail('bad_input', 'This sender speaks HTTPS (TLS 1.3) only: use https://.');
  }
  const fp = clientFingerprint(req);
  if (req.routeOptions.config?.access === 'pairing') {
    if (!fp) return fail('bad_input', `Pairing needs TLS with this node's certificate as client certificate: ${PAIR_HINT}.`);
    return { ok: true, caller: { kind: 'pairing', clientFingerprint: fp, address } };
  }
  const path = req.url.split('?', 1)[0];
  // Browsers cannot set headers on a WebSocket, so the stream alone also takes ?token=.
  const queryToken = path === `${SENDER_PREFIX}/stream` ? (req.query as Record<string, unknown> | undefined)?.token : undefined;
  const presented = bearerOf(req.headers.authorization) ?? (typeof queryToken === 'string' ? queryToken : undefined);
  const device = deps.devices.byToken(presented);
  if (device) {
    if (device.revoked) return fail('unauthorized', `This device's pairing was revoked on the sender; ${PAIR_HINT}.`, 'peer.revoked');
    if (!encrypted) return fail('unauthorized', 'A device token is accepted only over TLS: use https://.');
    if (fp !== device.fingerprint) {
      return fail('unauthorized', `This token was issued to another device (the client certificate does not match); ${PAIR_HINT}.`);
    }
    deps.devices.touch(device.id, address);
    return { ok: true, caller: { kind: 'device', device } };
  }
  if (deps.token.matches(presented)) {
    if (config.legacyToken) return { ok: true, caller: { kind: 'shared' } };
    return fail('unauthorized', `The shared sender token is switched off on this sender; ${PAIR_HINT}.`, 'peer.shared_token_off');
  }
  return fail('unauthorized', `Missing or wrong token: ${PAIR_HINT}.`);
}

import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The pairing PAKE: CPace (draft-irtf-cfrg-cpace) over ristretto255, the ideas only, our code.
 *
 * Both sides derive a secret generator from the short code AND both certificate fingerprints (the
 * server's as the client saw it in TLS, the client's as the server saw it), exchange one random
 * multiple of it, and agree on a key only if every one of those inputs matched. Why not an HMAC of
 * the code: a relay that saw such an HMAC could try all 10^6 codes offline. Here a share is a
 * uniformly random group element whatever the code, so what a relay sees says nothing about the
 * code; an active attacker learns one guess per attempt (and the sender allows 3). A relay in the
 * middle presents its own certificate to each side, so each side feeds a different fingerprint
 * into the generator and the key confirmation fails on both.
 */

const DSI = 'CoinSyncNode/CPace-ristretto255/v1';
const Point = ristretto255.Point;
const ORDER = Point.Fn.ORDER;

export interface CpaceContext {
  /** The digits shown on the sender's screen. */
  code: string;
  /** SHA-256 (hex) of the sender's TLS certificate, as the client saw it. */
  serverFingerprint: string;
  /** SHA-256 (hex) of the client's TLS certificate, as the sender saw it. */
  clientFingerprint: string;
  /** The client's fresh random session id (16 bytes): a new generator for every attempt. */
  sid: Uint8Array;
}

export interface CpaceShare {
  scalar: bigint;
  share: Uint8Array;
}

export interface CpaceKeys {
  /** Key-confirmation MACs: the server's and the client's, each over the whole transcript. */
  serverMac: Buffer;
  clientMac: Buffer;
  /** Seals what the sender hands over (the device token) to this exchange. */
  sealKey: Buffer;
}

function lv(...parts: (Uint8Array | string)[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    out.push(len, b);
  }
  return Buffer.concat(out);
}

function generator(ctx: CpaceContext) {
  const code = ctx.code.replace(/\D/g, '');
  const prs = lv(code, Buffer.from(ctx.serverFingerprint, 'hex'), Buffer.from(ctx.clientFingerprint, 'hex'), ctx.sid);
  return ristretto255_hasher.hashToCurve(prs, { DST: `${DSI}/generator` });
}

function randomScalar(): bigint {
  for (;;) {
    const s = BigInt(`0x${randomBytes(64).toString('hex')}`) % ORDER;
    if (s !== 0n) return s;
  }
}

/** This side's secret scalar and public share (32 bytes). */
export function cpaceShare(ctx: CpaceContext): CpaceShare {
  const scalar = randomScalar();
  return { scalar, share: generator(ctx).multiply(scalar).toBytes() };
}

/**
 * The shared keys from our scalar and both shares, or null when the peer's share is not a valid
 * element, is the identity, or reflects our own (each would let an attacker fix the key).
 */
export function cpaceKeys(ctx: CpaceContext, own: CpaceShare, peerShare: Uint8Array, role: 'server' | 'client'): CpaceKeys | null {
  if (peerShare.length !== 32 || Buffer.from(peerShare).equals(Buffer.from(own.share))) return null;
  let peer;
  try {
    peer = Point.fromBytes(peerShare);
  } catch {
    return null;
  }
  if (peer.is0()) return null;
  const k = peer.multiply(own.scalar);
  if (k.is0()) return null;
  const [serverShare, clientShare] = role === 'server' ? [own.share, peerShare] : [peerShare, own.share];
  const transcript = lv(
    DSI,
    ctx.sid,
    serverShare,
    clientShare,
    Buffer.from(ctx.serverFingerprint, 'hex'),
    Buffer.from(ctx.clientFingerprint, 'hex'),
  );
  const isk = createHash('sha512')
    .update(lv('isk', transcript, k.toBytes()))
    .digest();
  const sub = (label: string) => Buffer.from(hkdfSync('sha256', isk, ctx.sid, label, 32));
  return {
    serverMac: createHmac('sha256', sub('confirm server')).update(transcript).digest(),
    clientMac: createHmac('sha256', sub('confirm client')).update(transcript).digest(),
    sealKey: sub('seal'),
  };
}

export function macMatches(expected: Buffer, presented: Uint8Array): boolean {
  return presented.length === expected.length && timingSafeEqual(expected, presented);
}

/** AES-256-GCM: nonce ‖ ciphertext ‖ tag, base64url. */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]).toString('base64url');
}

export function unseal(key: Buffer, sealed: string, aad: string): string | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 12 + 16) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(aad));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

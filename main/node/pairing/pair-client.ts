import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { z } from 'zod';
import { isErrorReason, type Reasoned } from '../../../preload/contract/reasons.js';
import { identityChangedIn, pinnedAgent, type ClientIdentity } from '../net/pinned-tls.js';
import { nodeIdOf } from '../security/node-id.js';
import { cpaceKeys, cpaceShare, macMatches, unseal } from './cpace.js';
import { PAIR_PREFIX } from '../wire/sender-paths.js';

/** Why pairing failed, as one sentence for the person pairing (and nothing was saved). */
export class PairingError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'wrong_code' | 'not_the_node' | 'mitm' | 'not_sync_node',
    message: string,
    /** What the UI says in its language; `message` stays English for the log. */
    readonly detail: Reasoned,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

const Hello = z.object({ v: z.literal(1), nodeId: z.string(), name: z.string(), open: z.boolean() });
const StartAnswer = z.object({ v: z.literal(1), share: z.string(), nodeId: z.string(), name: z.string() });
const ConfirmAnswer = z.object({ mac: z.string(), sealed: z.string(), deviceId: z.string() });
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    reason: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
});

export interface Paired {
  /** The sender's certificate as seen in TLS, now proven by the code: what the receiver pins. */
  fingerprint: string;
  nodeId: string;
  name: string;
  /** This device's own token on that sender. */
  token: string;
}

/**
 * The receiver's side of pairing (the sender's is pairing-host.ts). It learns the sender's
 * certificate from the TLS handshake (or checks it against the node ID the user expects), runs
 * CPace bound to that certificate and to its own client certificate, and accepts the token only
 * after the sender proved it knows the code. A relay in the middle shows us its own certificate,
 * so its key differs from the sender's and the proof fails here too.
 */
export async function pairWithSender(o: {
  url: string;
  code: string;
  identity: ClientIdentity & { fingerprint: string };
  name: string;
  /** The fingerprint behind the node ID the user expects (from the link or a discovered node). */
  expectFingerprint?: string;
  timeoutMs?: number;
}): Promise<Paired> {
  const base = o.url.replace(/^http:/, 'https:').replace(/\/+$/, '');
  const seen: string[] = [];
  const agent = pinnedAgent({
    pin: o.expectFingerprint ?? null,
    identity: o.identity,
    connections: 1,
    onCertificate: (fp) => seen.push(fp),
  });
  const notSyncNode = () =>
    new PairingError('not_sync_node', `${base} did not answer like a Coin Sync Node sender.`, {
      reason: 'pairing.not_sync_node',
      params: { url: base },
    });
  const mitm = (message: string) => new PairingError('mitm', message, { reason: 'pairing.mitm' });
  const call = async <S extends z.ZodType>(path: string, schema: S, body?: unknown): Promise<z.output<S>> => {
    let res;
    let text: string;
    try {
      res = await fetch(`${base}${PAIR_PREFIX}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: agent,
        signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
      });
      text = await res.text();
    } catch (e) {
      if (identityChangedIn(e)) {
        if (seen.length > 1) {
          throw new PairingError(
            'mitm',
            'The sender presented two different certificates during pairing: someone may be between the two nodes. Nothing was saved.',
            { reason: 'pairing.mitm' },
          );
        }
        const shown = seen[0] ? nodeIdOf(seen[0]) : '—';
        throw new PairingError(
          'not_the_node',
          `The node at ${base} is not the one whose node ID you expected (it shows ${shown}). Nothing was saved.`,
          { reason: 'pairing.not_the_node', params: { nodeId: shown } },
        );
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = String(cause?.code ?? cause?.message ?? (e as Error).message).slice(0, 60);
      throw new PairingError('unreachable', `Cannot reach ${base} (${why}).`, {
        reason: 'pairing.unreachable',
        params: { url: base, cause: why },
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw notSyncNode();
    }
    if (!res.ok) {
      const err = ErrorBody.safeParse(json);
      if (!err.success || res.status === 404) throw notSyncNode();
      const { message, reason, params } = err.data.error;
      throw new PairingError(res.status === 401 ? 'wrong_code' : 'refused', message, {
        reason: isErrorReason(reason) ? reason : 'pairing.not_sync_node',
        params: params ?? { url: base },
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw notSyncNode();
    return parsed.data;
  };
  try {
    const hello = await call('/hello', Hello);
    const serverFingerprint = seen[0]!;
    if (nodeIdOf(serverFingerprint) !== hello.nodeId) {
      throw mitm('The sender’s node ID does not match its certificate: someone may be between the two nodes. Nothing was saved.');
    }
    if (!hello.open) {
      throw new PairingError('refused', `No pairing code is open on ${hello.name}: open Sync › Sender › Pair a device on it first.`, {
        reason: 'pairing.no_code',
        params: { name: hello.name.slice(0, 64) },
      });
    }
    const sid = randomBytes(16);
    const ctx = { code: o.code, serverFingerprint, clientFingerprint: o.identity.fingerprint, sid };
    const own = cpaceShare(ctx);
    const started = await call('/start', StartAnswer, {
      v: 1,
      sid: sid.toString('base64url'),
      share: Buffer.from(own.share).toString('base64url'),
      name: o.name.slice(0, 64),
    });
    const keys = cpaceKeys(ctx, own, Buffer.from(started.share, 'base64url'), 'client');
    if (!keys) throw mitm('The sender’s pairing answer is not valid: someone may be between the two nodes. Nothing was saved.');
    const confirmed = await call('/confirm', ConfirmAnswer, { sid: sid.toString('base64url'), mac: keys.clientMac.toString('base64url') });
    const token = macMatches(keys.serverMac, Buffer.from(confirmed.mac, 'base64url'))
      ? unseal(keys.sealKey, confirmed.sealed, sid.toString('hex'))
      : null;
    if (!token) {
      throw mitm(
        'The sender could not prove it knows the code: someone may be between the two nodes. Nothing was saved; pair again on a network you trust.',
      );
    }
    return { fingerprint: serverFingerprint, nodeId: nodeIdOf(serverFingerprint), name: hello.name, token };
  } finally {
    await agent.close().catch(() => {});
  }
}

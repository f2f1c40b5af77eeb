import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { describeZodError } from '../../../preload/contract/issues.js';
import {
  PAIRING_CODE_DIGITS,
  PAIRING_MAX_ATTEMPTS,
  PAIRING_TTL_MS,
  formatPairLink,
  type PairingOutcome,
  type PairingState,
} from '../../../preload/contract/pairing.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import type { NodeIdentity } from '../security/identity.js';
import { nodeIdOf } from '../security/node-id.js';
import type { DeviceStore } from '../security/devices.js';
import { SenderHttpError } from '../wire/sender-errors.js';
import { cpaceKeys, cpaceShare, macMatches, seal, type CpaceKeys } from './cpace.js';

const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
    .transform((s) => Buffer.from(s, 'base64url'))
    .refine((b) => b.length === bytes, `must be ${bytes} bytes`);

export const PairStartBody = z.object({ v: z.literal(1), sid: b64(16), share: b64(32), name: z.string().trim().min(1).max(64) }).strict();
export const PairConfirmBody = z.object({ sid: b64(16), mac: b64(32) }).strict();

interface Session {
  clientFingerprint: string;
  name: string;
  keys: CpaceKeys;
}

interface OpenCode {
  code: string;
  expiresAt: number;
  attemptsLeft: number;
  address: string | null;
  /** Every share and session id seen for this code: a replayed message is refused, not answered. */
  seen: Set<string>;
  sessions: Map<string, Session>;
  timer: NodeJS.Timeout;
}

export interface PairingHostDeps {
  identity: NodeIdentity;
  devices: DeviceStore;
  bus: EventBus;
  log: Logger;
  name: () => string;
  /** host:port addresses a device could use now (loopback first). */
  addresses: () => string[];
  now?: () => number;
}

/**
 * The sender's side of pairing: one open code at a time, valid 5 minutes, 3 attempts (each start
 * of an exchange is one, so one online guess each), one device per code. The exchange is CPace
 * (cpace.ts) bound to this node's certificate and the client certificate of the connection; on
 * success the device gets its own token, sealed to the exchange's key.
 */
export class PairingHost {
  private open: OpenCode | null = null;
  private last: PairingState['last'] = null;
  private readonly now: () => number;

  constructor(private readonly d: PairingHostDeps) {
    this.now = d.now ?? Date.now;
  }

  start(address?: string): PairingState {
    this.close(null);
    const code = String(randomInt(0, 10 ** PAIRING_CODE_DIGITS)).padStart(PAIRING_CODE_DIGITS, '0');
    const expiresAt = this.now() + PAIRING_TTL_MS;
    const timer = setTimeout(() => this.finish('expired', 'The pairing code expired before a device used it.', null), PAIRING_TTL_MS);
    timer.unref();
    const addresses = this.d.addresses();
    const chosen =
      address && addresses.includes(address) ? address : (addresses.find((a) => !a.startsWith('127.')) ?? addresses[0] ?? null);
    this.open = { code, expiresAt, attemptsLeft: PAIRING_MAX_ATTEMPTS, address: chosen, seen: new Set(), sessions: new Map(), timer };
    this.d.log.info(`pairing opened for 5 minutes${chosen ? ` (link address ${chosen})` : ''}`);
    return this.changed();
  }

  cancel(): PairingState {
    if (this.open) this.finish('cancelled', 'Pairing was cancelled on this node.', null);
    return this.state();
  }

  state(): PairingState {
    const o = this.open;
    const identity = { nodeId: this.d.identity.nodeId, fingerprint: this.d.identity.fingerprint };
    const split = o?.address ? /^\[?(.+?)\]?:(\d+)$/.exec(o.address) : null;
    return {
      active: o !== null,
      code: o?.code ?? null,
      expiresAt: o?.expiresAt ?? null,
      attemptsLeft: o?.attemptsLeft ?? 0,
      link: o && split ? formatPairLink({ host: split[1]!, port: Number(split[2]), nodeId: identity.nodeId, code: o.code }) : null,
      address: o?.address ?? null,
      addresses: this.d.addresses(),
      identity,
      last: this.last,
    };
  }

  /** Step 1 (POST pair/start): the device's share in, ours out. Consumes one attempt. */
  handleStart(caller: { clientFingerprint: string; address: string }, raw: unknown) {
    const body = PairStartBody.safeParse(raw);
    if (!body.success)
      throw new SenderHttpError('bad_input', `Not a pairing message: ${describeZodError(body.error, '', 1)}.`, {
        reason: 'pairing.bad_message',
      });
    const o = this.usable();
    const sid = body.data.sid.toString('hex');
    const share = body.data.share.toString('hex');
    if (o.seen.has(sid) || o.seen.has(share)) {
      throw new SenderHttpError('conflict', 'This pairing message was already used (a replay?); start pairing again on the receiver.', {
        reason: 'pairing.replayed',
      });
    }
    o.seen.add(sid).add(share);
    o.attemptsLeft -= 1;
    const ctx = {
      code: o.code,
      serverFingerprint: this.d.identity.fingerprint,
      clientFingerprint: caller.clientFingerprint,
      sid: body.data.sid,
    };
    const own = cpaceShare(ctx);
    const keys = cpaceKeys(ctx, own, body.data.share, 'server');
    if (!keys) {
      this.changed();
      throw new SenderHttpError('bad_input', 'The pairing share is not a valid group element.', { reason: 'pairing.bad_message' });
    }
    o.sessions.set(sid, { clientFingerprint: caller.clientFingerprint, name: body.data.name, keys });
    this.d.log.info(`pairing attempt from ${caller.address} (${body.data.name}); ${o.attemptsLeft} left after this one`);
    this.changed();
    return { v: 1, share: Buffer.from(own.share).toString('base64url'), nodeId: this.d.identity.nodeId, name: this.d.name() };
  }

  /** Step 2 (POST pair/confirm): the device proves the code; we prove it back and hand over its token. */
  handleConfirm(caller: { clientFingerprint: string; address: string }, raw: unknown) {
    const body = PairConfirmBody.safeParse(raw);
    if (!body.success)
      throw new SenderHttpError('bad_input', `Not a pairing message: ${describeZodError(body.error, '', 1)}.`, {
        reason: 'pairing.bad_message',
      });
    const o = this.usable(true);
    const sid = body.data.sid.toString('hex');
    const session = o.sessions.get(sid);
    if (!session)
      throw new SenderHttpError(
        'conflict',
        'No such pairing exchange (it was already used, or replayed); start pairing again on the receiver.',
        { reason: 'pairing.replayed' },
      );
    o.sessions.delete(sid);
    if (session.clientFingerprint !== caller.clientFingerprint) {
      throw new SenderHttpError('forbidden', 'The confirmation came with another certificate than the start; start pairing again.', {
        reason: 'pairing.other_certificate',
      });
    }
    if (!macMatches(session.keys.clientMac, body.data.mac)) {
      const left = o.attemptsLeft;
      const message =
        left > 0
          ? `The code did not match (a wrong code, or someone between the two nodes): ${left} ${left === 1 ? 'try' : 'tries'} left.`
          : 'The code did not match 3 times and is now void: start pairing again on the sender.';
      this.d.log.warn(`pairing: wrong code from ${caller.address} (${session.name})`);
      if (left > 0) {
        this.last = { outcome: 'wrong_code', at: this.now(), message, device: null };
        this.changed();
      } else this.finish('void', message, null);
      throw new SenderHttpError(
        'unauthorized',
        message,
        left > 0 ? { reason: 'pairing.wrong_code', params: { left } } : { reason: 'pairing.void' },
      );
    }
    for (const d of this.d.devices.list()) {
      // The same device pairing again replaces its old token.
      if (d.fingerprint === session.clientFingerprint && d.revokedAt === null) this.d.devices.revoke(d.id);
    }
    const { device, token } = this.d.devices.add({ name: session.name, fingerprint: session.clientFingerprint }, this.now());
    const nodeId = nodeIdOf(session.clientFingerprint);
    this.finish('paired', `Paired with ${session.name}.`, { name: session.name, nodeId });
    this.d.log.info(`paired with ${session.name} (${nodeId}) from ${caller.address}`);
    this.d.bus.emit('devices.changed', { devices: this.d.devices.list() });
    return {
      mac: session.keys.serverMac.toString('base64url'),
      sealed: seal(session.keys.sealKey, token, sid),
      deviceId: device.id,
    };
  }

  /** What a device may learn before pairing: who this is and whether a code is open. */
  hello() {
    const o = this.open && this.open.expiresAt > this.now() && this.open.attemptsLeft > 0 ? this.open : null;
    return { v: 1, nodeId: this.d.identity.nodeId, name: this.d.name(), open: o !== null };
  }

  stop(): void {
    this.close(null);
  }

  private usable(confirming = false): OpenCode {
    const o = this.open;
    if (!o)
      throw new SenderHttpError('forbidden', 'No pairing code is open on this sender: open Sync › Sender › Pair a device on it first.', {
        reason: 'pairing.no_code',
        params: { name: this.d.name() },
      });
    if (o.expiresAt <= this.now()) {
      this.finish('expired', 'The pairing code expired before a device used it.', null);
      throw new SenderHttpError('forbidden', 'The pairing code expired: start pairing again on the sender.', { reason: 'pairing.expired' });
    }
    if (!confirming && o.attemptsLeft <= 0) {
      throw new SenderHttpError('forbidden', 'This pairing code has no tries left: start pairing again on the sender.', {
        reason: 'pairing.no_tries_left',
      });
    }
    return o;
  }

  private finish(outcome: PairingOutcome, message: string, device: { name: string; nodeId: string } | null): void {
    this.close({ outcome, at: this.now(), message, device });
    this.changed();
  }

  private close(last: PairingState['last']): void {
    if (this.open) clearTimeout(this.open.timer);
    this.open = null;
    if (last) this.last = last;
  }

  private changed(): PairingState {
    const s = this.state();
    this.d.bus.emit('pairing.changed', s);
    return s;
  }
}

import { z } from 'zod';
import { Empty } from './core.js';
import { PeerUrl, type PeerStatus } from './receiver.js';

/** Pairing by a short code (`main/node/pairing/`): what the sender shows and the receiver types. */
export const PAIRING_CODE_DIGITS = 6;
export const PAIRING_TTL_MS = 5 * 60_000;
export const PAIRING_MAX_ATTEMPTS = 3;

/** A node's identity: its certificate-derived node ID (grouped for reading aloud) and the SHA-256 it comes from. */
export interface NodeIdentityView {
  nodeId: string;
  fingerprint: string;
}

export type PairingOutcome = 'paired' | 'wrong_code' | 'void' | 'expired' | 'cancelled';

/** The sender side of pairing: at most one open code at a time. */
export interface PairingState {
  active: boolean;
  code: string | null;
  expiresAt: number | null;
  attemptsLeft: number;
  /** `coinsync://pair?...` with address, node ID and code; what "Copy link" copies. */
  link: string | null;
  /** The address (host:port) the link carries. */
  address: string | null;
  /** Every address a device could use (host:port), to pick the one the link carries. */
  addresses: string[];
  identity: NodeIdentityView;
  /** What happened last (a device paired, a wrong code, ...), for the screen. */
  last: { outcome: PairingOutcome; at: number; message: string; device: { name: string; nodeId: string } | null } | null;
}

export interface PairedDevice {
  id: string;
  name: string;
  /** The device's node ID (from the client certificate it presented while pairing). */
  nodeId: string;
  fingerprint: string;
  pairedAt: number;
  lastSeen: number | null;
  lastAddress: string | null;
  requests: number;
  revokedAt: number | null;
}

const PAIR_SCHEME = 'coinsync:';
const Code = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(
    z.string().regex(new RegExp(`^\\d{${PAIRING_CODE_DIGITS},10}$`), `must be the ${PAIRING_CODE_DIGITS}-digit code shown on the sender`),
  );

/** `coinsync://pair?host=H&port=P&id=NODEID&code=C` (IPv6 hosts without brackets). */
export function formatPairLink(p: { host: string; port: number; nodeId: string; code: string }): string {
  const q = new URLSearchParams({ host: p.host, port: String(p.port), id: p.nodeId, code: p.code });
  return `${PAIR_SCHEME}//pair?${q.toString()}`;
}

export type ParsedPairLink = { ok: true; url: string; nodeId: string; code: string } | { ok: false; message: string };

export function parsePairLink(text: string): ParsedPairLink {
  const bad = (message: string): ParsedPairLink => ({ ok: false, message });
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return bad('This is not a pairing link: copy it from the sender’s Sync › Sender › Pair a device.');
  }
  if (u.protocol !== PAIR_SCHEME || u.hostname !== 'pair') return bad('This is not a pairing link (it must start with coinsync://pair).');
  const host = u.searchParams.get('host') ?? '';
  const port = Number(u.searchParams.get('port'));
  const nodeId = u.searchParams.get('id') ?? '';
  const code = Code.safeParse(u.searchParams.get('code') ?? '');
  if (!/^[\w.:-]{1,253}$/.test(host) || !Number.isInteger(port) || port < 1 || port > 65535)
    return bad('The pairing link has no valid address.');
  if (!code.success) return bad('The pairing link has no valid code.');
  if (!/^[A-Za-z2-7-]{56,63}$/.test(nodeId)) return bad('The pairing link has no valid node ID.');
  return { ok: true, url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, nodeId, code: code.data };
}

const PairByAddress = z
  .object({
    /** The sender's address: https://host:port (http:// is taken as https://; pairing is always TLS). */
    url: PeerUrl,
    code: Code,
    /** The node ID the user expects (from a discovered node or read off the sender's screen). */
    nodeId: z.string().trim().max(80).optional(),
    name: z.string().trim().min(1).max(64).optional(),
    /** Pair an existing peer again (identity changed, or an old URL + token peer): keeps its cursors. */
    peerId: z.string().min(1).max(64).optional(),
  })
  .strict();
const PairByLink = z
  .object({
    link: z.string().trim().min(1, 'paste the pairing link').max(600),
    name: z.string().trim().min(1).max(64).optional(),
    peerId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const pairingInputs = {
  /** Opens a code (replacing any open one); `address` picks which host:port the link carries. */
  'pairing.start': z.object({ address: z.string().max(300).optional() }).strict(),
  'pairing.cancel': Empty,
  'pairing.status': Empty,
  'devices.list': Empty,
  'devices.revoke': z.object({ id: z.string().min(1).max(64) }).strict(),
  /** On the receiver: pair with a sender by its link, or by address + code. */
  'peers.pair': z.union([PairByLink, PairByAddress]),
};

export interface PairResult {
  peer: PeerStatus;
  /** The sender as it proved itself: compare its node ID with the one on its screen. */
  remote: NodeIdentityView & { name: string };
}

export interface PairingOutputs {
  'pairing.start': PairingState;
  'pairing.cancel': PairingState;
  'pairing.status': PairingState;
  'devices.list': { devices: PairedDevice[] };
  'devices.revoke': { devices: PairedDevice[] };
  'peers.pair': PairResult;
}

export interface PairingEvents {
  'pairing.changed': PairingState;
  'devices.changed': { devices: PairedDevice[] };
}

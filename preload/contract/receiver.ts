import { z } from 'zod';
import { Empty } from './core.js';
import { because } from './issues.js';
import type { ErrorParams, ErrorReason, Reasoned } from './reasons.js';

/** A dataset code as the catalog spells it (PT002). */
const Code = z.string().refine((s) => /^[A-Z]{2,3}[0-9A-Z]{3}$/.test(s), because('dataset_code', 'must be a dataset code such as PT002'));

/** A sender's base URL: http(s)://host[:port], no query or fragment; a trailing slash is dropped. */
export const PeerUrl = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(300, 'at most 300 characters')
  .refine(
    (s) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(s) && URL.canParse(s),
    because('peer_url', 'must be an http:// or https:// address such as http://192.168.1.20:17411'),
  )
  .transform((s) => s.replace(/\/+$/, ''));

const peerFields = {
  name: z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters'),
  url: PeerUrl,
  /** The peer's sender token (Sync › Sender on that node). */
  token: z.string().trim().max(200, 'at most 200 characters'),
  /** Seconds between scheduled syncs (a stream announcement syncs at once regardless). */
  intervalSec: z.number().int('must be a whole number').min(1, 'must be at least 1 second').max(86_400, 'at most one day'),
  /** Lower runs first when several peers are due together (sync.all). */
  priority: z.number().int('must be a whole number').min(0, 'must be 0–100').max(100, 'must be 0–100'),
  enabled: z.boolean(),
  /** Dataset codes to pull; null = every syncable dataset both nodes know. */
  datasets: z.array(Code).max(100).nullable(),
};

export const PeerInputSchema = z
  .object({
    name: peerFields.name,
    url: peerFields.url,
    token: peerFields.token.default(''),
    intervalSec: peerFields.intervalSec.default(60),
    priority: peerFields.priority.default(5),
    enabled: peerFields.enabled.default(true),
    datasets: peerFields.datasets.default(null),
  })
  .strict();
export type PeerInput = z.output<typeof PeerInputSchema>;

export const PeerPatchSchema = z.object(peerFields).partial().strict();

/**
 * `pairing_required`: the peer is reached over the LAN without a pinned certificate (an older
 * URL + token peer), so nothing is sent until it is paired; `identity_changed`: it presented a
 * certificate other than the pinned one and is refused until paired again.
 */
export type PeerState = 'idle' | 'syncing' | 'backing_off' | 'auth_failed' | 'disabled' | 'pairing_required' | 'identity_changed';

export interface Peer {
  id: string;
  name: string;
  url: string;
  token: string;
  intervalSec: number;
  priority: number;
  enabled: boolean;
  datasets: string[] | null;
  createdAt: number;
}

export interface PeerDatasetStatus {
  code: string;
  /** Highest peer seq applied here. */
  cursor: number;
  /** The peer's max seq for this dataset as last seen (catalog or stream). */
  peerMaxSeq: number;
  /** peerMaxSeq − cursor (never negative). */
  lag: number;
  lastSyncAt: number | null;
  rowsIn: number;
  rowsInserted: number;
  rowsUpdated: number;
  /** The node's English words (shipped first; scripts read it); the UI says `lastErrorReason`. */
  lastError: string | null;
  /** Why, as a reason the UI says in its language; null with no error (absent from older nodes). */
  lastErrorReason?: Reasoned | null;
  state: PeerState;
}

export interface PeerStatus extends Peer {
  state: PeerState;
  /** The peer database's origin id as last seen (catalog `nodeId`): stamped on its rows; a new one means a new database. */
  nodeId: string | null;
  /** The pinned certificate of the peer and its node ID; null for a peer added by URL + token. */
  identity: { nodeId: string; fingerprint: string } | null;
  /** How this node reaches it: TLS to the pinned certificate, plain HTTP on loopback (older peers), or not until paired. */
  transport: 'tls' | 'loopback_http' | 'needs_pairing';
  pairedAt: number | null;
  lastSeen: number | null;
  /** The node's English words (shipped first; scripts read it); the UI says `lastErrorReason`. */
  lastError: string | null;
  /** Why the last run failed, as a reason the UI says in its language; null with no error (absent from older nodes). */
  lastErrorReason?: Reasoned | null;
  /** Consecutive failed runs. */
  failures: number;
  nextRunAt: number | null;
  streamConnected: boolean;
  datasets: string[] | null;
  datasetStatus: PeerDatasetStatus[];
}

export interface ReceiverConfig {
  /** Scheduled and stream-triggered syncs run (manual ones always do). */
  autoSync: boolean;
  /** Auto-sync held until this time (epoch ms); null = not paused. */
  pausedUntil: number | null;
  /** Announce this node on the LAN (when the sender's LAN is on) and list other nodes. */
  discovery: boolean;
}

export const ReceiverConfigPatchSchema = z
  .object({
    autoSync: z.boolean(),
    pausedUntil: z.number().int().min(0).nullable(),
    discovery: z.boolean(),
  })
  .partial()
  .strict();

export interface SyncStatus extends ReceiverConfig {
  peers: PeerStatus[];
}

export type RunTrigger = 'interval' | 'stream' | 'manual' | 'startup' | 'resync';

export interface SyncRun {
  id: number;
  peerId: string;
  startedAt: number;
  durationMs: number;
  trigger: RunTrigger;
  datasets: string[];
  pages: number;
  rowsIn: number;
  rowsInserted: number;
  rowsUpdated: number;
  ok: boolean;
  /** English (shipped first; scripts read it); the UI says `errorReason`. */
  error: string | null;
  /** Why the run failed, as a reason the UI says in its language; null for a run that did not (absent from older nodes). */
  errorReason?: Reasoned | null;
}

export interface PeerTestResult {
  ok: boolean;
  /** unreachable | wrong_token | not_allowed | not_sync_node | rate_limited | bad_url | ok */
  outcome:
    | 'ok'
    | 'unreachable'
    | 'wrong_token'
    | 'not_allowed'
    | 'not_sync_node'
    | 'rate_limited'
    | 'error'
    /** Not paired: nothing is sent to it (LAN over plain HTTP, or https without a pinned certificate). */
    | 'needs_pairing'
    | 'identity_changed';
  /** English, for scripts; the UI says `reason` instead. */
  message: string;
  reason?: ErrorReason;
  params?: ErrorParams;
  latencyMs: number | null;
  nodeId: string | null;
  protocol: number | null;
  datasets: { code: string; name: string; kind: 'syncable' | 'view'; rows: number | null; maxSeq: number }[];
  senderState: string | null;
}

export interface DiscoveredNode {
  /** The announced origin id (DNS-SD TXT `nodeid`, what older nodes announce). */
  nodeId: string;
  /** The announced certificate node ID (TXT `id`); null from a node older than pairing. */
  identityNodeId: string | null;
  name: string;
  host: string;
  addresses: string[];
  port: number;
  /** A URL to pre-fill the add-peer dialog with. */
  url: string;
  lastSeen: number;
  /** Already a peer (same node id or URL). */
  known: boolean;
}

export const receiverInputs = {
  'peers.list': Empty,
  'peers.add': PeerInputSchema,
  'peers.update': z.object({ id: z.string().min(1).max(64), patch: PeerPatchSchema }).strict(),
  'peers.remove': z.object({ id: z.string().min(1).max(64) }).strict(),
  /** Test a saved peer (id) or an unsaved one (url + token) before adding it. */
  'peers.test': z.union([
    z.object({ id: z.string().min(1).max(64) }).strict(),
    z.object({ url: PeerUrl, token: peerFields.token.default('') }).strict(),
  ]),
  'sync.all': Empty,
  'sync.peer': z.object({ id: z.string().min(1).max(64) }).strict(),
  'sync.dataset': z.object({ id: z.string().min(1).max(64), code: Code }).strict(),
  /** Resets a dataset's cursor for a peer and pulls it again from zero (merge keeps it duplicate-free). */
  'sync.resync': z.object({ id: z.string().min(1).max(64), code: Code }).strict(),
  /** Auto-sync on/off; pausedUntil holds it until a time (the tray's "pause for 1 h"). */
  'sync.auto': z.object({ on: z.boolean(), pausedUntil: z.number().int().min(0).nullable().optional() }).strict(),
  'sync.status': Empty,
  'sync.history': z.object({ id: z.string().min(1).max(64).optional(), limit: z.number().int().min(1).max(1_000).default(100) }).strict(),
  'receiver.config.get': Empty,
  'receiver.config.update': ReceiverConfigPatchSchema,
  'discovery.list': Empty,
};

export interface PeerRunOutcome {
  peerId: string;
  name: string;
  /** 'busy' when a sync of that peer was already running. */
  outcome: 'ok' | 'failed' | 'busy' | 'disabled';
  run: SyncRun | null;
}

export interface ReceiverOutputs {
  'peers.list': { peers: PeerStatus[] };
  'peers.add': PeerStatus;
  'peers.update': PeerStatus;
  'peers.remove': { removed: true };
  'peers.test': PeerTestResult;
  'sync.all': { results: PeerRunOutcome[] };
  'sync.peer': SyncRun;
  'sync.dataset': SyncRun;
  'sync.resync': SyncRun;
  'sync.auto': ReceiverConfig;
  'sync.status': SyncStatus;
  'sync.history': { runs: SyncRun[] };
  'receiver.config.get': ReceiverConfig;
  'receiver.config.update': ReceiverConfig;
  'discovery.list': { enabled: boolean; error: string | null; nodes: DiscoveredNode[] };
}

export interface ReceiverEvents {
  /** Peers, cursors or states changed (coalesced, at most a few times a second). */
  'sync.status': SyncStatus;
  /** A run finished. */
  'sync.run': SyncRun;
  /** A peer failed this many runs in a row (from the 3rd on, and at once on a token/allow-list refusal). */
  'sync.peer.failing': { peerId: string; peerName?: string; failures: number; lastError?: string };
  'discovery.changed': { nodes: DiscoveredNode[] };
}

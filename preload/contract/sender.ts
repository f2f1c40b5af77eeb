import { z } from 'zod';
import { Empty } from './core.js';
import { because } from './issues.js';
import type { Reasoned } from './reasons.js';

/** Version of the sender's wire format; a receiver refuses a page whose version it does not know. */
export const SYNC_PROTOCOL_VERSION = 1;

/** Loopback and the private ranges: the LAN a trader's machines share, nothing routable. */
export const DEFAULT_ALLOW_LIST = [
  '127.0.0.0/8',
  '::1/128',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
  'fe80::/10',
] as const;

export const DEFAULT_SENDER_PORT = 17411;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

/** One allow-list entry: an IPv4/IPv6 address, or a CIDR range such as 192.168.1.0/24 or fc00::/7. */
export const AllowEntry = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .refine(
    (s) => {
      const [addr = '', prefix, extra] = s.split('/');
      if (extra !== undefined) return false;
      const v4 = IPV4.test(addr);
      const v6 = !v4 && IPV6.test(addr) && addr.includes(':') && URL.canParse(`http://[${addr}]/`);
      if (!v4 && !v6) return false;
      if (prefix === undefined) return true;
      if (!/^\d{1,3}$/.test(prefix)) return false;
      return Number(prefix) <= (v4 ? 32 : 128);
    },
    because(
      'ip_or_cidr',
      'must be an IP address or a CIDR range such as 192.168.1.0/24 or fc00::/7 (prefix 0–32 for IPv4, 0–128 for IPv6)',
    ),
  );

/** Each field with its bounds, without defaults: the patch schema reuses them. */
const fields = {
  /** The sender listens at all (default on). */
  enabled: z.boolean(),
  /** Listen on every interface (0.0.0.0) instead of 127.0.0.1 only (default off). */
  lanEnabled: z.boolean(),
  /** TCP port; 0 picks a free one (tests). */
  port: z.number().int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535'),
  /** Client addresses allowed to connect; everything else gets 403. */
  allowList: z.array(AllowEntry).max(200, 'at most 200 entries'),
  /** Requests per minute per client address before 429 + Retry-After. */
  rateLimitPerMinute: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000, 'at most 1,000,000'),
  /** Largest `limit` a page may ask for. */
  maxPageRows: z.number().int('must be a whole number').min(1, 'must be at least 1').max(5_000, 'at most 5,000'),
  /** The one shared sender token (scripts, peers older than pairing) is accepted; paired devices use their own. */
  legacyToken: z.boolean(),
  /** Plain HTTP is accepted from loopback clients (scripts on the same machine); every other address must use TLS. */
  loopbackHttp: z.boolean(),
};

/**
 * The sender's configuration, persisted in SQLite (`sender_state` key `config`). Default: enabled,
 * loopback only (LAN off), port 17411, allow-list = loopback + private ranges, 1,200 requests a
 * minute per client, pages of at most 5,000 rows; the shared token and plain HTTP on loopback off (paired
 * devices only). Writable only through the control API.
 */
export const SenderConfigSchema = z
  .object({
    enabled: fields.enabled.default(true),
    lanEnabled: fields.lanEnabled.default(false),
    port: fields.port.default(DEFAULT_SENDER_PORT),
    allowList: fields.allowList.default([...DEFAULT_ALLOW_LIST]),
    rateLimitPerMinute: fields.rateLimitPerMinute.default(1_200),
    maxPageRows: fields.maxPageRows.default(5_000),
    legacyToken: fields.legacyToken.default(false),
    loopbackHttp: fields.loopbackHttp.default(false),
  })
  .strict();
export type SenderConfig = z.infer<typeof SenderConfigSchema>;

export const SenderConfigPatchSchema = z.object(fields).partial().strict();
export type SenderConfigPatch = z.infer<typeof SenderConfigPatchSchema>;

export interface DatasetInfo {
  code: string;
  name: string;
  nameZh: string;
  category: string;
  description: string;
  path: string;
  method: 'GET';
  /** Seconds between updates at the source (0 = on change). */
  interval: number;
  kind: 'syncable' | 'view';
  key: string[];
  columns: string[];
  /** Stored rows (syncable); null for a view, whose rows are computed per request. */
  rows: number | null;
  /** Highest seq of the dataset (of its source table for a view); 0 when empty. */
  maxSeq: number;
}

export interface SenderCounters {
  requests: number;
  ok: number;
  failed: number;
  rows: number;
  bytes: number;
  lastTs: number | null;
}

export interface SenderStats {
  protocol: number;
  nodeId: string;
  enabled: boolean;
  state: 'stopped' | 'running' | 'error';
  error: string | null;
  url: string | null;
  startedAt: number | null;
  uptimeMs: number;
  totals: SenderCounters;
  lastRequest: { ts: number; client: string; path: string; dataset: string | null; status: number } | null;
  datasets: Record<string, SenderCounters>;
  streamClients: number;
}

export interface SenderLogEntry {
  id: number;
  ts: number;
  client: string;
  method: string;
  path: string;
  dataset: string | null;
  status: number;
  rows: number;
  bytes: number;
  durationMs: number;
  error: string | null;
}

export interface SenderAddress {
  interface: string;
  family: 'IPv4' | 'IPv6';
  address: string;
  url: string;
}

export interface SenderConfigView {
  config: SenderConfig;
  /** The shared token (accepted only while `config.legacyToken` is on). */
  token: string;
  /** This node's certificate identity: what paired devices pin. */
  identity: { nodeId: string; fingerprint: string };
  state: SenderStats['state'];
  error: string | null;
  /** Why the sender is not listening, as a reason the UI says in its language (error stays the English). */
  errorReason?: Reasoned | null;
  /** Where it listens now (actual port when configured 0). */
  listening: { host: string; port: number; url: string } | null;
  /** Addresses a peer could use: loopback only unless LAN is on. */
  addresses: SenderAddress[];
}

/** How a logged request ended, as `sender.log` filters it. */
export const SenderLogOutcomeSchema = z.enum(['ok', 'failed']);

export const senderInputs = {
  'sender.config.get': Empty,
  'sender.config.update': SenderConfigPatchSchema,
  'sender.token.rotate': Empty,
  'sender.stats': Empty,
  'sender.catalog': Empty,
  'sender.log': z
    .object({
      limit: z.number().int().min(1).max(1_000).default(100),
      /** Page backwards: entries with id < beforeId. */
      beforeId: z.number().int().min(1).optional(),
      dataset: z.string().max(16).optional(),
      client: z.string().max(64).optional(),
      outcome: SenderLogOutcomeSchema.optional(),
    })
    .strict(),
};

export interface SenderOutputs {
  'sender.config.get': SenderConfigView;
  'sender.config.update': SenderConfigView;
  'sender.token.rotate': SenderConfigView;
  'sender.stats': SenderStats;
  'sender.catalog': { protocol: number; datasets: DatasetInfo[] };
  'sender.log': { entries: SenderLogEntry[] };
}

export interface SenderEvents {
  /** At most once a second while requests are served. */
  'sender.stats': SenderStats;
}

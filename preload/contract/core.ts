import { z } from 'zod';
import { SettingsPatchSchema, type Settings } from './settings.js';

export const Empty = z.object({}).strict();

export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

export interface LogLine {
  /** Increasing within one run of the node; lets a follower ask for "everything after id". */
  id: number;
  ts: number;
  level: LogLevel;
  source: string;
  message: string;
}

export interface ComponentStatus {
  name: string;
  state: 'idle' | 'running' | 'stopped' | 'error';
  detail?: string;
  /** The detail as a message the UI can say in its language: `comp.<key>` with these values (detail stays the English). */
  text?: { key: string; params?: Record<string, string | number> };
  /** Rows this part still has to hand on elsewhere (the warehouse mirror's lag): "safe to close" waits for 0. */
  behindRows?: number;
}

export interface NodeStatus {
  /** The node ID from this node's certificate (grouped, with check characters): what peers pin and people compare. */
  nodeId: string;
  /** SHA-256 of the certificate (hex). */
  fingerprint: string;
  /** The store's id, stamped as `origin` on every row this node writes (kept from before certificates; see security/identity-and-origin.ts). */
  originId: string;
  nodeName: string;
  version: string;
  mode: 'desktop' | 'headless';
  simulate: boolean;
  startedAt: number;
  uptimeMs: number;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
  maxSeq: number;
  components: ComponentStatus[];
  errorsLastHour: number;
  /** Size on disk per syncable dataset, as of the last retention prune (empty until the first). */
  storage?: DatasetStorage[];
}

export interface DatasetStorage {
  code: string;
  rows: number;
  bytes: number;
  /** True when shared among datasets of one table by row count, or estimated without SQLite's dbstat. */
  estimated: boolean;
  /** settings.retention for the code; null = kept forever. */
  retentionDays: number | null;
}

export const coreInputs = {
  'status.get': Empty,
  'settings.get': Empty,
  'settings.update': SettingsPatchSchema,
  'settings.knownCoins': Empty,
  'logs.tail': z
    .object({
      limit: z.number().int().min(1).max(10_000).default(500),
      afterId: z.number().int().min(0).optional(),
      levels: z.array(LogLevel).optional(),
      source: z.string().max(64).optional(),
      search: z.string().max(200).optional(),
    })
    .strict(),
};

export interface CoreOutputs {
  'status.get': NodeStatus;
  'settings.get': Settings;
  'settings.update': Settings;
  /** The coins the node knows as OKX USDT perpetual swaps: what a coin chip is checked against. */
  'settings.knownCoins': { coins: string[] };
  'logs.tail': { lines: LogLine[]; sources: string[] };
}

export interface CoreEvents {
  'node.status': NodeStatus;
  'settings.changed': Settings;
  'log.line': LogLine;
  /** A syncable table committed rows; `maxSeq` is the node-wide seq after the commit. */
  'data.changed': { table: string; maxSeq: number; rows: number };
}

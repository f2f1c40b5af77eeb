import electronLog from 'electron-log/node';
import path from 'node:path';
import { format } from 'node:util';
import type { LogLevel, LogLine } from '../../../preload/contract/core.js';
import { LOG_FILE_FORMAT, readLogTail } from './file-tail.js';

export interface Logger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

export interface NodeLog {
  /** A logger whose lines carry `source` so the UI can filter by it. */
  scope(source: string): Logger;
  tail(q: { limit: number; afterId?: number; levels?: LogLevel[]; source?: string; search?: string }): LogLine[];
  sources(): string[];
  onLine(listener: (line: LogLine) => void): () => void;
  setBufferSize(lines: number): void;
  readonly file: string;
  errorsSince(ts: number): number;
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
let instances = 0;

/**
 * Logging through electron-log's Node entry: a rotating file in the data folder (5 MB, one old
 * file kept), the console when asked, and an in-memory ring the UI reads and follows live.
 */
export function createNodeLog(opts: { dataDir: string; console: boolean; bufferLines?: number }): NodeLog {
  // One electron-log instance per node, so two nodes in one process (tests) never share files.
  const log = electronLog.create({ logId: `coin-sync-node-${++instances}` });
  const file = path.join(opts.dataDir, 'logs', 'node.log');
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.file.level = 'debug';
  log.transports.file.format = LOG_FILE_FORMAT;
  log.transports.console.level = opts.console ? 'info' : false;

  let capacity = opts.bufferLines ?? 5_000;
  // Start with the end of the previous run's file: after a crash, that is what the user looks for.
  const ring: LogLine[] = readLogTail(file, Math.min(capacity, 2_000)).map((l, i) => ({ ...l, id: i + 1 }));
  const sources = new Set<string>(ring.map((l) => l.source));
  const listeners = new Set<(l: LogLine) => void>();
  let nextId = ring.length + 1;

  const ui = Object.assign(
    (msg: { data: unknown[]; date: Date; level: string; scope?: string }) => {
      const level = (LEVELS as readonly string[]).includes(msg.level) ? (msg.level as LogLevel) : 'info';
      const line: LogLine = {
        id: nextId++,
        ts: msg.date.getTime(),
        level,
        source: msg.scope || 'node',
        message: format(...msg.data),
      };
      sources.add(line.source);
      ring.push(line);
      if (ring.length > capacity) ring.splice(0, ring.length - capacity);
      for (const l of listeners) l(line);
    },
    { level: 'debug' as const, transforms: [] },
  );
  (log.transports as Record<string, unknown>).ui = ui;

  return {
    file,
    scope: (source) => log.scope(source),
    tail: ({ limit, afterId, levels, source, search }) => {
      const needle = search?.toLowerCase();
      const out: LogLine[] = [];
      for (let i = ring.length - 1; i >= 0 && out.length < limit; i--) {
        const l = ring[i]!;
        if (afterId !== undefined && l.id <= afterId) break;
        if (levels && !levels.includes(l.level)) continue;
        if (source && l.source !== source) continue;
        if (needle && !l.message.toLowerCase().includes(needle)) continue;
        out.push(l);
      }
      return out.reverse();
    },
    sources: () => [...sources].sort(),
    onLine: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setBufferSize: (n) => {
      capacity = n;
    },
    errorsSince: (ts) => ring.filter((l) => l.level === 'error' && l.ts >= ts).length,
  };
}

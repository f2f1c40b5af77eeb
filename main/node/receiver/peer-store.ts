import { randomUUID } from 'node:crypto';
import type {
  Peer,
  PeerDatasetStatus,
  PeerInput,
  PeerState,
  ReceiverConfig,
  RunTrigger,
  SyncRun,
} from '../../../preload/contract/receiver.js';
import type { Reasoned } from '../../../preload/contract/reasons.js';
import type { Db } from '../store/db.js';
import { reasonFromColumn, reasonToColumn } from '../store/reason-column.js';
import type { AfterStatement } from '../store/merge-writer.js';

const RUNS_KEPT = 100;

interface PeerRow {
  id: string;
  name: string;
  url: string;
  token: string;
  interval_sec: number;
  priority: number;
  enabled: number;
  datasets: string | null;
  node_id: string | null;
  state: string;
  last_error: string | null;
  last_error_reason: string | null;
  failures: number;
  last_seen: number | null;
  created_at: number;
  fingerprint: string | null;
  paired_at: number | null;
}

export interface StoredPeer extends Peer {
  nodeId: string | null;
  /** The sender certificate pinned when pairing (hex SHA-256); null for a URL + token peer. */
  fingerprint: string | null;
  pairedAt: number | null;
  state: PeerState;
  lastError: string | null;
  /** Why, as the UI says it (migration 011); null for an error stored before it, or none. */
  lastErrorReason: Reasoned | null;
  failures: number;
  lastSeen: number | null;
}

interface CursorRow {
  code: string;
  cursor: number;
  peer_max_seq: number;
  last_sync: number | null;
  rows_in: number;
  rows_inserted: number;
  rows_updated: number;
  last_error: string | null;
  last_error_reason: string | null;
  state: string;
}

interface RunRow {
  id: number;
  peer_id: string;
  started_at: number;
  duration_ms: number;
  trigger: string;
  datasets: string;
  pages: number;
  rows_in: number;
  rows_inserted: number;
  rows_updated: number;
  ok: number;
  error: string | null;
  error_reason: string | null;
}

const parseCodes = (s: string | null): string[] | null => {
  if (s === null) return null;
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : null;
  } catch {
    return null;
  }
};

const toPeer = (r: PeerRow): StoredPeer => ({
  id: r.id,
  name: r.name,
  url: r.url,
  token: r.token,
  intervalSec: r.interval_sec,
  priority: r.priority,
  enabled: r.enabled === 1,
  datasets: parseCodes(r.datasets),
  createdAt: r.created_at,
  nodeId: r.node_id,
  state: r.state as PeerState,
  lastError: r.last_error,
  lastErrorReason: reasonFromColumn(r.last_error_reason),
  failures: r.failures,
  lastSeen: r.last_seen,
  fingerprint: r.fingerprint,
  pairedAt: r.paired_at,
});

const toRun = (r: RunRow): SyncRun => ({
  id: r.id,
  peerId: r.peer_id,
  startedAt: r.started_at,
  durationMs: r.duration_ms,
  trigger: r.trigger as RunTrigger,
  datasets: parseCodes(r.datasets) ?? [],
  pages: r.pages,
  rowsIn: r.rows_in,
  rowsInserted: r.rows_inserted,
  rowsUpdated: r.rows_updated,
  ok: r.ok === 1,
  error: r.error,
  errorReason: r.ok === 1 ? null : (reasonFromColumn(r.error_reason) ?? { reason: 'peer.last_failed' }),
});

export const DEFAULT_RECEIVER_CONFIG: ReceiverConfig = { autoSync: true, pausedUntil: null, discovery: true };

/** The receiver's tables (migration 005): peers, cursors, runs and config. Synchronous SQL only. */
export class PeerStore {
  constructor(private readonly db: Db) {}

  list(): StoredPeer[] {
    return (this.db.prepare('SELECT * FROM receiver_peers ORDER BY priority, created_at').all() as PeerRow[]).map(toPeer);
  }

  get(id: string): StoredPeer | undefined {
    const r = this.db.prepare('SELECT * FROM receiver_peers WHERE id = ?').get(id) as PeerRow | undefined;
    return r && toPeer(r);
  }

  add(p: PeerInput, now = Date.now()): StoredPeer {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO receiver_peers (id, name, url, token, interval_sec, priority, enabled, datasets, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        p.name,
        p.url,
        p.token,
        p.intervalSec,
        p.priority,
        p.enabled ? 1 : 0,
        p.datasets && JSON.stringify(p.datasets),
        p.enabled ? 'idle' : 'disabled',
        now,
        now,
      );
    return this.get(id)!;
  }

  update(id: string, p: Peer, now = Date.now()): void {
    this.db
      .prepare(
        `UPDATE receiver_peers SET name = ?, url = ?, token = ?, interval_sec = ?, priority = ?, enabled = ?, datasets = ?,
         updated_at = ? WHERE id = ?`,
      )
      .run(p.name, p.url, p.token, p.intervalSec, p.priority, p.enabled ? 1 : 0, p.datasets && JSON.stringify(p.datasets), now, id);
  }

  /** Pins a (re)paired peer: its address, its own token on that sender and the certificate it proved; a person's refusal state is cleared. */
  pin(id: string, p: { url: string; token: string; fingerprint: string }, now = Date.now()): void {
    this.db
      .prepare(
        `UPDATE receiver_peers SET url = ?, token = ?, fingerprint = ?, paired_at = ?, updated_at = ?, state = CASE WHEN enabled = 1 THEN 'idle' ELSE 'disabled' END,
         last_error = NULL, last_error_reason = NULL, failures = 0 WHERE id = ?`,
      )
      .run(p.url, p.token, p.fingerprint, now, now, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM receiver_peers WHERE id = ?').run(id).changes > 0;
  }

  /** `lastError` given (a text, or null to clear) sets `lastErrorReason` with it; left out, both stay. */
  setState(
    id: string,
    s: {
      state: PeerState;
      lastError?: string | null;
      lastErrorReason?: Reasoned | null;
      failures?: number;
      lastSeen?: number;
      nodeId?: string;
    },
  ): void {
    const given = s.lastError !== undefined ? 1 : 0;
    this.db
      .prepare(
        `UPDATE receiver_peers SET state = ?, last_error = CASE WHEN ? THEN ? ELSE last_error END,
         last_error_reason = CASE WHEN ? THEN ? ELSE last_error_reason END,
         failures = COALESCE(?, failures), last_seen = COALESCE(?, last_seen), node_id = COALESCE(?, node_id) WHERE id = ?`,
      )
      .run(
        s.state,
        given,
        s.lastError ?? null,
        given,
        reasonToColumn(s.lastErrorReason),
        s.failures ?? null,
        s.lastSeen ?? null,
        s.nodeId ?? null,
        id,
      );
  }

  cursors(peerId: string): PeerDatasetStatus[] {
    const rows = this.db.prepare('SELECT * FROM receiver_cursors WHERE peer_id = ? ORDER BY code').all(peerId) as CursorRow[];
    return rows.map((r) => ({
      code: r.code,
      cursor: r.cursor,
      peerMaxSeq: r.peer_max_seq,
      lag: Math.max(0, r.peer_max_seq - r.cursor),
      lastSyncAt: r.last_sync,
      rowsIn: r.rows_in,
      rowsInserted: r.rows_inserted,
      rowsUpdated: r.rows_updated,
      lastError: r.last_error,
      lastErrorReason: r.last_error === null ? null : (reasonFromColumn(r.last_error_reason) ?? { reason: 'peer.last_failed' }),
      state: r.state as PeerState,
    }));
  }

  cursor(peerId: string, code: string): number {
    const v = this.db.prepare('SELECT cursor FROM receiver_cursors WHERE peer_id = ? AND code = ?').pluck(true).get(peerId, code);
    return typeof v === 'number' ? v : 0;
  }

  /** The cursor row for a page just applied; call inside the same Store.write as the rows. */
  advance(
    peerId: string,
    code: string,
    c: { cursor: number; peerMaxSeq: number; rowsIn: number; inserted: number; updated: number; now: number },
  ): void {
    const { sql, params } = this.advanceStatement(peerId, code, c);
    this.db.prepare(sql).run(...params, c.inserted, c.updated);
  }

  /**
   * `advance` as SQL for the merge worker (store/merge-writer.ts), which runs it in the page's last
   * transaction and appends the page's inserted and updated counts to `params`.
   */
  advanceStatement(peerId: string, code: string, c: { cursor: number; peerMaxSeq: number; rowsIn: number; now: number }): AfterStatement {
    return {
      sql: `INSERT INTO receiver_cursors (peer_id, code, cursor, peer_max_seq, last_sync, rows_in, rows_inserted, rows_updated, last_error, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'syncing')
         ON CONFLICT (peer_id, code) DO UPDATE SET cursor = excluded.cursor, peer_max_seq = MAX(peer_max_seq, excluded.peer_max_seq),
           last_sync = excluded.last_sync, rows_in = rows_in + excluded.rows_in, rows_inserted = rows_inserted + excluded.rows_inserted,
           rows_updated = rows_updated + excluded.rows_updated, last_error = NULL, last_error_reason = NULL, state = 'syncing'`,
      params: [peerId, code, c.cursor, c.peerMaxSeq, c.now, c.rowsIn],
    };
  }

  /** Dataset bookkeeping outside a page: the peer's max seq, a state, an error, a sync time. */
  markDataset(
    peerId: string,
    code: string,
    m: { state: PeerState; peerMaxSeq?: number; lastError?: string | null; lastErrorReason?: Reasoned | null; lastSync?: number },
  ): void {
    this.db
      .prepare(
        `INSERT INTO receiver_cursors (peer_id, code, peer_max_seq, state, last_error, last_error_reason, last_sync) VALUES (?, ?, COALESCE(?, 0), ?, ?, ?, ?)
         ON CONFLICT (peer_id, code) DO UPDATE SET peer_max_seq = COALESCE(?, peer_max_seq), state = excluded.state,
           last_error = CASE WHEN ? THEN excluded.last_error ELSE last_error END,
           last_error_reason = CASE WHEN ? THEN excluded.last_error_reason ELSE last_error_reason END,
           last_sync = COALESCE(excluded.last_sync, last_sync)`,
      )
      .run(
        peerId,
        code,
        m.peerMaxSeq ?? null,
        m.state,
        m.lastError ?? null,
        reasonToColumn(m.lastErrorReason),
        m.lastSync ?? null,
        m.peerMaxSeq ?? null,
        m.lastError !== undefined ? 1 : 0,
        m.lastError !== undefined ? 1 : 0,
      );
  }

  /** Resync or a new database behind the peer's URL: pull from zero again (merge keeps it duplicate-free). */
  resetCursor(peerId: string, code?: string): void {
    if (code) this.db.prepare('UPDATE receiver_cursors SET cursor = 0 WHERE peer_id = ? AND code = ?').run(peerId, code);
    else this.db.prepare('UPDATE receiver_cursors SET cursor = 0 WHERE peer_id = ?').run(peerId);
  }

  addRun(r: Omit<SyncRun, 'id'>): SyncRun {
    const info = this.db
      .prepare(
        `INSERT INTO receiver_runs (peer_id, started_at, duration_ms, trigger, datasets, pages, rows_in, rows_inserted, rows_updated, ok, error, error_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.peerId,
        r.startedAt,
        r.durationMs,
        r.trigger,
        JSON.stringify(r.datasets),
        r.pages,
        r.rowsIn,
        r.rowsInserted,
        r.rowsUpdated,
        r.ok ? 1 : 0,
        r.error,
        r.ok ? null : reasonToColumn(r.errorReason),
      );
    // Successful live pushes are trimmed apart from every other run, so a burst of them cannot push
    // the startup, manual and failed runs out of the history.
    const routine = r.trigger === 'stream' && r.ok ? 1 : 0;
    this.db
      .prepare(
        `DELETE FROM receiver_runs WHERE peer_id = ? AND (trigger = 'stream' AND ok = 1) = ? AND id <= (
           SELECT id FROM receiver_runs WHERE peer_id = ? AND (trigger = 'stream' AND ok = 1) = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      )
      .run(r.peerId, routine, r.peerId, routine, RUNS_KEPT);
    return { ...r, id: Number(info.lastInsertRowid) };
  }

  runs(peerId: string | undefined, limit: number): SyncRun[] {
    if (!peerId) return (this.db.prepare('SELECT * FROM receiver_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(toRun);
    // For one peer: the last `limit` successful live pushes and the last `limit` other runs, newest first
    // (two index walks on receiver_runs_peer, merged here).
    const pushes = this.db
      .prepare(`SELECT * FROM receiver_runs WHERE peer_id = ? AND trigger = 'stream' AND ok = 1 ORDER BY id DESC LIMIT ?`)
      .all(peerId, limit) as RunRow[];
    const others = this.db
      .prepare(`SELECT * FROM receiver_runs WHERE peer_id = ? AND NOT (trigger = 'stream' AND ok = 1) ORDER BY id DESC LIMIT ?`)
      .all(peerId, limit) as RunRow[];
    const rows = [...pushes, ...others].sort((x, y) => y.id - x.id);
    return rows.map(toRun);
  }

  config(): ReceiverConfig {
    const text = this.db.prepare("SELECT value FROM receiver_state WHERE key = 'config'").pluck(true).get();
    if (typeof text !== 'string') return { ...DEFAULT_RECEIVER_CONFIG };
    try {
      const v = JSON.parse(text) as Partial<ReceiverConfig>;
      return {
        autoSync: typeof v.autoSync === 'boolean' ? v.autoSync : DEFAULT_RECEIVER_CONFIG.autoSync,
        pausedUntil: typeof v.pausedUntil === 'number' ? v.pausedUntil : null,
        discovery: typeof v.discovery === 'boolean' ? v.discovery : DEFAULT_RECEIVER_CONFIG.discovery,
      };
    } catch {
      return { ...DEFAULT_RECEIVER_CONFIG };
    }
  }

  saveConfig(c: ReceiverConfig): void {
    this.db
      .prepare(
        "INSERT INTO receiver_state (key, value, updated_at) VALUES ('config', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      )
      .run(JSON.stringify(c), Date.now());
  }
}

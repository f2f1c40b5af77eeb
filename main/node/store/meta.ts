import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * The origin id: generated once per database and stamped as `origin` on every row this node
 * produces. It is NOT replaced by the certificate node ID (security/identity.ts), for an install
 * that predates certificates as much as for a new one: rows already written carry it, merge ties
 * between equal `updated_at` break on it, receivers keep it as the peer's `node_id` and reset their
 * cursors when it changes (a new database behind the same address), and older peers announce and
 * compare it. Changing it would make every peer pull everything again and flip tie-breaks. So the
 * two live side by side: this id names the data, the certificate's node ID names the machine to
 * its peers (pinned when pairing, shown to people).
 */
export function ensureNodeId(db: Db): string {
  const existing = getMeta(db, 'node_id');
  if (existing) return existing;
  const id = randomUUID();
  setMeta(db, 'node_id', id);
  return id;
}

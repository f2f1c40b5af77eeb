import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** The node id is generated once and stamped as `origin` on every row this node produces. */
export function ensureNodeId(db: Db): string {
  const existing = getMeta(db, 'node_id');
  if (existing) return existing;
  const id = randomUUID();
  setMeta(db, 'node_id', id);
  return id;
}

import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';
import { m001Init } from './001-init.js';
import { m002Market } from './002-market.js';
import { m003Sender } from './003-sender.js';
import { m004Backfill } from './004-backfill.js';
import { m005Receiver } from './005-receiver.js';
import { m006SecurePeers } from './006-secure-peers.js';

export type { Migration };

/** The ordered list. Append only: a landed migration is never edited, renumbered or removed. */
export const migrations: readonly Migration[] = [m001Init, m002Market, m003Sender, m004Backfill, m005Receiver, m006SecurePeers];

export const LATEST_SCHEMA_VERSION = migrations.length;

export class FutureDatabaseError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
    path: string,
  ) {
    super(
      `The database at ${path} was written by a newer Coin Sync Node (schema ${found}; this version knows up to ${supported}). ` +
        'Update the app, or point it at another data folder; the file was left untouched.',
    );
    this.name = 'FutureDatabaseError';
  }
}

/** Applies every pending migration in one transaction and sets `user_version`. */
export function migrate(db: Database, path: string): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order at ${m.name}`);
  });
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_SCHEMA_VERSION) throw new FutureDatabaseError(from, LATEST_SCHEMA_VERSION, path);
  if (from === LATEST_SCHEMA_VERSION) return { from, to: from };
  db.transaction(() => {
    for (const m of migrations.slice(from)) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
    }
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  })();
  return { from, to: LATEST_SCHEMA_VERSION };
}

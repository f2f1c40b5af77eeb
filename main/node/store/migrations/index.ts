import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';
import { m001Init } from './001-init.js';
import { m002Market } from './002-market.js';
import { m003Sender } from './003-sender.js';
import { m004Backfill } from './004-backfill.js';
import { m005Receiver } from './005-receiver.js';
import { m006SecurePeers } from './006-secure-peers.js';
import { m007CandleTimeframes } from './007-candle-timeframes.js';
import { m008Derivatives } from './008-derivatives.js';
import { m009PeerSources } from './009-peer-sources.js';
import { m010DisputeOrder } from './010-dispute-order.js';
import { m011ErrorReasons } from './011-error-reasons.js';

export type { Migration };

/** The ordered list. Append only: a landed migration is never edited, renumbered or removed. */
export const migrations: readonly Migration[] = [
  m001Init,
  m002Market,
  m003Sender,
  m004Backfill,
  m005Receiver,
  m006SecurePeers,
  m007CandleTimeframes,
  m008Derivatives,
  m009PeerSources,
  m010DisputeOrder,
  m011ErrorReasons,
];

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

/** A step failed: the transaction rolled back, so the file is still at `from`. */
export class MigrationError extends Error {
  constructor(
    readonly from: number,
    readonly step: Migration,
    path: string,
    cause: unknown,
  ) {
    super(
      `Upgrading the database at ${path} from schema ${from} failed at migration ${step.version} (${step.name}): ` +
        `${cause instanceof Error ? cause.message : String(cause)}. Nothing was changed (it is still at schema ${from}); ` +
        'report this with the log, or point the app at another data folder.',
      { cause },
    );
    this.name = 'MigrationError';
  }
}

/**
 * Applies every pending migration up to `target` (the latest by default; tests stop earlier to
 * build a database of an old version) in one transaction and sets `user_version`.
 */
export function migrate(db: Database, path: string, target = LATEST_SCHEMA_VERSION): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order at ${m.name}`);
  });
  if (!Number.isInteger(target) || target < 0 || target > LATEST_SCHEMA_VERSION) throw new Error(`no schema version ${target}`);
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_SCHEMA_VERSION) throw new FutureDatabaseError(from, LATEST_SCHEMA_VERSION, path);
  if (from >= target) return { from, to: from };
  db.transaction(() => {
    for (const m of migrations.slice(from, target)) {
      try {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
      } catch (e) {
        throw new MigrationError(from, m, path, e);
      }
    }
    db.pragma(`user_version = ${target}`);
  })();
  return { from, to: target };
}

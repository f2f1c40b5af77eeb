import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Lets the Electron build load a better-sqlite3 binary compiled for Electron's ABI. */
  nativeBinding?: string;
}

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

/** Opens (creating if needed) the node's database: WAL, foreign keys, migrations applied. */
export function openDb(dataDir: string, opts: OpenDbOptions = {}): { db: Db; path: string; schemaVersion: number } {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (e) {
    throw new DataDirError(
      `The data folder ${dataDir} cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)}). ` +
        'Choose another folder with --data-dir, or fix its permissions.',
    );
  }
  const file = path.join(dataDir, 'coin-sync-node.sqlite');
  const db = new Database(file, { nativeBinding: opts.nativeBinding, timeout: 2_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Fail fast with a clear message if another process holds the write lock.
    db.pragma('busy_timeout = 2000');
    const { to } = migrate(db, file);
    return { db, path: file, schemaVersion: to };
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirError(
        `The database ${file} is locked by another process (is another Coin Sync Node running on this folder?). ` +
          'Quit the other one, or choose another data folder.',
      );
    }
    throw e;
  }
}

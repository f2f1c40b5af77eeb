import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../main/node/store/migrations/index.js';
import { Store } from '../../main/node/store/store.js';
import { ROOT, tempDataDir } from '../helpers/headless.js';
import { DB_FILE, databaseFileAt, dumpRows } from '../helpers/old-database.js';
import { describeSchema } from '../helpers/schema.js';
import { migrationFixtures } from '../unit/store-migration-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('a crash in the middle of an upgrade', () => {
  it('leaves the file at its old version with its rows, and the next start upgrades it', () => {
    const from = 1;
    const dir = tempDataDir('csn-mig-crash-');
    dirs.push(dir);
    const { db } = databaseFileAt(dir, from, (v) => migrationFixtures[v]!.rows);
    const old = describeSchema(db);
    const rows = dumpRows(db, old);
    db.close();

    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/integration/migration-crash-child.ts'), dir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stdout).toBe('in transaction: true\n');
    expect(child.signal).toBe('SIGKILL');

    // What a restart finds: the old version, only the old tables, every row.
    const raw = new Database(path.join(dir, DB_FILE));
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(from);
      expect(Object.keys(describeSchema(raw).tables)).toEqual(Object.keys(old.tables));
      expect(dumpRows(raw, old)).toEqual(rows);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
    const store = Store.open(dir);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(dumpRows(store.db, old)).toEqual(rows);
    } finally {
      store.close();
    }
  });
});

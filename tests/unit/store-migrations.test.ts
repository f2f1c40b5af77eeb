import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrations } from '../../main/node/store/migrations/index.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDataDir('csn-mig-');
  dirs.push(d);
  return d;
};

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('bring a new file to the latest version with WAL and foreign keys on', () => {
    const s = Store.open(dir());
    expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    s.close();
  });

  it('refuse a database from a newer version with a sentence, leaving it untouched', () => {
    const d = dir();
    Store.open(d).close();
    const file = path.join(d, 'coin-sync-node.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => Store.open(d)).toThrow(/newer Coin Sync Node.*Update the app/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    check.close();
  });

  it('refuse an unwritable data folder with a sentence naming it', () => {
    const d = dir();
    const file = path.join(d, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    expect(() => Store.open(path.join(file, 'sub'))).toThrow(/data folder .*not-a-folder.* cannot be written/);
  });
});

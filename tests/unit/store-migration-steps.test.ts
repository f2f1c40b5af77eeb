/**
 * Each migration on a database of the version before it: real files (WAL, foreign keys on, as
 * db.ts opens them), rows of every earlier version in them, then the one step through the product's
 * migrate(). The data lives in tests/unit/store-migration-fixtures.ts: a new migration gets its
 * test by adding one entry there (this file fails until it does).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MigrationError, migrate, migrations } from '../../main/node/store/migrations/index.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';
import { describeSchema, type SchemaSnapshot } from '../helpers/schema.js';
import { databaseFileAt, dumpRows, insertRows, keyOrder } from '../helpers/old-database.js';
import { migrationFixtures } from './store-migration-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A database file at `version`, holding the fixture rows of versions 1..version. */
function fileAt(version: number): { dir: string; db: Database.Database; file: string } {
  const dir = tempDataDir('csn-step-');
  dirs.push(dir);
  return { dir, ...databaseFileAt(dir, version, (v) => migrationFixtures[v]?.rows ?? {}) };
}

/** What `after` has that `before` lacks, in the fixture's terms. */
function created(before: SchemaSnapshot, after: SchemaSnapshot) {
  const tables = Object.keys(after.tables).filter((t) => !before.tables[t]);
  const columns = Object.keys(before.tables).flatMap((t) =>
    after.tables[t]!.columns.filter((c) => !before.tables[t]!.columns.some((o) => o.name === c.name)).map((c) => `${t}.${c.name}`),
  );
  const indexes = Object.entries(after.tables).flatMap(([t, shape]) =>
    Object.keys(shape.indexes).filter((i) => !before.tables[t]?.indexes[i]),
  );
  return { tables: tables.sort(), columns: columns.sort(), indexes: indexes.sort() };
}

describe('migration steps', () => {
  it('every migration has a fixture entry, and every entry a migration', () => {
    const missing = migrations.filter((m) => !migrationFixtures[m.version]).map((m) => `${m.version} (${m.name})`);
    expect(missing, `add an entry for migration ${missing.join(', ')} to tests/unit/store-migration-fixtures.ts`).toEqual([]);
    expect(Object.keys(migrationFixtures).map(Number)).toEqual(migrations.map((m) => m.version));
  });

  it.each(migrations.map((m) => [m.version, m.name] as const))(
    'migration %i (%s) keeps the rows of the version before and adds what its entry says',
    (version) => {
      const fixture = migrationFixtures[version]!;
      const { db, file } = fileAt(version - 1);
      try {
        const before = describeSchema(db);
        const rewritten = new Set(fixture.rewrites ?? []);
        expect(rewritten.size === 0 || fixture.check !== undefined, `migration ${version} rewrites columns: its entry needs a check`).toBe(
          true,
        );
        const kept = (t: string) => before.tables[t]!.columns.map((c) => c.name).filter((c) => !rewritten.has(`${t}.${c}`));
        const rows = dumpRows(db, before, kept);
        expect(migrate(db, file, version)).toEqual({ from: version - 1, to: version });
        expect(db.pragma('user_version', { simple: true })).toBe(version);
        const after = describeSchema(db);

        // Every old row, every old column (but those the step rewrites on purpose), same values, same order by key.
        expect(dumpRows(db, before, kept)).toEqual(rows);
        expect(created(before, after)).toEqual({
          tables: [...(fixture.creates.tables ?? [])].sort(),
          columns: [...(fixture.creates.columns ?? [])].sort(),
          indexes: [...(fixture.creates.indexes ?? [])].sort(),
        });
        // The new tables take representative rows, and give them back as written.
        const unfilled = (fixture.creates.tables ?? []).filter((t) => !fixture.rows[t]?.length);
        expect(unfilled, `the entry of migration ${version} has no rows for ${unfilled.join(', ')}`).toEqual([]);
        insertRows(db, fixture.rows);
        for (const [t, list] of Object.entries(fixture.rows)) {
          const cols = Object.keys(list[0]!);
          expect(
            db.prepare(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY ${keyOrder(after, t)}`).all(),
            `${t} after migration ${version}`,
          ).toEqual(list);
        }
        fixture.check?.(db);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    },
  );

  it('a file of every earlier version opens through Store.open at the latest version, its rows intact', () => {
    for (let v = 0; v < LATEST_SCHEMA_VERSION; v++) {
      const { dir, db } = fileAt(v);
      const s = describeSchema(db);
      // Columns a later step rewrites on purpose are left out here; that step's entry checks them.
      const rewritten = new Set(migrations.filter((m) => m.version > v).flatMap((m) => migrationFixtures[m.version]?.rewrites ?? []));
      const kept = (t: string) => s.tables[t]!.columns.map((c) => c.name).filter((c) => !rewritten.has(`${t}.${c}`));
      const rows = dumpRows(db, s, kept);
      db.close();
      const store = Store.open(dir);
      try {
        expect(store.schemaVersion, `from version ${v}`).toBe(LATEST_SCHEMA_VERSION);
        expect(dumpRows(store.db, s, kept), `rows of version ${v}`).toEqual(rows);
      } finally {
        store.close();
      }
    }
  });

  it('a step that fails rolls the whole upgrade back: the file keeps its old version, tables and rows', () => {
    const from = 2;
    const { dir, db, file } = fileAt(from);
    const s = describeSchema(db);
    const rows = dumpRows(db, s);
    // Migration 5's second table already exists, so that step fails after steps 3, 4 and its first table ran.
    const last = migrations[4]!;
    db.exec('CREATE TABLE receiver_cursors (x INTEGER) STRICT');
    db.close();

    let error: unknown;
    try {
      Store.open(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `from schema ${from} failed at migration ${last.version} \\(${last.name}\\): table receiver_cursors already exists\\. Nothing was changed`,
      ),
    );

    const check = new Database(file);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(from);
      const now = describeSchema(check);
      // Only the table put in the way is new: nothing of steps 3..5 stayed.
      expect(Object.keys(now.tables).sort()).toEqual([...Object.keys(s.tables), 'receiver_cursors'].sort());
      expect(dumpRows(check, s)).toEqual(rows);
    } finally {
      check.close();
    }
  });
});

/**
 * Schema guard. Peers run mixed versions (DESIGN.md §5), so what a version shipped stays: tables,
 * columns (name and type), primary keys, unique indexes, and the columns a synced table sends.
 * tests/unit/store-schema.snapshot.json records the latest schema; this test fails on anything
 * removed, renamed or retyped (each failure a sentence naming table and column), and when the
 * schema has something the snapshot does not, so the snapshot always equals the latest schema.
 *
 * Adding a table or a column is one command after the code:
 *   1. the migration: main/node/store/migrations/NNN-name.ts + one line in migrations/index.ts
 *      (a synced table also gets its entry in main/node/store/tables.ts; its new columns must allow NULL);
 *   2. its entry in tests/unit/store-migration-fixtures.ts (rows for the new tables);
 *   3. `npm run schema:snapshot`, then commit tests/unit/store-schema.snapshot.json with the migration.
 * The script refuses to write a snapshot that loses something; `npm run schema:snapshot -- --check`
 * only says whether the file is current.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../main/node/store/migrations/index.js';
import { ROOT, tempDataDir } from '../helpers/headless.js';
import {
  compareSchemas,
  databaseAt,
  describeSchema,
  latestSchema,
  REFRESH_COMMAND,
  SNAPSHOT_FILE,
  syncInvariants,
  type SchemaSnapshot,
} from '../helpers/schema.js';

const committed = (): SchemaSnapshot => JSON.parse(fs.readFileSync(path.join(ROOT, SNAPSHOT_FILE), 'utf8')) as SchemaSnapshot;
const sentences = (xs: string[]) => xs.map((x) => `\n  - ${x}`).join('');

describe('schema guard', () => {
  const latest = latestSchema();

  it('the latest schema keeps everything the committed snapshot records as shipped', () => {
    const { breaking } = compareSchemas(committed(), latest);
    expect(breaking, `the schema breaks peers on older versions:${sentences(breaking)}`).toEqual([]);
  });

  it('the committed snapshot is the latest schema (refresh it with the migration)', () => {
    const { added, changed } = compareSchemas(committed(), latest);
    const behind = [...added, ...changed];
    expect(behind, `${SNAPSHOT_FILE} is behind the schema:${sentences(behind)}\nrun \`${REFRESH_COMMAND}\` and commit it`).toEqual([]);
  });

  it('every migration only adds to the schema of the version before it', () => {
    let before = describeAt(0);
    for (let v = 1; v <= LATEST_SCHEMA_VERSION; v++) {
      const after = describeAt(v);
      const { breaking } = compareSchemas(before, after);
      expect(breaking, `migration ${v} breaks schema ${v - 1}:${sentences(breaking)}`).toEqual([]);
      before = after;
    }
  });

  it('synced tables can be paged by seq, merged by their key and received from older peers', () => {
    const problems = syncInvariants(latest);
    expect(problems, sentences(problems)).toEqual([]);
  });
});

/** The guard itself, on real DDL applied to a copy of the latest database. */
describe('the comparison behind the guard', () => {
  const changedBy = (sql: string | ((db: Database.Database) => void)) => {
    const before = latestSchema();
    const db = databaseAt(LATEST_SCHEMA_VERSION);
    try {
      if (typeof sql === 'string') db.exec(sql);
      else sql(db);
      return compareSchemas(before, describeSchema(db));
    } finally {
      db.close();
    }
  };
  /** Re-creates `table` from its own CREATE statement with one edit, keeping its rows and indexes. */
  const rebuild = (table: string, edit: (sql: string) => string) => (db: Database.Database) => {
    const objs = db.prepare('SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL').all(table) as {
      type: string;
      sql: string;
    }[];
    db.exec(`DROP TABLE ${table}`);
    for (const o of objs) db.exec(o.type === 'table' ? edit(o.sql) : o.sql);
  };

  it('names table and column of a removed column', () => {
    const d = changedBy('ALTER TABLE candles DROP COLUMN vol_ccy');
    expect(d.breaking).toEqual([
      expect.stringMatching(/^column candles\.vol_ccy \(REAL, since schema 2\) was removed or renamed: shipped/),
    ]);
  });

  it('names a renamed column and guesses its new name', () => {
    const d = changedBy('ALTER TABLE receiver_peers RENAME COLUMN url TO address');
    expect(d.breaking).toEqual([
      expect.stringMatching(/^column receiver_peers\.url \(TEXT NOT NULL, since schema 5\) was removed or renamed \(to address\?\)/),
    ]);
  });

  it('names a retyped column', () => {
    const d = changedBy(rebuild('ticks', (sql) => sql.replace(/price\s+REAL NOT NULL/, 'price TEXT NOT NULL')));
    expect(d.breaking).toEqual([expect.stringMatching(/^column ticks\.price changed type from REAL to TEXT/)]);
  });

  it('names a changed primary key', () => {
    const d = changedBy(rebuild('baselines', (sql) => sql.replace('PRIMARY KEY (coin, day)', 'PRIMARY KEY (day, coin)')));
    expect(d.breaking).toEqual([expect.stringMatching(/^table baselines: the primary key changed from \(coin, day\) to \(day, coin\)/)]);
  });

  it('names a dropped table and a column that became NOT NULL', () => {
    expect(changedBy('DROP TABLE receiver_runs').breaking).toEqual([
      expect.stringMatching(/^table receiver_runs \(since schema 5\) is gone/),
    ]);
    const d = changedBy(rebuild('coins', (sql) => sql.replace(/list_time\s+INTEGER,/, 'list_time INTEGER NOT NULL DEFAULT 0,')));
    expect(d.breaking).toEqual([expect.stringMatching(/^column coins\.list_time became NOT NULL/)]);
  });

  it('refuses a NOT NULL column added to a synced table, which older peers would not send', () => {
    const d = changedBy("ALTER TABLE grid_prices ADD COLUMN venue TEXT NOT NULL DEFAULT 'okx'");
    expect(d.breaking).toEqual([expect.stringMatching(/^column grid_prices\.venue was added NOT NULL to a synced table/)]);
  });

  it('refuses a synced column that is no longer sent, or a changed sync key', () => {
    const now = latestSchema();
    const next = structuredClone(now);
    next.tables.candles!.sync!.values = next.tables.candles!.sync!.values.filter((v) => v !== 'vol');
    next.tables.ticks!.sync!.key = ['coin', 'ts'];
    expect(compareSchemas(now, next).breaking).toEqual([
      expect.stringMatching(/^column candles\.vol is no longer sent to peers/),
      expect.stringMatching(/^table ticks: the sync key changed from \(coin\) to \(coin, ts\)/),
    ]);
  });

  it('lets additions through, listing each', () => {
    const d = changedBy(`
      ALTER TABLE candles ADD COLUMN guard_probe INTEGER;
      CREATE TABLE guard_probe (ts INTEGER PRIMARY KEY, up INTEGER NOT NULL) STRICT;
      CREATE INDEX guard_probe_confirm ON candles(confirm);`);
    expect(d.breaking).toEqual([]);
    expect(d.added).toEqual([
      'new column candles.guard_probe (INTEGER)',
      'new index guard_probe_confirm on candles(confirm)',
      'new table guard_probe with ts, up',
    ]);
  });
});

describe(`\`${REFRESH_COMMAND}\``, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const run = (...args: string[]) => {
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/schema-snapshot.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const copy = (edit: (s: SchemaSnapshot) => void) => {
    const d = tempDataDir('csn-snap-');
    dirs.push(d);
    const f = path.join(d, 'snapshot.json');
    const s = committed();
    edit(s);
    fs.writeFileSync(f, JSON.stringify(s));
    return f;
  };

  it('brings a snapshot that lacks a new table up to date (and --check tells it was behind)', () => {
    const f = copy((s) => delete s.tables.receiver_state);
    expect(run('--check', '--file', f)).toMatchObject({ code: 1, out: expect.stringContaining('new table receiver_state') });
    const w = run('--file', f);
    expect(w).toMatchObject({ code: 0, out: expect.stringContaining('+ new table receiver_state') });
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toEqual(latestSchema());
  });

  it('refuses to record a schema that lost a shipped column, leaving the file as it was', () => {
    const f = copy((s) => s.tables.ticks!.columns.push({ name: 'venue', type: 'TEXT', notNull: false, default: null, since: 1 }));
    const before = fs.readFileSync(f, 'utf8');
    const r = run('--file', f);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the snapshot was not refreshed:\n {2}- column ticks\.venue \(TEXT, since schema 1\) was removed or renamed/);
    expect(fs.readFileSync(f, 'utf8')).toBe(before);
  });
});

function describeAt(version: number): SchemaSnapshot {
  const db = databaseAt(version);
  try {
    return describeSchema(db);
  } finally {
    db.close();
  }
}

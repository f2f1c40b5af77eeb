/**
 * The schema as data: what every table of a database declares (columns, types, primary key,
 * indexes, foreign keys, whether it is synced and with which columns), and the comparison that
 * tells an addition from a change that would break a peer or an older version (DESIGN.md §5).
 * Used by tests/unit/store-schema-guard.test.ts and scripts/schema-snapshot.ts.
 */
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, migrate } from '../../main/node/store/migrations/index.js';
import { BOOKKEEPING, type SyncTableDef } from '../../main/node/store/sync-table.js';
import { syncTableDefs } from '../../main/node/store/tables.js';

export interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** The schema version that introduced it. */
  since: number;
}

export interface IndexShape {
  columns: string[];
  unique: boolean;
  partial: boolean;
  since: number;
}

export interface ForeignKeyShape {
  columns: string[];
  table: string;
  to: string[];
  onDelete: string;
}

export interface TableShape {
  since: number;
  strict: boolean;
  withoutRowid: boolean;
  primaryKey: string[];
  columns: ColumnShape[];
  indexes: Record<string, IndexShape>;
  foreignKeys: ForeignKeyShape[];
  /** Key and value columns sent to peers (main/node/store/tables.ts), or null for a local table. */
  sync: { key: string[]; values: string[] } | null;
}

export interface SchemaSnapshot {
  version: number;
  tables: Record<string, TableShape>;
}

/** Where the committed snapshot lives, relative to the repository root. */
export const SNAPSHOT_FILE = 'tests/unit/store-schema.snapshot.json';
export const REFRESH_COMMAND = 'npm run schema:snapshot';

/** A fresh in-memory database brought to `version` by the product's own migrate(). */
export function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:', version);
  return db;
}

const SYNC_DEFS = syncTableDefs as Record<string, SyncTableDef>;

/** What the database declares, every object stamped with `since` (overwritten by `history`). */
export function describeSchema(db: Database.Database, since = db.pragma('user_version', { simple: true }) as number): SchemaSnapshot {
  const others = db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')").all() as {
    type: string;
    name: string;
  }[];
  if (others.length > 0) {
    // Fail loudly rather than guard them silently: extend this describer when the first one lands.
    throw new Error(
      `the schema has ${others.map((o) => `${o.type} ${o.name}`).join(', ')}; teach tests/helpers/schema.ts to describe them`,
    );
  }
  const list = db.prepare("SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'").all() as {
    name: string;
    wr: number;
    strict: number;
  }[];
  const tables: Record<string, TableShape> = {};
  for (const t of list.filter((x) => !x.name.startsWith('sqlite_')).sort((a, b) => a.name.localeCompare(b.name))) {
    const cols = db
      .prepare('SELECT name, type, "notnull" AS nn, dflt_value AS dflt, pk FROM pragma_table_info(?) ORDER BY cid')
      .all(t.name) as {
      name: string;
      type: string;
      nn: number;
      dflt: string | null;
      pk: number;
    }[];
    const indexes: Record<string, IndexShape> = {};
    const idx = db.prepare('SELECT name, "unique" AS u, origin, partial FROM pragma_index_list(?)').all(t.name) as {
      name: string;
      u: number;
      origin: string;
      partial: number;
    }[];
    for (const i of idx.filter((x) => x.origin !== 'pk').sort((a, b) => a.name.localeCompare(b.name))) {
      const parts = db.prepare('SELECT name, "desc" AS d FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').all(i.name) as {
        name: string | null;
        d: number;
      }[];
      indexes[i.name] = {
        columns: parts.map((p) => `${p.name ?? '<expression>'}${p.d ? ' DESC' : ''}`),
        unique: i.u === 1,
        partial: i.partial === 1,
        since,
      };
    }
    const fks = db
      .prepare('SELECT id, "table" AS tbl, "from" AS col, "to" AS ref, on_delete AS del FROM pragma_foreign_key_list(?) ORDER BY id, seq')
      .all(t.name) as { id: number; tbl: string; col: string; ref: string; del: string }[];
    // One entry per constraint; a composite key spans several rows with the same id.
    const byId = new Map<number, ForeignKeyShape>();
    for (const f of fks) {
      const fk = byId.get(f.id) ?? { columns: [], table: f.tbl, to: [], onDelete: f.del };
      fk.columns.push(f.col);
      fk.to.push(f.ref);
      byId.set(f.id, fk);
    }
    const def = Object.hasOwn(SYNC_DEFS, t.name) ? SYNC_DEFS[t.name]! : null;
    tables[t.name] = {
      since,
      strict: t.strict === 1,
      withoutRowid: t.wr === 1,
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      columns: cols.map((c) => ({ name: c.name, type: c.type, notNull: c.nn === 1, default: c.dflt, since })),
      indexes,
      foreignKeys: [...byId.values()],
      sync: def ? { key: [...def.key], values: [...def.values] } : null,
    };
  }
  return { version: since, tables };
}

/**
 * The latest schema with `since` filled in: each table, column and index carries the first version
 * whose database has it. Builds one in-memory database per version.
 */
export function latestSchema(): SchemaSnapshot {
  const versions = Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1).map((v) => {
    const db = databaseAt(v);
    try {
      return describeSchema(db);
    } finally {
      db.close();
    }
  });
  const latest = versions[versions.length - 1] ?? { version: 0, tables: {} };
  for (const [name, t] of Object.entries(latest.tables)) {
    const first = versions.find((s) => s.tables[name])!;
    t.since = first.version;
    for (const c of t.columns) c.since = versions.find((s) => s.tables[name]?.columns.some((x) => x.name === c.name))!.version;
    for (const [i, shape] of Object.entries(t.indexes)) shape.since = versions.find((s) => s.tables[name]?.indexes[i])!.version;
  }
  return latest;
}

export interface SchemaDiff {
  /** Changes a peer or an older version cannot live with: each a sentence naming table and column. */
  breaking: string[];
  /** New tables, columns, indexes, synced columns: fine, but the snapshot must record them. */
  added: string[];
  /** Other differences that break nobody (a relaxed NOT NULL, a new default, a dropped plain index). */
  changed: string[];
}

const sig = (c: ColumnShape) => `${c.type || 'untyped'}${c.notNull ? ' NOT NULL' : ''}`;
const list = (xs: readonly string[]) => `(${xs.join(', ')})`;

/** What changed from `old` (shipped) to `next`, sorted into breaking, added and changed. */
export function compareSchemas(old: SchemaSnapshot, next: SchemaSnapshot): SchemaDiff {
  const d: SchemaDiff = { breaking: [], added: [], changed: [] };
  if (old.version !== next.version) d.changed.push(`the schema version went from ${old.version} to ${next.version}`);
  for (const [name, t] of Object.entries(old.tables)) {
    const n = next.tables[name];
    if (!n) {
      d.breaking.push(
        `table ${name} (since schema ${t.since}) is gone: peers and older versions still read it. Keep it; an unused table costs nothing.`,
      );
      continue;
    }
    compareTable(name, t, n, d);
  }
  for (const [name, n] of Object.entries(next.tables)) {
    if (!old.tables[name]) d.added.push(`new table ${name}${n.sync ? ' (synced)' : ''} with ${n.columns.map((c) => c.name).join(', ')}`);
  }
  return d;
}

function compareTable(name: string, t: TableShape, n: TableShape, d: SchemaDiff): void {
  const cols = new Map(n.columns.map((c) => [c.name, c]));
  const oldNames = new Set(t.columns.map((c) => c.name));
  const fresh = n.columns.filter((c) => !oldNames.has(c.name));
  for (const c of t.columns) {
    const m = cols.get(c.name);
    if (!m) {
      const twin = fresh.find((f) => f.type === c.type);
      d.breaking.push(
        `column ${name}.${c.name} (${sig(c)}, since schema ${c.since}) was removed or renamed${twin ? ` (to ${twin.name}?)` : ''}: ` +
          'shipped columns are never removed or renamed (DESIGN.md §5), since peers on older versions still send and read it. ' +
          'Keep it and add the new column beside it.',
      );
      continue;
    }
    if (m.type !== c.type)
      d.breaking.push(
        `column ${name}.${c.name} changed type from ${c.type || 'untyped'} to ${m.type || 'untyped'}: values from older peers and files would no longer fit. Add a new column instead.`,
      );
    if (!c.notNull && m.notNull)
      d.breaking.push(
        `column ${name}.${c.name} became NOT NULL: rows written by older versions, or sent by older peers without it, would be refused.`,
      );
    if (c.notNull && !m.notNull) d.changed.push(`column ${name}.${c.name} now allows NULL`);
    if (c.since !== m.since) d.changed.push(`column ${name}.${c.name} is now first in schema ${m.since} (was ${c.since})`);
    if (c.default !== m.default)
      d.changed.push(`column ${name}.${c.name} default changed from ${c.default ?? 'none'} to ${m.default ?? 'none'}`);
  }
  for (const c of fresh) {
    if (t.sync && c.notNull)
      d.breaking.push(
        `column ${name}.${c.name} was added NOT NULL to a synced table: older peers do not send it, so their pages would be refused ` +
          '(main/node/receiver/page-apply.ts requires every NOT NULL column). Make it nullable.',
      );
    else d.added.push(`new column ${name}.${c.name} (${sig(c)})`);
  }
  if (t.since !== n.since) d.changed.push(`table ${name} is now first in schema ${n.since} (was ${t.since})`);
  if (list(t.primaryKey) !== list(n.primaryKey))
    d.breaking.push(
      `table ${name}: the primary key changed from ${list(t.primaryKey)} to ${list(n.primaryKey)}: peers merge rows by that key, so old and new versions would disagree on which rows are the same.`,
    );
  if (t.strict !== n.strict || t.withoutRowid !== n.withoutRowid)
    d.breaking.push(
      `table ${name} was rebuilt with another storage (STRICT ${t.strict} → ${n.strict}, WITHOUT ROWID ${t.withoutRowid} → ${n.withoutRowid}).`,
    );
  for (const [i, shape] of Object.entries(t.indexes)) {
    const m = n.indexes[i];
    const same = m && list(m.columns) === list(shape.columns) && m.unique === shape.unique && m.partial === shape.partial;
    if (same) {
      if (m.since !== shape.since) d.changed.push(`index ${i} is now first in schema ${m.since} (was ${shape.since})`);
      continue;
    }
    const what = m ? `changed from ${list(shape.columns)} to ${list(m.columns)}${m.unique ? ' UNIQUE' : ''}` : 'was dropped';
    // A unique index is a conflict target (ON CONFLICT ...) and a promise about the data; a plain one is only speed.
    if (shape.unique) d.breaking.push(`unique index ${i} on ${name}${list(shape.columns)} ${what}: upserts and older versions rely on it.`);
    else d.changed.push(`index ${i} on ${name}${list(shape.columns)} ${what} (the query-plan test checks nothing now scans)`);
  }
  for (const [i, m] of Object.entries(n.indexes)) if (!t.indexes[i]) d.added.push(`new index ${i} on ${name}${list(m.columns)}`);
  if (JSON.stringify(t.foreignKeys) !== JSON.stringify(n.foreignKeys)) d.changed.push(`table ${name}: its foreign keys changed`);
  compareSync(name, t, n, d);
}

function compareSync(name: string, t: TableShape, n: TableShape, d: SchemaDiff): void {
  if (!t.sync) {
    if (n.sync) d.added.push(`table ${name} is now synced (key ${list(n.sync.key)})`);
    return;
  }
  if (!n.sync) {
    d.breaking.push(
      `table ${name} is no longer synced: peers on older versions still ask for it. Keep its entry in main/node/store/tables.ts.`,
    );
    return;
  }
  if (list(t.sync.key) !== list(n.sync.key))
    d.breaking.push(`table ${name}: the sync key changed from ${list(t.sync.key)} to ${list(n.sync.key)} (main/node/store/tables.ts).`);
  for (const v of t.sync.values) {
    if (!n.sync.values.includes(v))
      d.breaking.push(`column ${name}.${v} is no longer sent to peers (main/node/store/tables.ts): older peers expect it in every page.`);
  }
  for (const v of n.sync.values) if (!t.sync.values.includes(v)) d.added.push(`column ${name}.${v} is now sent to peers`);
}

/** Problems of the latest schema on its own: what a synced table needs to page, merge and converge. */
export function syncInvariants(s: SchemaSnapshot): string[] {
  const out: string[] = [];
  for (const [name, def] of Object.entries(SYNC_DEFS)) {
    const t = s.tables[name];
    if (!t) {
      out.push(`main/node/store/tables.ts declares ${name}, but no migration creates that table.`);
      continue;
    }
    const cols = new Set(t.columns.map((c) => c.name));
    for (const c of [...def.key, ...def.values, ...BOOKKEEPING])
      if (!cols.has(c)) out.push(`column ${name}.${c} is declared in main/node/store/tables.ts but the table has no such column.`);
    if (list(t.primaryKey) !== list(def.key))
      out.push(`table ${name}: the sync key ${list(def.key)} is not its primary key ${list(t.primaryKey)}; upserts conflict on the key.`);
    if (!Object.values(t.indexes).some((i) => i.columns[0] === 'seq'))
      out.push(`table ${name} has no index starting with seq: the sender's page read (WHERE seq > ? ORDER BY seq) would scan it.`);
    for (const c of t.columns) {
      if (c.since > t.since && c.notNull)
        out.push(
          `column ${name}.${c.name} was added (schema ${c.since}) NOT NULL to a synced table: pages from older peers lack it and would be refused.`,
        );
    }
  }
  return out;
}

import type { ClientBase } from 'pg';
import { CANDLE_BARS, CANDLE_DATASET } from '../../../preload/contract/candle-bars.js';
import type { Db } from '../store/db.js';

/** One mirrored dataset: its PostgreSQL table and typed columns, derived from the SQLite table. */
export interface MirrorTable {
  code: string;
  /** `coin_sync.<code in lower case>` */
  qualified: string;
  key: string[];
  /** Mirrored columns in COPY order: key, values, origin, updated_at (seq is node-local, not mirrored). */
  columns: string[];
  /** Index in the SQLite page row for each mirrored column. */
  sourceIndex: number[];
  /** PostgreSQL type per mirrored column. */
  types: PgType[];
  notNull: boolean[];
  /** The time column (`ts`) when the table has one. */
  timeColumn: string | null;
}

export type PgType = 'timestamptz' | 'double precision' | 'text' | 'bigint';

/** Epoch-ms columns that become `timestamptz`. */
const TIME_COLUMNS = new Set(['ts', 'updated_at']);

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${JSON.stringify(name)}`);
  return name;
};

/** The mirror table for a syncable dataset, typed from SQLite's declared column types. */
export function mirrorTableOf(db: Db, code: string, src: { table: string; key: string[]; columns: string[] }): MirrorTable {
  const info = db.prepare(`PRAGMA table_info(${ident(src.table)})`).all() as { name: string; type: string; notnull: number }[];
  const byName = new Map(info.map((c) => [c.name, c]));
  const columns = src.columns.filter((c) => c !== 'seq');
  const types = columns.map((c): PgType => {
    const t = (byName.get(c)?.type ?? 'TEXT').toUpperCase();
    if (t === 'REAL') return 'double precision';
    if (t === 'INTEGER') return TIME_COLUMNS.has(c) ? 'timestamptz' : 'bigint';
    return 'text';
  });
  return {
    code,
    qualified: `coin_sync.${ident(code.toLowerCase())}`,
    key: src.key.map(ident),
    columns: columns.map(ident),
    sourceIndex: columns.map((c) => src.columns.indexOf(c)),
    types,
    notNull: columns.map((c) => (byName.get(c)?.notnull ?? 0) === 1 || src.key.includes(c)),
    timeColumn: columns.includes('ts') ? 'ts' : null,
  };
}

interface PgMigration {
  version: number;
  name: string;
  up: string;
}

/** The warehouse's own numbered migrations (append-only), recorded in coin_sync.schema_version. */
const MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'base',
    up: `
      CREATE TABLE IF NOT EXISTS coin_sync.cursors (
        node_id    text NOT NULL,
        dataset    text NOT NULL,
        seq        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (node_id, dataset)
      );`,
  },
  {
    version: 2,
    name: 'coins',
    // Each node's configured coins (Settings › Coins): what sum27 sums, like the node's own 27-sum.
    up: `
      CREATE TABLE IF NOT EXISTS coin_sync.coins (
        node_id    text NOT NULL,
        coin       text NOT NULL,
        position   integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (node_id, coin)
      );`,
  },
];

/**
 * The coins the views count: the list the desk set last (the node that wrote its list most
 * recently), so several nodes with different lists still give one sum.
 */
const CONFIGURED_COINS = `SELECT coin FROM coin_sync.coins
  WHERE node_id = (SELECT node_id FROM coin_sync.coins ORDER BY updated_at DESC, node_id LIMIT 1)`;

/** Views for people and Grafana; replaced on every start once their tables exist. */
const VIEWS: { needs: string[]; sql: string }[] = [
  { needs: ['pt002'], sql: 'CREATE OR REPLACE VIEW coin_sync.grid_30m AS SELECT ts, coin, price FROM coin_sync.pt002' },
  {
    needs: ['pt002'],
    sql: `CREATE OR REPLACE VIEW coin_sync.sum27 AS
      SELECT ts, SUM(change_pct) AS sum, COUNT(*)::int AS coins FROM coin_sync.pt002
      WHERE change_pct IS NOT NULL AND coin IN (${CONFIGURED_COINS}) GROUP BY ts`,
  },
];

/** The candle datasets' mirror tables, one per timeframe (KL001…KLD01), in timeframe order. */
const CANDLE_TABLES = CANDLE_BARS.map((b) => CANDLE_DATASET[b].toLowerCase());

/**
 * coin_sync.candles: every timeframe's table that exists in the database (this node's, or one a
 * node of another version made), told apart by `bar`; a timeframe whose table is missing is left
 * out rather than failing the view. Null when no candle table exists yet.
 */
async function candlesViewSql(client: ClientBase): Promise<string | null> {
  const have = new Set(
    (
      await client.query<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'coin_sync' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`,
        [CANDLE_TABLES],
      )
    ).rows.map((r) => r.relname),
  );
  const parts = CANDLE_TABLES.filter((t) => have.has(t)).map(
    (t) => `SELECT ts, coin, bar, open AS o, high AS h, low AS l, close AS c, vol FROM coin_sync.${ident(t)}`,
  );
  return parts.length ? `CREATE OR REPLACE VIEW coin_sync.candles AS\n      ${parts.join('\n      UNION ALL ')}` : null;
}

/** Serializes schema work of several nodes on one database. */
const LOCK_KEY = 0x63736e01;

export interface SchemaResult {
  version: number;
  timescale: boolean;
}

/**
 * Brings the database to the current schema in one transaction under an advisory lock: schema
 * and schema_version, the numbered migrations, one table per dataset (created, or missing columns
 * added), its time index (hypertable with timescaledb, BRIN otherwise) and the views.
 */
export async function ensureSchema(client: ClientBase, tables: readonly MirrorTable[]): Promise<SchemaResult> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS coin_sync');
    await client.query(`CREATE TABLE IF NOT EXISTS coin_sync.schema_version (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM coin_sync.schema_version')).rows.map((r) => r.version),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.up);
      await client.query('INSERT INTO coin_sync.schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    const ts = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
    const timescale = (ts.rowCount ?? 0) > 0;
    for (const t of tables) await ensureTable(client, t, timescale);
    const have = new Set(tables.map((t) => t.code.toLowerCase()));
    for (const v of VIEWS) if (v.needs.every((n) => have.has(n))) await client.query(v.sql);
    const candles = await candlesViewSql(client);
    if (candles) await client.query(candles);
    await client.query('COMMIT');
    return { version: MIGRATIONS[MIGRATIONS.length - 1]!.version, timescale };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

async function ensureTable(client: ClientBase, t: MirrorTable, timescale: boolean): Promise<void> {
  const cols = t.columns.map((c, i) => `${c} ${t.types[i]}${t.notNull[i] ? ' NOT NULL' : ''}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${t.qualified} (${cols.join(', ')}, PRIMARY KEY (${t.key.join(', ')}))`);
  // A dataset that gained a column in a later node version: add it (nullable, old rows keep null).
  for (let i = 0; i < t.columns.length; i++) {
    await client.query(`ALTER TABLE ${t.qualified} ADD COLUMN IF NOT EXISTS ${t.columns[i]} ${t.types[i]}`);
  }
  if (!t.timeColumn) return;
  const name = t.code.toLowerCase();
  if (timescale && t.key.includes(t.timeColumn)) {
    await client.query(`SELECT create_hypertable('${t.qualified}', '${t.timeColumn}', if_not_exists => TRUE, migrate_data => TRUE)`);
  } else {
    await client.query(`CREATE INDEX IF NOT EXISTS ${name}_${t.timeColumn}_brin ON ${t.qualified} USING brin (${t.timeColumn})`);
  }
}

/**
 * The per-connection staging table a page is COPYed into when it has to be merged: the mirror's
 * columns with the same types, so the same binary tuples fit both it and the table.
 */
export function tempTableSql(t: MirrorTable): string {
  const cols = t.columns.map((c, i) => `${c} ${t.types[i]}`);
  return `CREATE TEMP TABLE IF NOT EXISTS tmp_${t.code.toLowerCase()} (${cols.join(', ')}) ON COMMIT DELETE ROWS`;
}

/** Replaces this node's configured coins (one transaction: the views never see half a list). */
export async function writeCoins(client: ClientBase, nodeId: string, coins: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('DELETE FROM coin_sync.coins WHERE node_id = $1', [nodeId]);
    await client.query(
      `INSERT INTO coin_sync.coins (node_id, coin, position, updated_at)
       SELECT $1, c, p::int, now() FROM unnest($2::text[]) WITH ORDINALITY AS u(c, p)`,
      [nodeId, [...coins]],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

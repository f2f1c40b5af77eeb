import type { Statement } from 'better-sqlite3';
import { SYNC_PROTOCOL_VERSION, type DatasetInfo } from '../../../preload/contract/sender.js';
import type { Db } from '../store/db.js';
import { BOOKKEEPING, type Cell, type SyncTableDef } from '../store/sync-table.js';
import { syncTableDefs } from '../store/tables.js';
import { checksumOfJson } from './checksum.js';
import {
  DatasetError,
  type DatasetDef,
  type PageBody,
  type SyncPage,
  type ViewContext,
  type ViewDatasetDef,
  type ViewPage,
} from './types.js';

/** Two or three capital letters, then three digits or capitals (PT001, KLD01, OKX001). */
const CODE = /^[A-Z]{2,3}[0-9A-Z]{3}$/;

/** A registered syncable dataset with its prepared statements (one set per dataset, reused). */
interface SyncableEntry {
  def: DatasetDef & { kind: 'syncable' };
  key: string[];
  /** `col = ? AND ` per rowFilter column (empty without one), and the values bound to it. */
  where: string;
  whereArgs: (string | number)[];
  columns: string[];
  columnsJson: string;
  page: BoundStatement;
  maxSeq: BoundStatement;
  count: BoundStatement;
  /** COUNT(*) is a scan; it changes only when the table's max seq does, so cache it by that. */
  counted: { maxSeq: number; rows: number } | null;
}

interface ViewEntry {
  def: ViewDatasetDef;
  columnsJson: string;
  maxSeqOf: () => number;
  /** The view's count reads its tables (CS001: COUNT(DISTINCT ts), a scan); cached by their max seq like the tables' own counts. */
  counted: { maxSeq: number; rows: number | null } | null;
}

type Entry = SyncableEntry | ViewEntry;

/** A statement whose first parameters (a row filter's values) are always the same. */
interface BoundStatement {
  all(...args: unknown[]): unknown[];
  get(...args: unknown[]): unknown;
}
function bindFirst(stmt: Statement, first: readonly (string | number)[]): BoundStatement {
  if (first.length === 0) return stmt;
  return { all: (...args) => stmt.all(...first, ...args), get: (...args) => stmt.get(...first, ...args) };
}
const isSyncable = (e: Entry): e is SyncableEntry => e.def.kind === 'syncable';

/** The syncable table definitions present in this build (market tables may arrive later). */
export function knownSyncTable(table: string): SyncTableDef | undefined {
  const defs = syncTableDefs as Record<string, SyncTableDef>;
  return Object.hasOwn(defs, table) ? defs[table] : undefined;
}

/**
 * The dataset catalog (built-in entries: `builtin.ts`). A dataset is one registration: the sender's routes,
 * batch, stream and stats all look datasets up here by code, so adding one needs no new route.
 */
export class DatasetRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly ctx: ViewContext,
  ) {}

  /** Adds a dataset; a syncable one whose table this build lacks is refused (see registerAll). */
  register(def: DatasetDef, opts: { replace?: boolean } = {}): void {
    if (!CODE.test(def.code)) throw new Error(`dataset code "${def.code}" must look like PT001`);
    if (this.entries.has(def.code) && !opts.replace) throw new Error(`dataset ${def.code} is registered twice`);
    if (def.kind === 'syncable') {
      const t = knownSyncTable(def.table);
      if (!t) throw new Error(`dataset ${def.code}: there is no syncable table "${def.table}"`);
      const key = [...t.key];
      const columns = [...t.key, ...t.values, ...BOOKKEEPING];
      const filter = Object.entries(def.rowFilter ?? {});
      for (const [c] of filter) {
        if (!(columns as string[]).includes(c)) throw new Error(`dataset ${def.code}: rowFilter names ${c}, not a column of ${t.name}`);
      }
      const where = filter.map(([c]) => `${c} = ? AND `).join('');
      const whereArgs = filter.map(([, v]) => v);
      const page = this.db.prepare(`SELECT ${columns.join(', ')} FROM ${t.name} WHERE ${where}seq > ? ORDER BY seq LIMIT ?`).raw(true);
      // Without a filter the statements are exactly the unfiltered ones (the query-plan test knows them).
      const only = filter.length ? ` WHERE ${filter.map(([c]) => `${c} = ?`).join(' AND ')}` : '';
      const maxSeq = this.db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM ${t.name}${only}`).pluck(true);
      const count = this.db.prepare(`SELECT COUNT(*) FROM ${t.name}${only}`).pluck(true);
      // The seq index (with a filter: the (filter columns, seq) index) makes this a range scan; raw() returns arrays.
      this.entries.set(def.code, {
        def,
        key,
        where,
        whereArgs,
        columns,
        columnsJson: JSON.stringify(columns),
        page: bindFirst(page, whereArgs),
        maxSeq: bindFirst(maxSeq, whereArgs),
        count: bindFirst(count, whereArgs),
        counted: null,
      });
    } else {
      const deps = def.dependsOn.map((name) => knownSyncTable(name)).filter((t) => t !== undefined);
      const stmts = deps.map((t) => this.db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM ${t.name}`).pluck(true));
      this.entries.set(def.code, {
        def,
        columnsJson: JSON.stringify(def.columns),
        maxSeqOf: () => Math.max(0, ...stmts.map((s) => s.get() as number)),
        counted: null,
      });
    }
  }

  /** Registers each dataset whose table exists; returns the codes skipped for a missing table. */
  registerAll(defs: readonly DatasetDef[]): string[] {
    const skipped: string[] = [];
    for (const d of defs) {
      if (d.kind === 'syncable' && !knownSyncTable(d.table)) skipped.push(d.code);
      else this.register(d);
    }
    return skipped;
  }

  has(code: string): boolean {
    return this.entries.has(code);
  }

  codes(): string[] {
    return [...this.entries.keys()];
  }

  /** Codes to announce on the stream when `table` commits: its dataset and the views built on it. */
  codesForTable(table: string): string[] {
    const out: string[] = [];
    for (const e of this.entries.values()) {
      if (isSyncable(e) ? e.def.table === table : e.def.dependsOn.includes(table)) out.push(e.def.code);
    }
    return out;
  }

  kindOf(code: string): 'syncable' | 'view' {
    return this.entry(code).def.kind;
  }

  maxSeq(code: string): number {
    const e = this.entry(code);
    return isSyncable(e) ? (e.maxSeq.get() as number) : e.maxSeqOf();
  }

  info(code: string): DatasetInfo {
    const e = this.entry(code);
    const d = e.def;
    const base = {
      code: d.code,
      name: d.name,
      nameZh: d.nameZh,
      category: d.category,
      description: d.description,
      path: `/api/data-sync/sender/data/${d.code}`,
      method: 'GET' as const,
      interval: d.interval,
      kind: d.kind,
    };
    if (isSyncable(e)) {
      const maxSeq = e.maxSeq.get() as number;
      if (!e.counted || e.counted.maxSeq !== maxSeq) e.counted = { maxSeq, rows: e.count.get() as number };
      return { ...base, key: e.key, columns: e.columns, rows: e.counted.rows, maxSeq };
    }
    const v = e.def;
    const maxSeq = e.maxSeqOf();
    if (!e.counted || e.counted.maxSeq !== maxSeq) e.counted = { maxSeq, rows: v.count?.(this.ctx) ?? null };
    return { ...base, key: [...v.key], columns: [...v.columns], rows: e.counted.rows, maxSeq };
  }

  catalog(): DatasetInfo[] {
    return this.codes().map((c) => this.info(c));
  }

  /**
   * A syncable dataset's table, key and page columns (key, values, bookkeeping), and its row filter
   * as SQL (`where`: "col = ? AND " per column, to put before a condition; `whereArgs` bound first):
   * for readers such as the warehouse mirror.
   */
  tableOf(code: string): { table: string; key: string[]; columns: string[]; where: string; whereArgs: (string | number)[] } {
    const e = this.entry(code);
    if (!isSyncable(e)) throw new DatasetError(400, 'bad_input', `${code} is a view, not a table.`);
    return { table: e.def.table, key: [...e.key], columns: [...e.columns], where: e.where, whereArgs: [...e.whereArgs] };
  }

  /** The page reader without the JSON: rows with seq > since in seq order, as arrays in `tableOf().columns` order. */
  pageRows(code: string, since: number, limit: number): Cell[][] {
    const e = this.entry(code);
    if (!isSyncable(e)) throw new DatasetError(400, 'bad_input', `${code} is a view: it has no change pages.`);
    return e.page.all(since, limit) as Cell[][];
  }

  /** Rows with seq > since, in seq order, at most `limit` of them. */
  page(code: string, since: number, limit: number): SyncPage {
    const { json } = this.pageBody(code, since, limit);
    return JSON.parse(json) as SyncPage;
  }

  /**
   * The serialized page, built by hand around one JSON.stringify of the rows so the rows are
   * serialized once and hashed from that same string. Head fields come before `columns`/`rows`.
   */
  pageBody(code: string, since: number, limit: number): PageBody {
    const e = this.entry(code);
    if (!isSyncable(e)) throw new DatasetError(400, 'bad_input', `${code} is a view: ask it with from and to (epoch ms), not since.`);
    const rows = e.page.all(since, limit) as Cell[][];
    const maxSeq = e.maxSeq.get() as number;
    const last = rows.length > 0 ? (rows[rows.length - 1]![e.columns.length - 3] as number) : since;
    const hasMore = rows.length > 0 && last < maxSeq;
    const rowsJson = JSON.stringify(rows);
    const checksum = checksumOfJson(e.columnsJson, rowsJson);
    const json =
      `{"protocol":${SYNC_PROTOCOL_VERSION},"code":"${code}","kind":"syncable","since":${since},"nextSince":${last},` +
      `"hasMore":${hasMore},"maxSeq":${maxSeq},"count":${rows.length},"checksum":"${checksum}",` +
      `"columns":${e.columnsJson},"rows":${rowsJson}}`;
    return { json, rows: rows.length, nextSince: last, hasMore };
  }

  view(code: string, from: number, to: number): ViewPage {
    return JSON.parse(this.viewBody(code, from, to).json) as ViewPage;
  }

  viewBody(code: string, from: number, to: number): PageBody {
    const e = this.entry(code);
    if (isSyncable(e)) throw new DatasetError(400, 'bad_input', `${code} is syncable: ask it with since (a seq) and limit, not from/to.`);
    if (from > to) throw new DatasetError(400, 'bad_input', `from (${from}) is after to (${to}).`);
    if (to - from > e.def.maxRangeMs) {
      const days = Math.round(e.def.maxRangeMs / 86_400_000);
      throw new DatasetError(400, 'bad_input', `${code} covers at most ${days} days per request; narrow from..to.`);
    }
    const rows = e.def.query({ from, to }, this.ctx);
    const rowsJson = JSON.stringify(rows);
    const checksum = checksumOfJson(e.columnsJson, rowsJson);
    const json =
      `{"protocol":${SYNC_PROTOCOL_VERSION},"code":"${code}","kind":"view","from":${from},"to":${to},` +
      `"maxSeq":${e.maxSeqOf()},"count":${rows.length},"checksum":"${checksum}",` +
      `"columns":${e.columnsJson},"rows":${rowsJson}}`;
    return { json, rows: rows.length };
  }

  private entry(code: string): Entry {
    const e = this.entries.get(code);
    if (!e)
      throw new DatasetError(
        404,
        'not_found',
        `There is no dataset ${JSON.stringify(code.slice(0, 40))}; see /api/data-sync/sender/catalog.`,
      );
    return e;
  }
}

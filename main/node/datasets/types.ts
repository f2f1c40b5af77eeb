import type { Db } from '../store/db.js';
import type { Cell } from '../store/sync-table.js';

/** What every dataset shows in the catalog. */
interface DatasetMeta {
  /** Stable code such as PT002: two or three capital letters and three digits. */
  code: string;
  name: string;
  nameZh: string;
  category: string;
  description: string;
  /** Seconds between updates at the source (0 = whenever it changes). */
  interval: number;
}

/**
 * A syncable dataset is one syncable table (store/tables.ts): its key and columns come from the
 * table definition, so registering it is naming the table.
 */
export interface SyncableDatasetDef extends DatasetMeta {
  kind: 'syncable';
  table: string;
  /**
   * A fixed slice of a shared table: only rows whose columns equal these values belong to the
   * dataset (KL001…KLD01 are each one `bar` of `candles`). Its pages, max seq and count see only
   * those rows; the receiver applies them into the same table by key.
   */
  rowFilter?: Readonly<Record<string, string | number>>;
}

/** What a view's query can use besides the database. */
export interface ViewContext {
  db: Db;
  /** The coins the node is configured for, in display order. */
  coins(): readonly string[];
  now(): number;
}

export type ViewQuery = (range: { from: number; to: number }, ctx: ViewContext) => Cell[][];

/** A view is computed on request for a time range [from, to) (epoch ms, `to` excluded). */
export interface ViewDatasetDef extends DatasetMeta {
  kind: 'view';
  key: readonly string[];
  columns: readonly string[];
  /** Syncable tables it is computed from: a commit to one announces the view on the stream. */
  dependsOn: readonly string[];
  /** Longest to − from a request may ask for, which bounds the response size. */
  maxRangeMs: number;
  query: ViewQuery;
  /**
   * Optional total for the catalog (e.g. grid points with data); null when unknowable. It must
   * depend only on the `dependsOn` tables: the registry recounts only when their max seq moves.
   */
  count?: (ctx: ViewContext) => number | null;
}

export type DatasetDef = SyncableDatasetDef | ViewDatasetDef;

/** A page of a syncable dataset, before serialization. */
export interface SyncPage {
  protocol: number;
  code: string;
  kind: 'syncable';
  since: number;
  nextSince: number;
  hasMore: boolean;
  maxSeq: number;
  count: number;
  checksum: string;
  columns: string[];
  rows: Cell[][];
}

export interface ViewPage {
  protocol: number;
  code: string;
  kind: 'view';
  from: number;
  to: number;
  maxSeq: number;
  count: number;
  checksum: string;
  columns: string[];
  rows: Cell[][];
}

/** A serialized page: the exact JSON body the sender writes, with what the request log needs. */
export interface PageBody {
  json: string;
  rows: number;
  /** Syncable pages only: the cursor for the next request and whether to make it. */
  nextSince?: number;
  hasMore?: boolean;
}

/** Thrown for a request the registry cannot answer; the sender maps `status` to the HTTP status. */
export class DatasetError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'bad_input' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

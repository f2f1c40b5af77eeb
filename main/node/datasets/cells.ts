/**
 * Time-ranged reads of a syncable dataset whose key holds a coin and a time (PT002, KL030, …): what
 * a peer holds per UTC+8 day and coin (coverage: a count and a hash of the values) and the rows of
 * one coin in a range. Backfill on another node uses them to take missing cells from this node
 * instead of the exchange, and to compare values between sources.
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { CANDLE_DATASET } from '../../../preload/contract/candle-bars.js';
import { SYNC_PROTOCOL_VERSION } from '../../../preload/contract/sender.js';
import { dayOf, dayStartOf, DAY_MS, UTC8_OFFSET_MS } from '../market/grid-time.js';
import type { Db } from '../store/db.js';
import { BOOKKEEPING, type Cell } from '../store/sync-table.js';
import { checksumOfJson } from './checksum.js';
import type { DatasetRegistry } from './registry.js';
import { DatasetError } from './types.js';

/**
 * One day and coin of a coverage answer, hashed as its rows arrive: the bytes fed are exactly
 * `JSON.stringify(rows)` (its elements' JSON joined by commas in brackets), so the digest equals
 * CellReader.hashRows of the whole day without holding the day's rows.
 */
class DayHash {
  readonly end: number;
  private readonly h = createHash('sha256').update('[');
  private count = 0;

  constructor(private readonly start: number) {
    this.end = start + DAY_MS;
  }

  add(row: readonly Cell[]): void {
    const j = JSON.stringify(row);
    this.h.update(this.count === 0 ? j : `,${j}`);
    this.count += 1;
  }

  line(coin: string): CoverageLine {
    return { day: dayOf(this.start), coin, count: this.count, hash: this.h.update(']').digest('hex') };
  }
}

/** Longest coverage request: a year and a day (the response is one line per day and coin). */
export const MAX_COVERAGE_MS = 366 * DAY_MS;
/** Longest range pull; the row cap (the sender's page size) bounds it further. */
export const MAX_RANGE_MS = 31 * DAY_MS;

/** Columns not hashed: where a row came from is not its value. */
const NOT_VALUES = new Set(['source']);

interface Reader {
  /** Columns of a range answer: key, values, bookkeeping (the sync page's). */
  columns: string[];
  columnsJson: string;
  /** `ts, ...hashed values` of one coin, in ts order. */
  coverage: Statement;
  coins: Statement;
  /** `[UTC+8 day number, rows]` of one coin, in day order. */
  dayCounts: Statement;
  range: Statement;
  count: Statement;
  bar: string | null;
}

const COIN = /^[A-Z0-9]{1,20}$/;

/** Bar of a candle dataset code (KL030 → 30m); tables without a bar column ignore it. */
const barOf = (code: string): string | null => {
  const hit = Object.entries(CANDLE_DATASET).find(([, c]) => c === code);
  return hit ? hit[0] : null;
};

export interface CoverageLine {
  day: string;
  coin: string;
  count: number;
  hash: string;
}

export class CellReader {
  private readonly readers = new Map<string, Reader>();

  constructor(
    private readonly db: Db,
    private readonly registry: DatasetRegistry,
  ) {}

  /** Whether `code` can be asked by time range (syncable, with coin and ts in its key). */
  supports(code: string): boolean {
    if (!this.registry.has(code) || this.registry.kindOf(code) !== 'syncable') return false;
    const { key } = this.registry.tableOf(code);
    return key.includes('coin') && key.includes('ts');
  }

  /** Hashed values of one day and coin: sha256 of JSON `[[ts, ...values], …]` in ts order. */
  static hashRows(rows: readonly (readonly Cell[])[]): string {
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  }

  /**
   * `hashes: false` leaves the hash empty and counts in SQL: a node asking only one peer has
   * nothing to compare hashes with, and hashing a year of 27 coins cost ~1.3 s of its wait.
   */
  coverage(code: string, from: number, to: number, coins?: readonly string[], hashes = true): { json: string; lines: number } {
    checkRange(from, to, MAX_COVERAGE_MS, 'coverage');
    const r = this.reader(code);
    const lines: CoverageLine[] = [];
    // One primary-key range scan per coin reads rows in (coin, ts) order without the sort a
    // (bar, ts) index scan needs: about half the cost of one scan over every coin.
    const held = r.coins.all() as string[];
    const want = coins ? held.filter((c) => coins.includes(c)) : held;
    for (const coin of want) {
      const args = r.bar === null ? [coin, from, to] : [coin, r.bar, from, to];
      if (!hashes) {
        for (const [d, count] of r.dayCounts.all(...args) as [number, number][]) {
          lines.push({ day: dayOf(d * DAY_MS - UTC8_OFFSET_MS), coin, count, hash: '' });
        }
        continue;
      }
      let hash: DayHash | null = null;
      for (const row of r.coverage.all(...args) as Cell[][]) {
        const ts = row[0] as number;
        if (hash === null || ts >= hash.end) {
          if (hash) lines.push(hash.line(coin));
          hash = new DayHash(dayStartOf(ts));
        }
        hash.add(row);
      }
      if (hash) lines.push(hash.line(coin));
    }
    lines.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.coin < b.coin ? -1 : a.coin > b.coin ? 1 : 0));
    const rowsJson = JSON.stringify(lines.map((l) => [l.day, l.coin, l.count, l.hash]));
    const columnsJson = '["day","coin","count","hash"]';
    const json =
      `{"protocol":${SYNC_PROTOCOL_VERSION},"code":"${code}","from":${from},"to":${to},"count":${lines.length},` +
      `"checksum":"${checksumOfJson(columnsJson, rowsJson)}","columns":${columnsJson},"rows":${rowsJson}}`;
    return { json, lines: lines.length };
  }

  /** Rows of one coin with from ≤ ts < to, as a checksummed page (columns like a sync page's). */
  range(code: string, coin: string, from: number, to: number, maxRows: number): { json: string; rows: number } {
    checkRange(from, to, MAX_RANGE_MS, 'range');
    if (!COIN.test(coin)) throw new DatasetError(400, 'bad_input', 'coin: must be a coin symbol such as BTC (capital letters and digits).');
    const r = this.reader(code);
    const args = r.bar === null ? [coin, from, to] : [coin, r.bar, from, to];
    const n = r.count.get(...args) as number;
    if (n > maxRows) {
      throw new DatasetError(
        400,
        'bad_input',
        `That range holds ${n} rows, more than the ${maxRows} one request may return; narrow from..to.`,
      );
    }
    const rows = r.range.all(...args) as Cell[][];
    const rowsJson = JSON.stringify(rows);
    const json =
      `{"protocol":${SYNC_PROTOCOL_VERSION},"code":"${code}","coin":"${coin}","from":${from},"to":${to},"count":${rows.length},` +
      `"checksum":"${checksumOfJson(r.columnsJson, rowsJson)}","columns":${r.columnsJson},"rows":${rowsJson}}`;
    return { json, rows: rows.length };
  }

  private reader(code: string): Reader {
    const known = this.readers.get(code);
    if (known) return known;
    if (!this.supports(code)) {
      // Unknown codes are a 404 (the registry says so); known ones without a time key are the caller's mistake.
      if (!this.registry.has(code)) this.registry.kindOf(code);
      throw new DatasetError(400, 'bad_input', `${code} cannot be asked by time range: only syncable datasets keyed by coin and time can.`);
    }
    const { table, key, columns } = this.registry.tableOf(code);
    const values = columns.filter((c) => !key.includes(c) && !(BOOKKEEPING as readonly string[]).includes(c) && !NOT_VALUES.has(c));
    const bar = key.includes('bar') ? (barOf(code) ?? '30m') : null;
    const barSql = bar === null ? '' : ' AND bar = ?';
    const r: Reader = {
      columns,
      columnsJson: JSON.stringify(columns),
      coverage: this.db
        .prepare(`SELECT ts, ${values.join(', ')} FROM ${table} WHERE coin = ?${barSql} AND ts >= ? AND ts < ? ORDER BY ts`)
        .raw(true),
      // The distinct coins by skipping through the key's first column: one index seek per coin.
      coins: this.db
        .prepare(
          `WITH RECURSIVE c(coin) AS (SELECT MIN(coin) FROM ${table} UNION ALL ` +
            `SELECT (SELECT MIN(coin) FROM ${table} WHERE coin > c.coin) FROM c WHERE c.coin IS NOT NULL) ` +
            'SELECT coin FROM c WHERE coin IS NOT NULL',
        )
        .pluck(true),
      range: this.db
        .prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE coin = ?${barSql} AND ts >= ? AND ts < ? ORDER BY ts`)
        .raw(true),
      dayCounts: this.db
        .prepare(
          `SELECT (ts + ${UTC8_OFFSET_MS}) / ${DAY_MS} AS d, COUNT(*) FROM ${table} WHERE coin = ?${barSql} AND ts >= ? AND ts < ? GROUP BY d ORDER BY d`,
        )
        .raw(true),
      count: this.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE coin = ?${barSql} AND ts >= ? AND ts < ?`).pluck(true),
      bar,
    };
    this.readers.set(code, r);
    return r;
  }
}

function checkRange(from: number, to: number, max: number, what: string): void {
  if (from >= to) throw new DatasetError(400, 'bad_input', `from (${from}) must be before to (${to}).`);
  if (to - from > max) {
    throw new DatasetError(400, 'bad_input', `A ${what} request covers at most ${Math.round(max / DAY_MS)} days; narrow from..to.`);
  }
}

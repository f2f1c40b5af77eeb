import fs from 'node:fs';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';
import { median, type BenchResult } from './types.js';

const ROWS = 200_000;
const ROUNDS = 5;

/**
 * Rows/s of the seq-assigning upsert vs a raw better-sqlite3 INSERT of the same rows into a table of
 * the same shape and indexes, in the same file: the cost of conflict detection and seq bookkeeping.
 */
export default async function storeUpsert(): Promise<BenchResult> {
  const rows = Array.from(
    { length: ROWS },
    (_, i) => [`C${i % 27}`, Math.floor(i / 27) * 1_800_000, 100 + (i % 997) / 10, 99, 1.01, 'bench'] as const,
  );
  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dir = tempDataDir('csn-bench-');
    const store = Store.open(dir);
    // The baseline table is grid_prices' own DDL and indexes under another name: same rows, same bytes.
    const ddl = store.db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'grid_prices' AND sql IS NOT NULL").all() as {
      sql: string;
    }[];
    for (const { sql } of ddl) store.db.exec(sql.replace(/grid_prices/g, 'raw_prices'));
    const insert = store.db.prepare('INSERT INTO raw_prices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // Alternate the order so neither side always runs on a warmer cache.
    const runRaw = () => {
      const t = performance.now();
      const now = Date.now();
      let seq = 0;
      store.db.transaction(() => {
        for (const r of rows) insert.run(...r, ++seq, store.nodeId, now);
      })();
      raw.push(ROWS / ((performance.now() - t) / 1000));
    };
    const runOurs = () => {
      const t = performance.now();
      store.write(() => store.tables.grid_prices.upsertLocal(rows, store.nodeId, Date.now()));
      ours.push(ROWS / ((performance.now() - t) / 1000));
    };
    if (round % 2) {
      runRaw();
      runOurs();
    } else {
      runOurs();
      runRaw();
    }
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A second pass of identical rows: the no-op path that keeps seq (what a re-sync mostly does).
  const dir = tempDataDir('csn-bench-');
  const store = Store.open(dir);
  store.write(() => store.tables.grid_prices.upsertLocal(rows, store.nodeId, 1));
  const t = performance.now();
  store.write(() => store.tables.grid_prices.upsertLocal(rows, store.nodeId, 2));
  const noop = ROWS / ((performance.now() - t) / 1000);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const o = median(ours);
  const b = median(raw);
  return {
    name: 'store upsert',
    figures: [
      {
        metric: `seq upsert, ${ROWS.toLocaleString('en-US')} new rows (median of ${ROUNDS})`,
        value: o,
        unit: 'rows/s',
        baseline: b,
        ratio: o / b,
        goal: '≥ 0.5× raw insert',
        pass: o / b >= 0.5,
      },
      { metric: 'seq upsert of identical rows (no-op, seq kept)', value: noop, unit: 'rows/s', baseline: b, ratio: noop / b },
    ],
  };
}

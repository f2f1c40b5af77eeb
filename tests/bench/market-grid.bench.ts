import fs from 'node:fs';
import { buildCsv } from '../../main/node/export/csv.js';
import { EventBus } from '../../main/node/events/bus.js';
import { GridWriter, type GridPointInput } from '../../main/node/market/grid-writer.js';
import { LiveState } from '../../main/node/market/live-state.js';
import { MarketQueries } from '../../main/node/market/queries.js';
import { Store } from '../../main/node/store/store.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { tempDataDir } from '../helpers/headless.js';
import { median, percentile, type BenchResult } from './types.js';

const DAYS = 400;
const HALF = 1_800_000;
const START = Date.UTC(2025, 0, 1, 16); // 00:00 UTC+8, 2025-01-02
const coins = [...DEFAULT_COINS];
const time = (fn: () => unknown): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

/** Runs async work while a 1 ms timer probes the event loop; reports the longest gap between probes. */
async function stalls<T>(fn: () => Promise<T>): Promise<{ value: T; totalMs: number; maxBlockMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  const value = await fn();
  const totalMs = performance.now() - t0;
  clearInterval(probe);
  maxGap = Math.max(maxGap, performance.now() - last);
  return { value, totalMs, maxBlockMs: maxGap };
}

/**
 * The market's write and read paths on a year-plus of 27-coin grid data (400 days × 48 × 27 =
 * 518,400 rows): grid writing vs the bare seq upsert of the same rows; the CS001 view, a day table
 * and the CSV exports vs plain SQL over the same range; and the live tick path.
 */
export default async function marketGrid(): Promise<BenchResult> {
  const dir = tempDataDir('csn-bench-market-');
  const store = Store.open(dir);
  const writer = new GridWriter(store);
  const q = new MarketQueries({ db: store.db, coins: () => coins, now: () => START + DAYS * 86_400_000 });
  const price = (c: number, ts: number) => 100 + c + Math.sin(ts / 7e6 + c) * 3;

  // Backfill pattern: one call per day (27 × 48 points).
  let written = 0;
  const writeMs = time(() => {
    for (let d = 0; d < DAYS; d++) {
      const pts: GridPointInput[] = [];
      for (let i = 0; i < 48; i++) {
        const ts = START + d * 86_400_000 + i * HALF;
        coins.forEach((coin, c) => pts.push({ coin, ts, price: price(c, ts), source: 'backfill' }));
      }
      written += writer.writeGridPrices(pts).changed;
    }
  });
  // Baseline: the bare seq upsert of the same number of rows into a fresh store.
  const dir2 = tempDataDir('csn-bench-market-raw-');
  const raw = Store.open(dir2);
  const rawMs = time(() => {
    for (let d = 0; d < DAYS; d++) {
      const rows: (string | number | null)[][] = [];
      for (let i = 0; i < 48; i++) {
        const ts = START + d * 86_400_000 + i * HALF;
        coins.forEach((coin, c) => rows.push([coin, ts, price(c, ts), 100, 0, 'backfill']));
      }
      raw.write(() => raw.tables.grid_prices.upsertLocal(rows, raw.nodeId, 1));
    }
  });
  raw.close();
  fs.rmSync(dir2, { recursive: true, force: true });

  const end = START + DAYS * 86_400_000;
  const sumMs = median([0, 1, 2].map(() => time(() => q.sumSeries(START, end))));
  const sqlMs = median(
    [0, 1, 2].map(() =>
      time(() =>
        store.db.prepare('SELECT ts, SUM(change_pct), COUNT(*) FROM grid_prices WHERE ts >= ? AND ts < ? GROUP BY ts').all(START, end),
      ),
    ),
  );
  const dayMs = median([0, 1, 2, 3, 4].map(() => time(() => q.day('2025-06-01'))));
  const chunkedSum = await stalls(() => q.sumSeriesChunked(START, end));
  const full = await stalls(() => buildCsv(q, { kind: 'full', from: START, to: end, lang: 'en' }));
  const sumCsv = await stalls(() => buildCsv(q, { kind: 'sum', from: START, to: end, lang: 'en' }));
  const fullBytes = Buffer.byteLength(full.value.content);

  // Live path: 27 coins × 2,000 ticks, DB writes throttled to 1/s per coin on a simulated clock.
  let wall = end;
  const live = new LiveState({
    store,
    bus: new EventBus(),
    coins: () => coins,
    log: { error() {}, warn() {}, info() {}, debug() {} },
    now: () => wall,
  });
  const lat: number[] = [];
  for (let k = 0; k < 2_000; k++) {
    wall += 100;
    for (let c = 0; c < coins.length; c++) {
      const t = performance.now();
      live.applyTicks([{ coin: coins[c]!, price: price(c, wall), ts: wall, source: 'ws', sodUtc8: 100 }]);
      lat.push((performance.now() - t) * 1000);
    }
  }
  live.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const rowsPerS = written / (writeMs / 1000);
  const rawPerS = written / (rawMs / 1000);
  return {
    name: 'market grid',
    figures: [
      {
        metric: `grid write, ${written.toLocaleString('en-US')} rows in per-day batches`,
        value: rowsPerS,
        unit: 'rows/s',
        baseline: rawPerS,
        ratio: rowsPerS / rawPerS,
        goal: '≥ 0.3× bare upsert',
        pass: rowsPerS / rawPerS >= 0.3,
      },
      {
        metric: `queries.sumSeries (sync, one block) over ${DAYS} days (${DAYS * 48} points)`,
        value: sumMs,
        unit: 'ms',
        baseline: sqlMs,
        ratio: sumMs / sqlMs,
      },
      { metric: 'market.day (48 × 27)', value: dayMs, unit: 'ms', goal: '≤ 20 ms', pass: dayMs <= 20 },
      {
        metric: `market.sumSeries handler (chunked), ${DAYS} days: longest event-loop block`,
        value: chunkedSum.maxBlockMs,
        unit: 'ms',
        baseline: sumMs,
        ratio: chunkedSum.maxBlockMs / sumMs,
        goal: '≤ 50 ms',
        pass: chunkedSum.maxBlockMs <= 50,
      },
      {
        metric: `export.csv full, ${DAYS} days (${(fullBytes / 1e6).toFixed(1)} MB): total`,
        value: full.totalMs,
        unit: 'ms',
        baseline: sqlMs,
        ratio: full.totalMs / sqlMs,
      },
      {
        metric: 'export.csv full: longest event-loop block',
        value: full.maxBlockMs,
        unit: 'ms',
        goal: '≤ 50 ms',
        pass: full.maxBlockMs <= 50,
      },
      { metric: `export.csv sum, ${DAYS} days: total`, value: sumCsv.totalMs, unit: 'ms', baseline: sumMs, ratio: sumCsv.totalMs / sumMs },
      {
        metric: 'export.csv sum: longest event-loop block',
        value: sumCsv.maxBlockMs,
        unit: 'ms',
        goal: '≤ 50 ms',
        pass: sumCsv.maxBlockMs <= 50,
      },
      { metric: 'applyTicks one tick p50 (event + throttled write)', value: percentile(lat, 50), unit: 'µs' },
      { metric: 'applyTicks one tick p99', value: percentile(lat, 99), unit: 'µs', goal: '≤ 1000 µs', pass: percentile(lat, 99) <= 1000 },
    ],
    notes: [
      'longest event-loop block = the largest gap between two 1 ms timer probes while the work ran: how long a tick or socket message could wait.',
    ],
  };
}

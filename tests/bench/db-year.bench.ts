/**
 * Issue 14: database size after a year under the default retention, with the unbounded growth
 * (every dataset kept forever, MB/day × 365) as the same-run baseline.
 *
 * Method: each dataset is written into its own fresh Store through the node's own write path
 * (GridWriter.writeCandles for KL001…KLD01 and, via the 30-minute bars, PT002/PB001; DerivsSink for
 * MP001 FR001 OI001 OB005 LQ001 OKX001), at the simulator's rates and values, over a sample span long
 * enough for ≥ ~10k rows. Bytes per row = dbstat pages of the table and all its indexes, after minus
 * before. The year = Σ rows/day × min(retention days, 365) × bytes/row, plus the bounded (latest-only)
 * tables. The extrapolation is then checked by building one whole 1m window (30 d × 27 coins,
 * 1,166,400 rows) through the same writer and comparing its measured size with the prediction.
 */
import fs from 'node:fs';
import { RetentionSchema, type Retention } from '../../preload/contract/data-settings.js';
import { CANDLE_BARS, CANDLE_DATASET, type CandleBar } from '../../preload/contract/candle-bars.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { GridWriter } from '../../main/node/market/grid-writer.js';
import { DerivsSink } from '../../main/node/market/derivs/derivs-sink.js';
import type { CandleInput } from '../../main/node/okx/candle-pages.js';
import { OKX_BARS } from '../../main/node/okx/bars.js';
import { OkxBookSchema, OkxFundingRateSchema, OkxOpenInterestSchema } from '../../main/node/okx/deriv-schemas.js';
import { OkxCandleRowSchema, OkxTickerSchema } from '../../main/node/okx/schemas.js';
import { DerivsModel, FUNDING_INTERVAL_MS } from '../../main/node/simulator/derivs-model.js';
import { candleRow, tickerValues } from '../../main/node/simulator/payloads.js';
import { createPricePath, type PricePath } from '../../main/node/simulator/price-path.js';
import type { SimInstrument } from '../../main/node/simulator/instruments.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';
import type { BenchResult, Figure } from './types.js';

const SEC = 1_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const MB = 1e6;

interface Sample {
  code: string;
  table: string;
  rowsPerDay: number;
  rows: number;
  bytes: number;
  /** Latest-only table: its size does not grow with time. */
  bounded?: boolean;
}

/** Pages of a table and every index on it (dbstat), in bytes. */
function tableBytes(store: Store, table: string): number {
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return store.db
    .prepare('SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)')
    .pluck(true)
    .get(table) as number;
}
const count = (store: Store, table: string, where = '1', ...args: string[]) =>
  store.db
    .prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`)
    .pluck(true)
    .get(...args) as number;

function withStore<T>(fn: (store: Store) => T): T {
  const dir = tempDataDir('csn-bench-year-');
  const store = Store.open(dir);
  try {
    return fn(store);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const openOf = (bar: CandleBar, t: number) => {
  const s = OKX_BARS[bar];
  return Math.floor((t + s.offsetMs) / s.ms) * s.ms - s.offsetMs;
};

/** The closed bars of `bar` for every coin, as the collector stores them: one transaction per close. */
function writeBars(grid: GridWriter, path: PricePath, coins: SimInstrument[], bar: CandleBar, from: number, to: number): void {
  const ms = OKX_BARS[bar].ms;
  for (let ts = openOf(bar, from) + (openOf(bar, from) < from ? ms : 0); ts + ms <= to; ts += ms) {
    const batch: CandleInput[] = [];
    for (const inst of coins) {
      const c = path.bar(inst.instId, bar, ts, ts + ms);
      if (!c) continue;
      batch.push({ coin: inst.coin, bar, ...OkxCandleRowSchema.parse(candleRow(inst, c)), confirm: true });
    }
    // The grid collector writes 30-minute bars with their grid point (PT002) and day baseline (PB001).
    grid.writeCandles(batch, bar === '30m' ? { gridSource: 'ws' } : {});
  }
}

/** Sample days per timeframe: ≥ ~10k rows each, the daily bar over a year. */
const CANDLE_SAMPLE_DAYS: Record<CandleBar, number> = { '1m': 1, '5m': 3, '15m': 8, '30m': 16, '1H': 30, '4H': 90, '1D': 365 };

function candleSamples(path: PricePath, coins: SimInstrument[]): Sample[] {
  return CANDLE_BARS.flatMap((bar) =>
    withStore((store) => {
      const grid = new GridWriter(store, () => T0);
      const empty = { candles: tableBytes(store, 'candles'), grid: tableBytes(store, 'grid_prices'), base: tableBytes(store, 'baselines') };
      const days = CANDLE_SAMPLE_DAYS[bar];
      writeBars(grid, path, coins, bar, T0, T0 + days * DAY);
      const barsPerDay = bar === '1D' ? 1 : DAY / OKX_BARS[bar].ms;
      const out: Sample[] = [
        {
          code: CANDLE_DATASET[bar],
          table: 'candles',
          rowsPerDay: coins.length * barsPerDay,
          rows: count(store, 'candles'),
          bytes: tableBytes(store, 'candles') - empty.candles,
        },
      ];
      if (bar === '30m')
        out.push(
          {
            code: 'PT002',
            table: 'grid_prices',
            rowsPerDay: coins.length * 48,
            rows: count(store, 'grid_prices'),
            bytes: tableBytes(store, 'grid_prices') - empty.grid,
          },
          {
            code: 'PB001',
            table: 'baselines',
            rowsPerDay: coins.length,
            rows: count(store, 'baselines'),
            bytes: tableBytes(store, 'baselines') - empty.base,
          },
        );
      return out;
    }),
  );
}

/** The derivatives at OKX's cadences from the simulator's model, through DerivsSink. */
function derivSamples(path: PricePath, coins: SimInstrument[], liqPerDay: { value: number }): Sample[] {
  const model = new DerivsModel(path);
  const sample = (
    code: string,
    table: Parameters<typeof tableBytes>[1],
    rowsPerDay: (rows: number) => number,
    run: (sink: DerivsSink, clock: { t: number }) => void,
    bounded = false,
  ): Sample =>
    withStore((store) => {
      const clock = { t: T0 };
      const sink = new DerivsSink(store, () => clock.t);
      const empty = tableBytes(store, table);
      run(sink, clock);
      sink.flush(true);
      const rows = count(store, table);
      // A latest-only table counts whole (its first page too); a series by what its rows added.
      return { code, table, rowsPerDay: rowsPerDay(rows), rows, bytes: tableBytes(store, table) - (bounded ? 0 : empty), bounded };
    });
  // Each run writes on the sink's own beat (FLUSH_MS) in simulated time.
  const beat = (sink: DerivsSink, clock: { t: number }, span: number, step: number, flushEvery: number, each: (t: number) => void) => {
    for (let t = T0; t < T0 + span; t += step) {
      clock.t = t;
      each(t);
      if ((t - T0) % flushEvery === 0) sink.flush(true);
    }
  };
  const swaps = path.instruments().filter((i) => i.instId.endsWith('-USDT-SWAP'));
  return [
    // Mark price every 3 s, a row per coin and minute: half a day.
    sample(
      'MP001',
      'mark_prices',
      () => coins.length * 1_440,
      (sink, clock) =>
        beat(sink, clock, DAY / 2, 3 * SEC, 3 * SEC, (t) => {
          for (const i of coins) sink.markPrice(i.coin, Number(model.markPx(i, t)), t);
        }),
    ),
    // Open interest every 3 s into 5-minute buckets: a day.
    sample(
      'OI001',
      'open_interest',
      () => coins.length * 288,
      (sink, clock) =>
        beat(sink, clock, DAY, 3 * SEC, 15 * SEC, (t) => {
          for (const i of coins) {
            const o = OkxOpenInterestSchema.parse(model.openInterestRow(i, t));
            sink.openInterest(i.coin, o.oi, o.oiCcy ?? null, o.oiUsd ?? null, o.ts);
          }
        }),
    ),
    // Funding: the forecast each minute, the realised rate at each 8-hourly settlement: 180 days in hourly steps.
    sample(
      'FR001',
      'funding_rates',
      () => coins.length * (DAY / FUNDING_INTERVAL_MS),
      (sink, clock) =>
        beat(sink, clock, 180 * DAY, 3_600 * SEC, 3_600 * SEC, (t) => {
          for (const i of coins) {
            const f = OkxFundingRateSchema.parse(model.fundingRateRow(i, t));
            sink.funding(i.coin, f.fundingTime, f.fundingRate, null);
            if (t % FUNDING_INTERVAL_MS === 0) sink.funding(i.coin, t, f.fundingRate, f.fundingRate);
          }
        }),
    ),
    // Liquidations as the simulator emits them (1 per coin per 90 s on average): a day.
    sample(
      'LQ001',
      'liquidations',
      (rows) => (liqPerDay.value = rows),
      (sink, clock) =>
        beat(sink, clock, DAY, 60 * SEC, 60 * SEC, (t) => {
          for (const i of coins)
            for (const l of model.liquidations(i, t, t + 60 * SEC))
              sink.liquidation(i.coin, l.ts, l.side, Number(l.bkPx), Number(l.sz), l.posSide, Number(l.bkLoss));
        }),
    ),
    // Latest-only tables: an hour of churn, then their (constant) size.
    sample(
      'OB005',
      'order_books',
      () => 0,
      (sink, clock) =>
        beat(sink, clock, 3_600 * SEC, SEC, 2 * SEC, (t) => {
          for (const i of coins) {
            const b = OkxBookSchema.parse(model.book(i, t, 5));
            sink.book(i.coin, b.ts, b.bids, b.asks);
          }
        }),
      true,
    ),
    sample(
      'OKX001',
      'swap_tickers',
      () => 0,
      (sink, clock) =>
        beat(sink, clock, 3_600 * SEC, 5 * SEC, 5 * SEC, (t) => {
          for (const i of swaps) sink.swapTicker(OkxTickerSchema.parse({ instType: 'SWAP', ...tickerValues(path, i, t) }));
        }),
      true,
    ),
  ];
}

const keptDays = (r: Retention, code: string): number => Math.min(r[code] ?? 365, 365);

export default async function dbYear(): Promise<BenchResult> {
  const path = createPricePath({ seed: 'bench' });
  const coins = DEFAULT_COINS.map((c) => path.instrument(c)!);
  const retention = RetentionSchema.parse(undefined);
  const liq = { value: 0 };
  const started = performance.now();
  const samples = [...candleSamples(path, coins), ...derivSamples(path, coins, liq)];
  const sampleSecs = (performance.now() - started) / 1000;
  const bpr = (s: Sample) => s.bytes / Math.max(1, s.rows);
  const yearOf = (s: Sample, days: (code: string) => number) => (s.bounded ? s.bytes : s.rowsPerDay * days(s.code) * bpr(s));
  const year = samples.reduce((a, s) => a + yearOf(s, (c) => keptDays(retention, c)), 0);
  const unbounded = samples.reduce((a, s) => a + yearOf(s, () => 365), 0);
  const perDay = samples.reduce((a, s) => a + (s.bounded ? 0 : s.rowsPerDay * bpr(s)), 0);
  // Once every window is full, only the datasets kept forever still grow.
  const forever = samples.reduce((a, s) => a + (s.bounded || retention[s.code] != null ? 0 : s.rowsPerDay * bpr(s)), 0);

  // Validation: one whole 1m window (the largest bounded series) built through the same writer.
  const kl001 = samples.find((s) => s.code === 'KL001')!;
  const window = retention.KL001 ?? 30;
  const v = withStore((store) => {
    const grid = new GridWriter(store, () => T0);
    const empty = tableBytes(store, 'candles');
    const t = performance.now();
    writeBars(grid, path, coins, '1m', T0, T0 + window * DAY);
    const secs = (performance.now() - t) / 1000;
    const bytes = tableBytes(store, 'candles') - empty;
    return { rows: count(store, 'candles'), bytes, file: fs.statSync(store.path).size, secs };
  });
  const predicted = v.rows * bpr(kl001);

  const figures: Figure[] = [
    {
      metric: 'database after a year, default retention (every stream on, 27 coins)',
      value: year / MB,
      unit: 'MB',
      baseline: unbounded / MB,
      ratio: year / unbounded,
      goal: '< 5,000 MB (desktop)',
      pass: year / MB < 5_000,
    },
    { metric: 'unbounded growth (every dataset kept forever)', value: perDay / MB, unit: 'MB/day' },
    {
      metric: 'growth after the first year, default retention (forever datasets only)',
      value: (forever * 365) / MB,
      unit: 'MB/year',
      baseline: (perDay * 365) / MB,
      ratio: forever / perDay,
    },
    {
      metric: `validation: KL001 ${window} d × ${coins.length} coins (${v.rows.toLocaleString('en-US')} rows) measured vs predicted`,
      value: v.bytes / MB,
      unit: 'MB',
      baseline: predicted / MB,
      ratio: v.bytes / predicted,
      goal: 'within ±15 %',
      pass: Math.abs(v.bytes / predicted - 1) <= 0.15,
    },
  ];
  const table = samples
    .map((s) =>
      s.bounded
        ? `${s.code} ${(s.bytes / 1e3).toFixed(0)} kB (latest only, ${s.rows} rows)`
        : `${s.code} ${s.rowsPerDay.toFixed(0)}/day × ${bpr(s).toFixed(1)} B × ${keptDays(retention, s.code)} d = ${(yearOf(s, (c) => keptDays(retention, c)) / MB).toFixed(1)} MB`,
    )
    .join('; ');
  return {
    name: 'db-year',
    figures,
    notes: [
      `default retention ${JSON.stringify(retention)} (other codes forever); per dataset: ${table}`,
      `samples written in ${sampleSecs.toFixed(1)} s; liquidations at the simulator's ${Math.round(liq.value).toLocaleString('en-US')}/day; PT001/PS001 (latest tick and speed per coin) are a page each and left out`,
      `validation window written in ${v.secs.toFixed(1)} s through GridWriter (one transaction per minute close); file ${(v.file / MB).toFixed(1)} MB after checkpoint; a pruned window's pages are reused by the next days, so the file stays near its window size`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await dbYear();
  console.log(JSON.stringify(r, null, 2));
}

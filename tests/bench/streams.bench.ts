/**
 * Issue 14's idle cost of the derivatives streams, with a same-run baseline:
 * (a) CPU % of one core and RSS of a headless node with every stream on (mark price, funding,
 *     open interest, books5, liquidations, every swap's ticker) for the 27 coins, vs the same
 *     node with only the grid collector's tickers/candles on; both run side by side against one
 *     standalone simulator process, so both see the same machine.
 * (b) Database growth per day with every stream on: one simulated hour written at accelerated
 *     rate through the node's own write path (DerivsSink into a real Store), fed from the
 *     simulator's model at OKX's cadences (mark price every 3 s, OI every 3 s, books every second
 *     as 1 s beats, funding each minute, every swap's ticker every 5 s, liquidations at the rate
 *     the live node measured in (a)); the file's growth after a checkpoint, × 24.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { DerivsSink } from '../../main/node/market/derivs/derivs-sink.js';
import { Store } from '../../main/node/store/store.js';
import { createPricePath } from '../../main/node/simulator/price-path.js';
import { DerivsModel } from '../../main/node/simulator/derivs-model.js';
import { tickerValues } from '../../main/node/simulator/payloads.js';
import { OkxBookSchema, OkxFundingRateSchema, OkxOpenInterestSchema } from '../../main/node/okx/deriv-schemas.js';
import { OkxTickerSchema } from '../../main/node/okx/schemas.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';
import { startSimulatorProc, watchProc } from './market-ui-procs.js';
import type { BenchResult, Figure } from './types.js';

const WARMUP_MS = 20_000;
const MEASURE_MS = Number(process.env.STREAMS_BENCH_MS ?? 90_000);
const TABLES = ['mark_prices', 'funding_rates', 'open_interest', 'order_books', 'liquidations', 'swap_tickers'] as const;
const INDEXES: Record<string, string[]> = {
  mark_prices: ['mark_prices_seq', 'mark_prices_ts'],
  funding_rates: ['funding_rates_seq'],
  open_interest: ['open_interest_seq', 'open_interest_ts'],
  order_books: ['order_books_seq', 'sqlite_autoindex_order_books_1'],
  liquidations: ['liquidations_seq', 'liquidations_ts'],
  swap_tickers: ['swap_tickers_seq', 'sqlite_autoindex_swap_tickers_1'],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dbFile(dir: string): string {
  return path.join(
    dir,
    fs.readdirSync(dir).find((n) => n.endsWith('.sqlite') || n.endsWith('.db'))!,
  );
}

/** Rows per table, and on-disk bytes per table including its indexes (dbstat). */
function measureTables(dir: string): Record<string, { rows: number; bytes: number }> {
  const db = new Database(dbFile(dir), { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, { rows: number; bytes: number }> = {};
    for (const t of TABLES) {
      const rows = db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck(true).get() as number;
      const names = [t, ...INDEXES[t]!];
      const bytes = db
        .prepare(`SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (${names.map(() => '?').join(',')})`)
        .pluck(true)
        .get(...names) as number;
      out[t] = { rows, bytes };
    }
    return out;
  } finally {
    db.close();
  }
}

/** One simulated hour into a fresh store through DerivsSink; growth of the file × 24. */
function simulatedHour(liqPerDay: number): { mbPerDay: number; notes: string[] } {
  const dir = tempDataDir('csn-bench-growth-');
  const store = Store.open(dir);
  try {
    const path = createPricePath({ seed: 'bench' });
    const model = new DerivsModel(path);
    const t0 = Date.UTC(2026, 5, 1, 1, 0);
    let clock = t0;
    const sink = new DerivsSink(store, () => clock);
    const size = () => {
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      return fs.statSync(store.path).size;
    };
    const before = size();
    const coins = DEFAULT_COINS.map((c) => path.instrument(c)!);
    const swaps = path.instruments().filter((i) => i.instId.endsWith('-USDT-SWAP'));
    const liqEvery = (86_400_000 / Math.max(1, liqPerDay)) * coins.length; // ms between liquidations per coin
    const started = performance.now();
    for (let t = t0; t < t0 + 3_600_000; t += 1_000) {
      clock = t;
      for (const inst of coins) {
        const coin = inst.coin;
        if (t % 3_000 === 0) {
          sink.markPrice(coin, Number(model.markPx(inst, t)), t);
          const o = OkxOpenInterestSchema.parse(model.openInterestRow(inst, t));
          sink.openInterest(coin, o.oi, o.oiCcy ?? null, o.oiUsd ?? null, o.ts);
        }
        const b = OkxBookSchema.parse(model.book(inst, t, 5));
        sink.book(coin, b.ts, b.bids, b.asks);
        if (t % 60_000 === 0) {
          const f = OkxFundingRateSchema.parse(model.fundingRateRow(inst, t));
          sink.funding(coin, f.fundingTime, f.fundingRate, null);
        }
        if (Math.floor(t / liqEvery) !== Math.floor((t - 1_000) / liqEvery))
          sink.liquidation(coin, t + 17, 'sell', Number(model.markPx(inst, t)), 3, 'long', 0);
      }
      if (t % 5_000 === 0)
        for (const inst of swaps) sink.swapTicker(OkxTickerSchema.parse({ instType: 'SWAP', ...tickerValues(path, inst, t) }));
      // The live node writes each table on its beat (1–5 s); here every simulated second.
      sink.flush(true);
    }
    const grown = size() - before;
    return {
      mbPerDay: (grown * 24) / 1e6,
      notes: [
        `growth: one simulated hour written in ${((performance.now() - started) / 1000).toFixed(1)} s through DerivsSink (${sink.rowsWritten.toLocaleString('en-US')} row writes), file +${(grown / 1e6).toFixed(2)} MB after a checkpoint, × 24; liquidations at ${Math.round(liqPerDay).toLocaleString('en-US')}/day as measured live`,
      ],
    };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ALL_OFF = { markPrice: false, fundingRate: false, openInterest: false, books5: false, liquidations: false, swapTickers: false };

export default async function streams(): Promise<BenchResult> {
  const sim = await startSimulatorProc();
  const dirs = [tempDataDir('csn-bench-streams-'), tempDataDir('csn-bench-base-')];
  const nodes: HeadlessNode[] = [];
  try {
    const args = ['--okx-rest', sim.rest, '--okx-ws-public', sim.wsPublic, '--okx-ws-business', sim.wsBusiness];
    const [all, base] = await Promise.all(dirs.map((dataDir) => startHeadless({ dataDir, args })));
    nodes.push(all!, base!);
    const off = await base!.call('settings.update', { streams: { ...ALL_OFF, candles: ['30m'] } });
    if (off.status !== 200) throw new Error(`settings.update: ${JSON.stringify(off.body)}`);
    await sleep(WARMUP_MS);
    const status = (await all!.call('market.status', {})).body.value as { streams: { name: string; mode: string }[] };
    const modes = status.streams.map((s) => `${s.name} ${s.mode}`).join(', ');
    const t0 = measureTables(dirs[0]!);
    const started = performance.now();
    const [a, b] = await Promise.all([watchProc(all!.ready.pid, MEASURE_MS), watchProc(base!.ready.pid, MEASURE_MS)]);
    const secs = (performance.now() - started) / 1000;
    const t1 = measureTables(dirs[0]!);

    const figures: Figure[] = [
      {
        metric: 'idle CPU, every stream on (27 coins)',
        value: a.cpuPct,
        unit: '% of a core',
        baseline: b.cpuPct,
        ratio: a.cpuPct / Math.max(b.cpuPct, 0.01),
        goal: '< 5 %',
        pass: a.cpuPct < 5,
      },
      {
        metric: 'RSS mean, every stream on',
        value: a.rssMeanMb,
        unit: 'MB',
        baseline: b.rssMeanMb,
        ratio: a.rssMeanMb / b.rssMeanMb,
        goal: '< 250 MB',
        pass: a.rssMaxMb < 250,
      },
      { metric: 'RSS peak, every stream on', value: a.rssMaxMb, unit: 'MB', baseline: b.rssMaxMb, ratio: a.rssMaxMb / b.rssMaxMb },
    ];
    const liqPerDay = ((t1.liquidations!.rows - t0.liquidations!.rows) / secs) * 86_400;
    const growth = simulatedHour(liqPerDay);
    figures.push({ metric: 'database growth, every stream on', value: growth.mbPerDay, unit: 'MB/day' });
    return {
      name: 'streams',
      figures,
      notes: [
        `measured ${secs.toFixed(0)} s after a ${WARMUP_MS / 1000} s warm-up; both nodes side by side on one simulator process; the baseline has every derivatives stream off (grid tickers + 30-minute candles only)`,
        `stream modes at the start: ${modes}`,
        `window rows: ${TABLES.map((t) => `${t} +${t1[t]!.rows - t0[t]!.rows}`).join(', ')}`,
        ...growth.notes,
      ],
    };
  } finally {
    await Promise.all(nodes.map((n) => n.kill()));
    await sim.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await streams();
  console.log(JSON.stringify(r, null, 2));
}

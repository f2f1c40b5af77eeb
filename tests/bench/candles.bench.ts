import fs from 'node:fs';
import { createNode } from '../../main/node/create-node.js';
import { GridWriter } from '../../main/node/market/grid-writer.js';
import type { CandleInput } from '../../main/node/okx/candle-pages.js';
import { Store } from '../../main/node/store/store.js';
import { tempDataDir } from '../helpers/headless.js';
import { median, type BenchResult, type Figure } from './types.js';

const MIN = 60_000;
const ROWS_30D = 43_200;
const COINS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'];
const ROUNDS = 15;
/** Every timeframe but the grid's 30m × 27 coins, one push a second each (OKX's cadence): 162 candles/s. */
const PUSH_RATE = 6 * 27;
const WRITE_SECONDS = 300;

/**
 * market.candles 1m × 30 days (43,200 rows, other coins' rows in the table too): the handler through
 * node.call plus JSON serialization (what IPC and the control server do), against a raw SELECT of
 * the same rows plus JSON of those arrays in the same run. Then the candle write path: one second's
 * worth of pushes (162 candles, all as closed bars — the worst case) per transaction through the
 * grid writer (validation, seq upsert), against a raw INSERT of the same rows into a copy of the table.
 */
export default async function candles(): Promise<BenchResult> {
  const figures: Figure[] = [];
  const dir = tempDataDir('csn-bench-kl-');
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'bench', collect: false });
  await node.start();
  try {
    const t0 = Date.UTC(2026, 0, 1);
    const { store } = node;
    for (const coin of COINS) {
      const rows = Array.from({ length: ROWS_30D }, (_, i) => {
        const o = 100 + Math.sin(i / 50);
        return [coin, '1m', t0 + i * MIN, o, o + 0.3, o - 0.3, o + 0.1, 10 + (i % 97), 0.1 * (10 + (i % 97)), o * 10, 1];
      });
      store.write(() => store.tables.candles.upsertLocal(rows, store.nodeId, Date.now()));
    }
    const input = { coin: 'BTC', bar: '1m' as const, from: t0, to: t0 + 30 * 86_400_000 };
    const raw = store.db
      .prepare(
        "SELECT ts, open, high, low, close, vol, confirm FROM candles WHERE coin = ? AND bar = '1m' AND ts >= ? AND ts < ? ORDER BY ts",
      )
      .raw(true);
    const ours: number[] = [];
    const base: number[] = [];
    let bytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which runs first so neither always gets the warmer cache.
      const runOurs = async () => {
        const t = performance.now();
        const res = await node.call('market.candles', input);
        if (!res.ok || res.value.rows.length !== ROWS_30D) throw new Error('market.candles did not return 43,200 rows');
        bytes = JSON.stringify(res).length;
        ours.push(performance.now() - t);
      };
      const runRaw = () => {
        const t = performance.now();
        const rows = raw.all('BTC', input.from, input.to);
        if (rows.length !== ROWS_30D) throw new Error('raw select did not return 43,200 rows');
        JSON.stringify(rows);
        base.push(performance.now() - t);
      };
      if (r % 2) {
        await runOurs();
        runRaw();
      } else {
        runRaw();
        await runOurs();
      }
    }
    const o = median(ours);
    const b = median(base);
    figures.push({
      metric: `market.candles 1m × 30 d (${ROWS_30D.toLocaleString('en-US')} rows) query + serialize (median of ${ROUNDS})`,
      value: o,
      unit: 'ms',
      baseline: b,
      ratio: o / b,
      goal: '≤ 2× raw SELECT + JSON',
      pass: o / b <= 2,
    });
    figures.push({ metric: 'market.candles 1m × 30 d: response size', value: bytes / 1e6, unit: 'MB' });
  } finally {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // The write path at the full push rate.
  const wdir = tempDataDir('csn-bench-klw-');
  const store = Store.open(wdir);
  try {
    const ddl = store.db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'candles' AND sql IS NOT NULL").all() as { sql: string }[];
    for (const { sql } of ddl) store.db.exec(sql.replace(/\bcandles\b/g, 'raw_candles').replace(/\bcandles_/g, 'raw_candles_'));
    const insert = store.db.prepare('INSERT INTO raw_candles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const grid = new GridWriter(store);
    const bars = ['1m', '5m', '15m', '1H', '4H', '1D'];
    const second = (s: number): CandleInput[] =>
      bars.flatMap((bar) =>
        Array.from({ length: 27 }, (_, c) => {
          const o = 100 + c + Math.sin(s / 10);
          return {
            coin: `C${c}`,
            bar,
            ts: s * MIN,
            open: o,
            high: o + 1,
            low: o - 1,
            close: o + 0.5,
            vol: 10,
            volCcy: 1,
            volCcyQuote: o * 10,
            confirm: true,
          };
        }),
      );
    const batches = Array.from({ length: WRITE_SECONDS }, (_, s) => second(s));
    let seq = 0;
    const tRaw = performance.now();
    for (const batch of batches) {
      store.db.transaction(() => {
        for (const k of batch)
          insert.run(k.coin, k.bar, k.ts, k.open, k.high, k.low, k.close, k.vol, k.volCcy, k.volCcyQuote, 1, ++seq, store.nodeId, 1);
      })();
    }
    const rawRate = (WRITE_SECONDS * PUSH_RATE) / ((performance.now() - tRaw) / 1000);
    const tOurs = performance.now();
    const perBatch: number[] = [];
    for (const batch of batches) {
      const t = performance.now();
      grid.writeCandles(batch);
      perBatch.push(performance.now() - t);
    }
    const ourRate = (WRITE_SECONDS * PUSH_RATE) / ((performance.now() - tOurs) / 1000);
    figures.push({
      metric: `candle write path, ${PUSH_RATE} candles per transaction (1 s of pushes)`,
      value: ourRate,
      unit: 'rows/s',
      baseline: rawRate,
      ratio: ourRate / rawRate,
      goal: '≥ 0.3× raw insert',
      pass: ourRate / rawRate >= 0.3,
    });
    figures.push({
      metric: 'candle write path: headroom over the full push rate',
      value: ourRate / PUSH_RATE,
      unit: '×',
      goal: '≥ 50×',
      pass: ourRate / PUSH_RATE >= 50,
    });
    figures.push({ metric: 'candle write path: one second of pushes, median transaction', value: median(perBatch), unit: 'ms' });
  } finally {
    store.close();
    fs.rmSync(wdir, { recursive: true, force: true });
  }
  return {
    name: 'candles',
    figures,
    notes: [
      'The live path stores only closed bars (the forming bar stays in memory), so the real write rate is far below 162 rows/s; this writes every push as a closed bar.',
    ],
  };
}

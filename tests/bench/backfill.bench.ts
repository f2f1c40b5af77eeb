import fs from 'node:fs';
import type { EventMap } from '../../preload/contract.js';
import { createNode } from '../../main/node/create-node.js';
import { DAY_MS } from '../../main/node/market/grid-time.js';
import { OKX_ENDPOINTS, OKX_LIMIT_WINDOW_MS } from '../../main/node/okx/index.js';
import { createSimulator } from '../../main/node/simulator/index.js';
import { call } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';
import type { BenchResult, Figure } from './types.js';

/**
 * Backfill against the simulator enforcing OKX's limits (candles 40/2 s, history-candles 20/2 s),
 * through the node's real client, engine and SQLite. The baseline is the limit-bound minimum time:
 * with a sliding 2 s window, n requests to an endpoint allowing L per window cannot finish before
 * floor((n − 1) / L) windows have passed; both endpoints run at once, so the bound is the larger.
 */
async function run(days: number): Promise<{ figures: Figure[]; note: string }> {
  const sim = createSimulator();
  const urls = await sim.start(0);
  const dir = tempDataDir('csn-bench-bf-');
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'bench', exchange: urls, collect: false });
  await node.start();
  try {
    const to = Date.now();
    const from = to - days * DAY_MS;
    const done = new Promise<EventMap['backfill.finished']>((resolve) => node.bus.on('backfill.finished', resolve));
    const before = sim.stats().rest;
    const t0 = performance.now();
    const r = await node.call('backfill.start', { from, to });
    if (!r.ok) throw new Error(r.error.message);
    const f = await done;
    const wallMs = performance.now() - t0;
    const after = sim.stats().rest;
    const n = {
      candles: after.requests.candles - before.requests.candles,
      historyCandles: after.requests.historyCandles - before.requests.historyCandles,
    };
    const boundMs = Math.max(
      ...(['candles', 'historyCandles'] as const).map((e) =>
        n[e] > 0 ? Math.floor((n[e] - 1) / OKX_ENDPOINTS[e].limit) * OKX_LIMIT_WINDOW_MS : 0,
      ),
    );
    const total = n.candles + n.historyCandles;
    const served429 = after.served429 - before.served429;
    const st = await call(node, 'backfill.status', {});
    const label = `${days} d × 27 coins, 30m`;
    // A bound of 0 (everything fits in one window) would make the ratio meaningless: floor it at one round trip.
    const ratio = wallMs / Math.max(boundMs, 1);
    return {
      figures: [
        {
          metric: `${label}: wall time`,
          value: wallMs / 1000,
          unit: 's',
          baseline: boundMs / 1000,
          ratio,
          goal: '≤ 1.10× the limit bound',
          pass: ratio <= 1.1,
        },
        { metric: `${label}: requests (candles + history-candles)`, value: total, unit: 'req' },
        {
          metric: `${label}: request rate`,
          value: total / (wallMs / 1000),
          unit: 'req/s',
          baseline: total / Math.max(boundMs / 1000, 0.001),
          ratio: total / (wallMs / 1000) / (total / Math.max(boundMs / 1000, 0.001)),
        },
        { metric: `${label}: 429 answers`, value: served429, unit: '', goal: '0', pass: served429 === 0 },
        {
          metric: `${label}: candles stored`,
          value: f.rows,
          unit: 'rows',
          goal: 'all',
          pass: f.failed === 0 && st.progress?.pagesDone === st.progress?.pagesTotal,
        },
      ],
      note: `${label}: ${n.candles} candles + ${n.historyCandles} history-candles requests in ${(wallMs / 1000).toFixed(2)} s; bound ${(boundMs / 1000).toFixed(1)} s; ${served429} × 429; ${f.rows} candles, ${f.failed} pages left failed`,
    };
  } finally {
    await node.stop();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function backfillBench(): Promise<BenchResult> {
  // A throw-away 2-day run first, so the JIT and SQLite caches are warm for the measured ones.
  await run(2);
  const short = await run(14);
  const year = process.env.BENCH_QUICK ? null : await run(365);
  return {
    name: 'backfill',
    figures: [...short.figures, ...(year?.figures ?? [])],
    notes: [short.note, ...(year ? [year.note] : ['365-day run skipped (BENCH_QUICK is set)'])],
  };
}

/**
 * Warehouse mirror: 1 M KL030 rows mirrored into a throwaway PostgreSQL, in rows/s against psql's own
 * `\copy` of the same rows as CSV (same run, same server); the node's event-loop max while mirroring;
 * and the lag of live rows (write → committed in PostgreSQL) at p99.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createNode } from '../../main/node/create-node.js';
import { startPostgres } from '../helpers/postgres.js';
import { percentile, type Bench } from './types.js';

const ROWS = Number(process.env.WH_BENCH_ROWS ?? 1_000_000);
const COINS = 27;
const HALF = 1_800_000;
const T0 = Date.UTC(2020, 0, 1);

const bench: Bench = async () => {
  const pgs = await startPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csn-wh-bench-'));
  try {
    // Seed the node's store with ROWS candles (coins × 30-minute steps), as a backfill would.
    const seedNode = createNode({ dataDir: dir, mode: 'headless', version: 'bench', collect: false });
    const steps = Math.ceil(ROWS / COINS);
    const seedStore = seedNode.store;
    const now = Date.now();
    for (let s0 = 0; s0 < steps; s0 += 2_000) {
      const rows: (string | number | null)[][] = [];
      for (let s = s0; s < Math.min(steps, s0 + 2_000); s++) {
        for (let c = 0; c < COINS && rows.length + s0 * COINS < ROWS; c++) {
          const p = 100 + c + Math.sin(s / 50);
          rows.push([`C${c}`, '30m', T0 + s * HALF, p, p + 1, p - 1, p + 0.5, 10 + (s % 7), null, 1000 + s, 1]);
        }
      }
      seedStore.write(() => seedStore.tables.candles.upsertLocal(rows, seedStore.nodeId, now));
    }
    const total = seedStore.tables.candles.count();
    await seedNode.stop();

    pgs.psql('CREATE DATABASE mirror OWNER csn');
    const url = pgs.url('mirror');
    const node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'bench',
      collect: false,
      warehouseUrl: url,
      warehouse: { pageRows: Number(process.env.WH_BENCH_PAGE ?? 10_000), pollMs: 1_000 },
    });
    const { store } = node;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const t0 = performance.now();
    await node.start();
    loop.enable();
    const kl = () => node.warehouse.mirrorStatus().datasets.find((d) => d.code === 'KL030')!;
    const done = () => {
      const s = node.warehouse.mirrorStatus();
      const k = s.datasets.find((d) => d.code === 'KL030')!;
      return s.state === 'ok' && k.mirroredSeq === k.nodeSeq;
    };
    while (!done()) await new Promise((r) => setTimeout(r, 100));
    const mirrorMs = performance.now() - t0;
    loop.disable();
    const loopMaxMs = loop.max / 1e6;
    const loopP99Ms = loop.percentile(99) / 1e6;
    // Baseline: the same node, caught up and idle (mirror polling, status timer), for as long.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, Math.min(5_000, Math.max(2_000, mirrorMs / 2))));
    idle.disable();
    const idleMaxMs = idle.max / 1e6;

    // Baseline: the same rows as CSV, loaded by psql's \copy into a table like the mirror's.
    const csv = path.join(dir, 'kl030.csv');
    const out = fs.createWriteStream(csv);
    const it = store.db
      .prepare(`SELECT coin, bar, ts, open, high, low, close, vol, vol_ccy, vol_ccy_quote, confirm, origin, updated_at FROM candles`)
      .raw(true)
      .iterate() as IterableIterator<(string | number | null)[]>;
    for (const r of it) {
      const line = r.map((v, i) => (v === null ? '' : i === 2 || i === 12 ? new Date(Number(v)).toISOString() : String(v))).join(',');
      if (!out.write(`${line}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res) => out.end(() => res()));
    execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', 'CREATE TABLE coin_sync.kl030_copy (LIKE coin_sync.kl030 INCLUDING ALL)']);
    fs.chmodSync(dir, 0o755);
    const c0 = performance.now();
    execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy coin_sync.kl030_copy FROM '${csv}' CSV`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const copyMs = performance.now() - c0;

    // The merge path: every row changed after it was mirrored (a corrected backfill) goes through
    // the staging table and INSERT … ON CONFLICT DO UPDATE instead of the straight COPY.
    const changed = Math.min(total, Number(process.env.WH_BENCH_CHANGED ?? 200_000));
    const bumpAt = Date.now();
    for (let s0 = 0; s0 * COINS < changed; s0 += 2_000) {
      const rows: (string | number | null)[][] = [];
      for (let s = s0; s < s0 + 2_000; s++) {
        for (let c = 0; c < COINS && rows.length + s0 * COINS < changed; c++) {
          const p = 101 + c + Math.sin(s / 50);
          rows.push([`C${c}`, '30m', T0 + s * HALF, p, p + 1, p - 1, p + 0.5, 10 + (s % 7), null, 1000 + s, 1]);
        }
      }
      store.write(() => store.tables.candles.upsertLocal(rows, store.nodeId, bumpAt));
    }
    const m0 = performance.now();
    while (kl().mirroredSeq < kl().nodeSeq) await new Promise((r) => setTimeout(r, 20));
    const mergeMs = performance.now() - m0;

    // Live rows: one candle at a time; lag = write → its seq committed in coin_sync.cursors.
    const lags: number[] = [];
    for (let i = 0; i < 200; i++) {
      const w0 = performance.now();
      store.write(() =>
        store.tables.candles.upsertLocal([['LIVE', '30m', T0 + i * HALF, 1, 2, 0.5, 1.5, 1, null, 1, 0]], store.nodeId, Date.now()),
      );
      const seq = store.seq.value;
      while (kl().mirroredSeq < seq) await new Promise((r) => setTimeout(r, 2));
      lags.push(performance.now() - w0);
      await new Promise((r) => setTimeout(r, 10));
    }
    await node.stop();

    const mirrorRate = (total / mirrorMs) * 1000;
    const copyRate = (total / copyMs) * 1000;
    const p99 = percentile(lags, 99);
    return {
      name: 'warehouse',
      figures: [
        {
          metric: `mirror ${total.toLocaleString('en-US')} rows`,
          value: mirrorRate,
          unit: 'rows/s',
          baseline: copyRate,
          ratio: mirrorRate / copyRate,
          goal: '≥ 0.5× psql \\copy',
          pass: mirrorRate / copyRate >= 0.5,
        },
        {
          metric: `re-mirror ${changed.toLocaleString('en-US')} changed rows (merge)`,
          value: (changed / mergeMs) * 1000,
          unit: 'rows/s',
          baseline: copyRate,
          ratio: ((changed / mergeMs) * 1000) / copyRate,
        },
        { metric: 'live row lag p99', value: p99, unit: 'ms', goal: '< 1000 ms', pass: p99 < 1_000 },
        {
          metric: 'event-loop max while mirroring',
          value: loopMaxMs,
          unit: 'ms',
          baseline: idleMaxMs,
          ratio: loopMaxMs / Math.max(idleMaxMs, 0.001),
          goal: '< 50 ms',
          pass: loopMaxMs < 50,
        },
      ],
      notes: [
        `psql \\copy of the same rows as CSV: ${Math.round(copyMs)} ms; mirror (schema, COPY pages, cursor): ${Math.round(mirrorMs)} ms`,
        `event loop while mirroring: p99 ${loopP99Ms.toFixed(1)} ms, max ${loopMaxMs.toFixed(1)} ms; idle baseline (same node, caught up): max ${idleMaxMs.toFixed(1)} ms`,
      ],
    };
  } finally {
    pgs.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;

import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { Store } from '../../main/node/store/store.js';
import type { Cell } from '../../main/node/store/sync-table.js';
import { call } from '../helpers/api.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { gridRows, seedGrid } from '../integration/receiver-harness.js';
import { median, percentile, type BenchResult } from './types.js';

const ROWS = 1_000_000;
const PAGE = 5_000;
const LIVE_SAMPLES = 200;

/**
 * Receiver throughput and live latency. Node A (the sender) runs in this process so the bench can
 * commit rows on it directly; node B is the built headless node in its own process, as a real peer.
 *  1. Initial sync of 1,000,000 grid rows A→B over loopback (`sync.peer`, which returns when the
 *     run is done) over TLS to A's pinned certificate (B paired by a code, mutual TLS), and the same
 *     into a second fresh receiver over plain HTTP on loopback (the shared token, as an older peer),
 *     both against an in-process copy of the same rows in the same run: read a page,
 *     JSON.stringify, JSON.parse, upsertMerged into a fresh store — no HTTP, checksum or cursor.
 *  2. Live propagation over TLS: one row committed on A → B's `data.changed` event for it (after
 *     B's commit), with the stream on; p50/p99 over 200 commits.
 */
export default async function bench(): Promise<BenchResult> {
  const dirA = tempDataDir('csn-bench-a-');
  const dirB = tempDataDir('csn-bench-b-');
  const dirPlain = tempDataDir('csn-bench-plain-');
  const dirCopy = tempDataDir('csn-bench-copy-');
  seedGrid(dirA, gridRows('B', 1_000, ROWS / 1_000));
  let a: SyncNode | undefined;
  let b: HeadlessNode | undefined;
  let plain: HeadlessNode | undefined;
  try {
    a = createNode({ dataDir: dirA, mode: 'headless', version: 'bench', collect: false, senderPort: 0 });
    await a.start();
    await call(a, 'sender.config.update', { legacyToken: true, loopbackHttp: true, rateLimitPerMinute: 1_000_000 });
    const view = await call(a, 'sender.config.get', {});
    b = await startHeadless({ dataDir: dirB, args: ['--sender-port', '0', '--no-collect'] });
    plain = await startHeadless({ dataDir: dirPlain, args: ['--sender-port', '0', '--no-collect'] });
    for (const n of [b, plain]) await n.call('sync.auto', { on: false });
    // B pairs by a code (TLS, pinned); the other receiver is an older-style peer: plain HTTP on loopback + the shared token.
    const opened = await call(a, 'pairing.start', {});
    const paired = await b.call('peers.pair', { url: view.listening!.url, code: opened.code, name: 'A' });
    if (paired.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(paired.body)}`);
    const id = paired.body.value.peer.id as string;
    await b.call('peers.update', { id, patch: { intervalSec: 3_600, datasets: ['PT002'] } });
    const addedPlain = await plain.call('peers.add', {
      name: 'A (plain)',
      url: view.listening!.url.replace('https:', 'http:'),
      token: view.token,
      intervalSec: 3_600,
      datasets: ['PT002'],
    });
    const timedSync = async (n: HeadlessNode, peerId: string, what: string) => {
      const t0 = performance.now();
      const run = await n.call('sync.peer', { id: peerId });
      const ms = performance.now() - t0;
      if (run.status !== 200 || run.body.value.rowsIn !== ROWS)
        throw new Error(`${what} sync failed: ${JSON.stringify(run.body).slice(0, 300)}`);
      return ms;
    };
    // Plain first, then TLS: the TLS run does not profit from a warmer page cache on A.
    const plainMs = await timedSync(plain, addedPlain.body.value.id as string, 'plain HTTP');
    await plain.stop();
    plain = undefined;
    const e2eMs = await timedSync(b, id, 'TLS');
    const e2eRate = ROWS / (e2eMs / 1000);
    const plainRate = ROWS / (plainMs / 1000);

    const copyMs = inProcessCopy(a.store, dirCopy);
    const copyRate = ROWS / (copyMs / 1000);

    // Live: auto-sync on, the stream connected, then one committed row at a time.
    await b.call('sync.auto', { on: true });
    const events = new WebSocket(`${b.ready.control.replace('http', 'ws')}/api/control/events?token=${b.token}`);
    await new Promise((r, j) => (events.once('open', r), events.once('error', j)));
    for (let i = 0; i < 100; i++) {
      const st = await b.call('sync.status', {});
      if (st.body.value.peers[0]?.streamConnected) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const waits: number[] = [];
    let pending: ((t: number) => void) | null = null;
    events.on('message', (m) => {
      const e = JSON.parse(String(m)) as { event: string; payload: { table?: string } };
      if (e.event === 'data.changed' && e.payload.table === 'grid_prices' && pending) pending(performance.now());
    });
    const store = a.store;
    for (let i = 0; i < LIVE_SAMPLES; i++) {
      const arrived = new Promise<number>((r) => (pending = r));
      const start = performance.now();
      store.write(() =>
        store.tables.grid_prices.upsertLocal([['LIVE', Date.UTC(2026, 0, 1) + i * 1_800_000, 1 + i, 1, 0, 'ws']], store.nodeId, Date.now()),
      );
      const end = await Promise.race([arrived, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 5_000))]);
      pending = null;
      if (Number.isNaN(end)) throw new Error(`live row ${i} did not reach B within 5 s`);
      waits.push(end - start);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
    }
    events.close();
    const p50 = median(waits);
    const p99 = percentile(waits, 99);
    const ratio = e2eRate / copyRate;
    const tlsRatio = e2eRate / plainRate;
    return {
      name: 'receiver',
      figures: [
        {
          metric: 'initial sync 1M rows A→B over TLS vs plain HTTP',
          value: e2eRate,
          unit: 'rows/s',
          baseline: plainRate,
          ratio: tlsRatio,
          goal: '≥ 0.8× plain HTTP',
          pass: tlsRatio >= 0.8,
        },
        {
          metric: 'initial sync 1M rows A→B over TLS (loopback, end to end)',
          value: e2eRate,
          unit: 'rows/s',
          baseline: copyRate,
          ratio,
          goal: '≥ 0.5× in-process copy',
          pass: ratio >= 0.5,
        },
        { metric: 'initial sync wall time over TLS', value: e2eMs / 1000, unit: 's' },
        { metric: 'initial sync wall time over plain HTTP', value: plainMs / 1000, unit: 's' },
        { metric: 'live propagation p50 over TLS (commit on A → committed on B)', value: p50, unit: 'ms' },
        { metric: 'live propagation p99 over TLS', value: p99, unit: 'ms', goal: '< 250 ms', pass: p99 < 250 },
      ],
      notes: [
        `in-process copy (read + JSON.stringify + JSON.parse + upsertMerged, ${PAGE}-row pages): ${(copyMs / 1000).toFixed(2)} s`,
        `live: ${LIVE_SAMPLES} single-row commits; the sender coalesces announcements for 20 ms before pushing them`,
      ],
    };
  } finally {
    await plain?.stop();
    await b?.stop();
    await a?.stop();
    for (const d of [dirA, dirB, dirPlain, dirCopy]) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** The same rows copied without the network: the work a sync cannot avoid. Returns ms. */
function inProcessCopy(source: Store, dir: string): number {
  const target = Store.open(path.resolve(dir));
  try {
    const read = source.db
      .prepare(
        'SELECT coin, ts, price, baseline, change_pct, source, seq, origin, updated_at FROM grid_prices WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .raw(true);
    const t0 = performance.now();
    let since = 0;
    for (;;) {
      const rows = read.all(since, PAGE) as Cell[][];
      if (rows.length === 0) break;
      const parsed = JSON.parse(JSON.stringify(rows)) as Cell[][];
      target.write(() =>
        target.tables.grid_prices.upsertMerged(
          parsed.map((r) => ({ cells: r.slice(0, 6), origin: r[7] as string, updatedAt: r[8] as number })),
        ),
      );
      since = rows[rows.length - 1]![6] as number;
    }
    return performance.now() - t0;
  } finally {
    target.close();
  }
}

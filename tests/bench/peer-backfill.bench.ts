import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventMap, HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import type { SimulatorUrls } from '../../main/node/simulator/index.js';
import Database from 'better-sqlite3';
import path from 'node:path';
import { valueOf } from '../helpers/api.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { startSimulatorProc } from './market-ui-procs.js';
import type { BenchResult, Figure } from './types.js';

/**
 * Backfill of days × 27 coins (30m) by node B from its paired LAN peer A (TLS over loopback, pinned
 * certificates, per-device token) against the baseline measured in the same run: A filling the
 * same range from the simulator at OKX's published limits. Also counts the exchange's candle
 * requests during B's job (goal 0) and checks that B ends with A's values.
 *
 * A runs as its own headless process, as a peer is another machine: in B's process its serving
 * (coverage hashing, range reads, compression) was charged to B's event loop, which no LAN peer
 * does. The simulator (the exchange) runs as a process too: in B's heap its price paths lengthened
 * B's garbage-collector pauses. B runs in this process, so its CPU and loop are measured on their own.
 */
interface N {
  node: SyncNode;
  dir: string;
  call<K extends HandlerName>(k: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
}

/** Node A: a headless process that fetches from the simulator and serves its sender on a free port. */
async function startPeer(exchange: SimulatorUrls): Promise<HeadlessNode> {
  const a = await startHeadless({
    dataDir: tempDataDir('csn-bench-pb-a-'),
    args: [
      '--no-collect',
      '--sender-port',
      '0',
      '--okx-rest',
      exchange.rest,
      '--okx-ws-public',
      exchange.wsPublic,
      '--okx-ws-business',
      exchange.wsBusiness,
    ],
  });
  await control(a, 'receiver.config.update', { autoSync: false });
  return a;
}

async function control<K extends HandlerName>(n: HeadlessNode, k: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> {
  const r = await n.call(k, input);
  if (r.status !== 200 || r.body?.ok !== true) throw new Error(`${k} on A answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.value as HandlerOutput<K>;
}

/** A's exchange backfill, timed from the call to the job's end as its status reports it (polled every 10 ms). */
async function timedPeerBackfill(a: HeadlessNode, from: number, to: number): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  await control(a, 'backfill.start', { from, to });
  for (;;) {
    const st = await control(a, 'backfill.status', {});
    if (st.job && st.job.state !== 'running' && st.job.state !== 'stopping') {
      if (st.job.state !== 'done') throw new Error(`A's backfill ended ${st.job.state}`);
      return { ms: performance.now() - t0, rows: st.progress?.bars ?? 0 };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start(name: string, exchange: SimulatorUrls): Promise<N> {
  const dir = tempDataDir(`csn-bench-pb-${name}-`);
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'bench', exchange, collect: false, senderPort: 0 });
  await node.start();
  const call = async <K extends HandlerName>(k: K, input: HandlerInput<K>) => valueOf(k, await node.call(k, input));
  await call('receiver.config.update', { autoSync: false });
  return { node, dir, call };
}

async function timedBackfill(n: N, from: number, to: number): Promise<{ ms: number; f: EventMap['backfill.finished'] }> {
  const done = new Promise<EventMap['backfill.finished']>((resolve) => {
    const off = n.node.bus.on('backfill.finished', (p) => (off(), resolve(p)));
  });
  const t0 = performance.now();
  await n.call('backfill.start', { from, to });
  const f = await done;
  return { ms: performance.now() - t0, f };
}

/** Candle requests B's own exchange client made (its budget is what a peer saves). */
const candleRequests = (n: N) => n.node.okx.stats().candles.requests + n.node.okx.stats().historyCandles.requests;

const values = (db: Database.Database, from: number, to: number) =>
  JSON.stringify(
    db
      .prepare('SELECT coin, bar, ts, open, high, low, close, vol, confirm FROM candles WHERE ts >= ? AND ts < ? ORDER BY coin, bar, ts')
      .raw(true)
      .all(from, to),
  );

async function run(days: number): Promise<{ figures: Figure[]; note: string }> {
  const sim = await startSimulatorProc();
  const urls: SimulatorUrls = { rest: sim.rest, wsPublic: sim.wsPublic, wsBusiness: sim.wsBusiness };
  const a = await startPeer(urls);
  const b = await start('b', urls);
  const aDb = new Database(path.join(a.ready.dataDir, 'coin-sync-node.sqlite'), { readonly: true });
  try {
    const to = dayStartOf(Date.now());
    const from = to - days * DAY_MS;
    const exchange = await timedPeerBackfill(a, from, to);
    const { code } = await control(a, 'pairing.start', {});
    const view = await control(a, 'sender.config.get', {});
    await b.call('peers.pair', { url: view.listening!.url, code: code!, name: 'A' });
    const before = candleRequests(b);
    // CPU of B's process during its job: on a loaded machine the wall time of this CPU-bound job
    // grows with the load, while the exchange baseline is bound by the rate limit.
    const cpu0 = process.cpuUsage();
    // B's event loop during the job: the writes of peer pages must not stall the node (issue 15's goal).
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const peer = await timedBackfill(b, from, to);
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const exchangeRequests = candleRequests(b) - before;
    const st = await b.call('backfill.status', {});
    const equal = values(aDb, from, to) === values(b.node.store.db, from, to);
    const label = `${days} d × 27 coins, 30m`;
    const ratio = exchange.ms / peer.ms;
    return {
      figures: [
        {
          metric: `${label}: B from peer A (wall time)`,
          value: peer.ms / 1000,
          unit: 's',
          baseline: exchange.ms / 1000,
          ratio,
          goal: '≥ 10× faster than from the exchange',
          pass: ratio >= 10,
        },
        {
          metric: `${label}: exchange candle requests during B's job`,
          value: exchangeRequests,
          unit: 'req',
          goal: '0',
          pass: exchangeRequests === 0,
        },
        { metric: `${label}: CPU of B during its job`, value: cpuMs / 1000, unit: 's' },
        {
          metric: `${label}: B's event-loop delay during its job (max)`,
          value: loop.max / 1e6,
          unit: 'ms',
          goal: '< 50 ms',
          pass: loop.max / 1e6 < 50,
        },
        { metric: `${label}: exchange requests saved`, value: st.progress?.savedRequests ?? 0, unit: 'req' },
        { metric: `${label}: B equals A`, value: equal ? 1 : 0, unit: '', goal: '1', pass: equal && peer.f.failed === 0 },
      ],
      note: `${label}: A from the simulator ${(exchange.ms / 1000).toFixed(2)} s (${exchange.rows} candles), from peer A ${(peer.ms / 1000).toFixed(2)} s (${peer.f.rows} candles, ${st.progress?.pagesDone} range pulls); ${exchangeRequests} exchange candle requests during B's job, ${st.progress?.savedRequests} saved`,
    };
  } finally {
    aDb.close();
    await b.node.stop();
    fs.rmSync(b.dir, { recursive: true, force: true });
    await a.stop();
    fs.rmSync(a.ready.dataDir, { recursive: true, force: true });
    await sim.stop();
  }
}

export default async function peerBackfillBench(): Promise<BenchResult> {
  const short = await run(14);
  const year = process.env.BENCH_QUICK ? null : await run(365);
  return {
    name: 'peer-backfill',
    figures: [...short.figures, ...(year?.figures ?? [])],
    notes: [short.note, ...(year ? [year.note] : ['365-day run skipped (BENCH_QUICK is set)'])],
  };
}

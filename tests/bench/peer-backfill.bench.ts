import fs from 'node:fs';
import type { EventMap, HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { DAY_MS, dayStartOf } from '../../main/node/market/grid-time.js';
import { createSimulator, type Simulator, type SimulatorUrls } from '../../main/node/simulator/index.js';
import { valueOf } from '../helpers/api.js';
import { tempDataDir } from '../helpers/headless.js';
import type { BenchResult, Figure } from './types.js';

/**
 * Backfill of days × 27 coins (30m) by node B from its paired LAN peer A (TLS over loopback, pinned
 * certificates, per-device token) against the baseline measured in the same run: A filling the
 * same range from the simulator at OKX's published limits. Also counts the exchange's candle
 * requests during B's job (goal 0) and checks that B ends with A's values.
 */
interface N {
  node: SyncNode;
  dir: string;
  call<K extends HandlerName>(k: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
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

const candleRequests = (s: Simulator) => s.stats().rest.requests.candles + s.stats().rest.requests.historyCandles;

const values = (n: N, from: number, to: number) =>
  JSON.stringify(
    n.node.store.db
      .prepare('SELECT coin, bar, ts, open, high, low, close, vol, confirm FROM candles WHERE ts >= ? AND ts < ? ORDER BY coin, bar, ts')
      .raw(true)
      .all(from, to),
  );

async function run(days: number): Promise<{ figures: Figure[]; note: string }> {
  const sim = createSimulator();
  const urls = await sim.start(0);
  const a = await start('a', urls);
  const b = await start('b', urls);
  try {
    const to = dayStartOf(Date.now());
    const from = to - days * DAY_MS;
    const exchange = await timedBackfill(a, from, to);
    const { code } = await a.call('pairing.start', {});
    const view = await a.call('sender.config.get', {});
    await b.call('peers.pair', { url: view.listening!.url, code: code!, name: 'A' });
    const before = candleRequests(sim);
    // CPU of the whole process (A serving and B writing) during B's job: on a loaded machine the
    // wall time of this CPU-bound job grows with the load, while the exchange baseline is bound by the rate limit.
    const cpu0 = process.cpuUsage();
    const peer = await timedBackfill(b, from, to);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const exchangeRequests = candleRequests(sim) - before;
    const st = await b.call('backfill.status', {});
    const equal = values(a, from, to) === values(b, from, to);
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
        { metric: `${label}: CPU during B's job (A and B together)`, value: cpuMs / 1000, unit: 's' },
        { metric: `${label}: exchange requests saved`, value: st.progress?.savedRequests ?? 0, unit: 'req' },
        { metric: `${label}: B equals A`, value: equal ? 1 : 0, unit: '', goal: '1', pass: equal && peer.f.failed === 0 },
      ],
      note: `${label}: from the simulator ${(exchange.ms / 1000).toFixed(2)} s (${exchange.f.rows} candles), from peer A ${(peer.ms / 1000).toFixed(2)} s (${peer.f.rows} candles, ${st.progress?.pagesDone} range pulls); ${exchangeRequests} exchange candle requests during B's job, ${st.progress?.savedRequests} saved`,
    };
  } finally {
    for (const n of [b, a]) {
      await n.node.stop();
      fs.rmSync(n.dir, { recursive: true, force: true });
    }
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

/**
 * Issue 14: what 'market.candle' costs the event forwarding. A headless node with every candle
 * timeframe on for the 27 coins, against the standalone simulator (OKX's cadence: one push a second
 * per coin and timeframe); a client on the control WebSocket (/api/control/events, what the
 * browser UI reads; Electron's IPC forwarder takes the same bus stream) counts the events.
 *  - baseline (same run, same node): the candle pushes the node received (market.status counters of
 *    the candle streams) — before this change each push was one 'market.candle' event;
 *  - no Coin screen open (no lease): events sent;
 *  - one Coin screen open (a lease on BTC 1m, renewed as the screen does): events sent.
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { startSimulatorProc } from './market-ui-procs.js';
import type { BenchResult, Figure } from './types.js';

const WARMUP_MS = 15_000;
const PHASE_MS = Number(process.env.CANDLE_EVENTS_BENCH_MS ?? 30_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stream {
  name: string;
  counters: { wsMessages: number };
}

async function candlePushes(node: HeadlessNode): Promise<number> {
  const r = await node.call('market.status', {});
  const streams = (r.body as { value: { streams: Stream[] } }).value.streams;
  return streams.filter((s) => s.name === 'candles' || s.name.startsWith('candles:')).reduce((a, s) => a + s.counters.wsMessages, 0);
}

/** Counts 'market.candle' envelopes and their bytes on the control WebSocket. */
async function eventCounter(node: HeadlessNode) {
  const url = `${node.ready.control.replace(/^http/, 'ws')}/api/control/events?token=${encodeURIComponent(node.token)}`;
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new Error(`control events socket failed: ${e.message}`)));
  });
  const c = { events: 0, bytes: 0, keys: new Set<string>() };
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    const e = JSON.parse(text) as { event: string; payload: { coin?: string; bar?: string } };
    if (e.event !== 'market.candle') return;
    c.events += 1;
    c.bytes += text.length;
    c.keys.add(`${e.payload.coin}/${e.payload.bar}`);
  });
  return { c, close: () => ws.close() };
}

export default async function candleEvents(): Promise<BenchResult> {
  const sim = await startSimulatorProc();
  const dir = tempDataDir('csn-bench-cev-');
  let node: HeadlessNode | undefined;
  try {
    node = await startHeadless({
      dataDir: dir,
      args: ['--okx-rest', sim.rest, '--okx-ws-public', sim.wsPublic, '--okx-ws-business', sim.wsBusiness],
    });
    await sleep(WARMUP_MS);
    const counter = await eventCounter(node);
    const phase = async (watch: boolean) => {
      let renew: NodeJS.Timeout | undefined;
      if (watch) {
        const lease = () => node!.call('market.watchCandles', { client: 'bench', watch: [{ coin: 'BTC', bar: '1m' }] });
        const r = await lease();
        if (r.status !== 200) throw new Error(`market.watchCandles: ${JSON.stringify(r.body)}`);
        renew = setInterval(() => void lease(), 10_000);
      }
      const p0 = await candlePushes(node!);
      const e0 = counter.c.events;
      const b0 = counter.c.bytes;
      counter.c.keys.clear();
      const t0 = performance.now();
      await sleep(PHASE_MS);
      const secs = (performance.now() - t0) / 1000;
      const out = {
        pushes: ((await candlePushes(node!)) - p0) / secs,
        events: (counter.c.events - e0) / secs,
        kbps: (counter.c.bytes - b0) / secs / 1e3,
        keys: [...counter.c.keys],
      };
      clearInterval(renew);
      if (watch) await node!.call('market.watchCandles', { client: 'bench', watch: [] });
      return out;
    };
    const idle = await phase(false);
    const open = await phase(true);
    counter.close();
    const before = (idle.pushes + open.pushes) / 2;
    const figures: Figure[] = [
      {
        metric: "'market.candle' events/s to the control WS, no Coin screen open (every timeframe, 27 coins)",
        value: idle.events,
        unit: 'events/s',
        baseline: idle.pushes,
        ratio: idle.events / Math.max(idle.pushes, 1e-9),
        goal: '0 (nothing watched)',
        pass: idle.events === 0,
      },
      {
        metric: "'market.candle' events/s to the control WS, one Coin screen open (BTC 1m)",
        value: open.events,
        unit: 'events/s',
        baseline: open.pushes,
        ratio: open.events / Math.max(open.pushes, 1e-9),
        goal: '≤ 4/s (one key, ≤ 1 per 250 ms)',
        pass: open.events <= 4 && open.events > 0,
      },
      { metric: 'control WS candle bytes, one Coin screen open', value: open.kbps, unit: 'kB/s' },
    ];
    return {
      name: 'candle-events',
      figures,
      notes: [
        `baseline = candle pushes the node received in the same window (before: one 'market.candle' event each), ${before.toFixed(0)}/s; ${PHASE_MS / 1000} s per phase after a ${WARMUP_MS / 1000} s warm-up`,
        `keys seen with the screen open: ${open.keys.join(', ') || 'none'}; with none open: ${idle.keys.join(', ') || 'none'}`,
      ],
    };
  } finally {
    await node?.kill();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await candleEvents();
  console.log(JSON.stringify(r, null, 2));
}

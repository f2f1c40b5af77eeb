import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DAY_MS } from '../../preload/contract/grid-time.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { call } from '../helpers/api.js';
import { ROOT, startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { gridRows, seedGrid } from '../integration/receiver-harness.js';
import { writeYearOfGrid } from './market-ui-year.js';
import type { BenchResult, Figure } from './types.js';

const GOAL_MS = 50;
const SYNC_ROWS = 1_000_000;
/** How long the 365-day backfill is watched: at OKX's limits the whole range takes minutes, and its pages are alike. */
const BACKFILL_WATCH_MS = 30_000;

/**
 * The node's event-loop delay (p99 and max) while each heavy task runs on it. The node runs in
 * this process, so the histogram is its own loop; the exchange (the simulator) and the peer that
 * serves the 1 M rows run in child processes, so their work is not counted. Baseline: the same node
 * idle for the same kind of window in the same run (timers, status ticks).
 */
interface Delay {
  p99: number;
  max: number;
  /** Event-loop utilization: the share of the task's time the main thread was busy (0–1). */
  elu: number;
  /** CPU time of the main thread alone (ms), when the OS tells it (Linux). */
  cpuMs: number | undefined;
}

/**
 * The main thread's own CPU time (utime + stime of its task in /proc, 100 ticks a second), not
 * counting worker threads. Unlike the loop delay it does not grow when other processes take the
 * cores, so it shows what moved off the main thread even on a shared machine.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

async function measure(task: () => Promise<unknown>): Promise<Delay & { ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = mainThreadCpuMs();
  await task();
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu1 = mainThreadCpuMs();
  const ms = performance.now() - t0;
  // The histogram records a delay when its timer fires: without one more turn, a task that ends in
  // a synchronous stretch (or is one, like a sum series answered in one call) records nothing.
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  const cpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, elu, cpuMs, ms };
}

function figures(label: string, d: Delay & { ms: number }, idle: Delay & { ms: number }): Figure[] {
  return [
    {
      metric: `${label}: event-loop max (task ${(d.ms / 1000).toFixed(1)} s)`,
      value: d.max,
      unit: 'ms',
      baseline: idle.max,
      ratio: d.max / Math.max(idle.max, 1),
      goal: `< ${GOAL_MS} ms`,
      pass: d.max < GOAL_MS,
    },
    { metric: `${label}: event-loop p99`, value: d.p99, unit: 'ms', baseline: idle.p99, ratio: d.p99 / Math.max(idle.p99, 1) },
    // The share of the task the main thread spent outside the loop's wait (it grows when other
    // processes take the shared cores; the CPU figure below does not).
    { metric: `${label}: main thread busy`, value: d.elu * 100, unit: '%', baseline: idle.elu * 100 },
    ...(d.cpuMs === undefined || idle.cpuMs === undefined
      ? []
      : [
          // Baseline: the idle node's main-thread CPU over a window as long as the task (10 ms ticks).
          { metric: `${label}: main-thread CPU`, value: d.cpuMs, unit: 'ms', baseline: (idle.cpuMs * d.ms) / idle.ms },
        ]),
  ];
}

async function startSimulatorProcess(): Promise<{ proc: ChildProcess; urls: { rest: string; wsPublic: string; wsBusiness: string } }> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/main/simulator.js'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls = await new Promise<{ rest: string; wsPublic: string; wsBusiness: string }>((resolve, reject) => {
    proc.once('exit', (c) => reject(new Error(`simulator exited with ${c}`)));
    readline.createInterface({ input: proc.stdout! }).on('line', (l) => {
      const m = /^okx-simulator ready (\{.*\})$/.exec(l);
      if (m) resolve(JSON.parse(m[1]!) as { rest: string; wsPublic: string; wsBusiness: string });
    });
  });
  return { proc, urls };
}

export default async function bench(): Promise<BenchResult> {
  const dir = tempDataDir('csn-bench-loop-');
  const year = writeYearOfGrid(dir, 365);
  const peerDir = tempDataDir('csn-bench-loop-peer-');
  seedGrid(peerDir, gridRows('S', 1_000, SYNC_ROWS / 1_000));
  const sim = await startSimulatorProcess();
  let node: SyncNode | undefined;
  let peer: HeadlessNode | undefined;
  const out: Figure[] = [];
  const notes: string[] = [];
  try {
    node = createNode({ dataDir: dir, mode: 'headless', version: 'bench', collect: false, exchange: sim.urls, senderPort: 0 });
    await node.start();
    const n = node;
    const idle = await measure(() => new Promise((r) => setTimeout(r, 5_000)));
    out.push({ metric: 'idle node (5 s): event-loop max', value: idle.max, unit: 'ms' });
    out.push({ metric: 'idle node (5 s): event-loop p99', value: idle.p99, unit: 'ms' });

    const csv = await measure(() => call(n, 'export.csv', { kind: 'full', from: year.from, to: year.to, lang: 'en' }));
    out.push(...figures('1-year CSV export (full, 27 coins)', csv, idle));
    const sum = await measure(() => call(n, 'market.sumSeries', { from: year.to - 30 * DAY_MS, to: year.to }));
    out.push(...figures('30-day sum series', sum, idle));

    // The backfill goes to an empty range before the seeded year, so every page is fetched and written.
    const bfTo = year.from;
    const bf = await measure(async () => {
      const r = await n.call('backfill.start', { from: bfTo - 365 * DAY_MS, to: bfTo });
      if (!r.ok) throw new Error(r.error.message);
      await new Promise((r) => setTimeout(r, BACKFILL_WATCH_MS));
    });
    const st = await call(n, 'backfill.status', {});
    notes.push(`365-day backfill watched for ${BACKFILL_WATCH_MS / 1000} s: ${JSON.stringify(st.progress)}`);
    await n.call('backfill.stop', {});
    out.push(...figures('365-day backfill (first 30 s, at OKX limits)', bf, idle));

    peer = await startHeadless({ dataDir: peerDir, args: ['--sender-port', '0', '--no-collect'] });
    await peer.call('sender.config.update', { legacyToken: true, loopbackHttp: true, rateLimitPerMinute: 1_000_000 });
    const view = (await peer.call('sender.config.get', {})).body.value;
    await call(n, 'sync.auto', { on: false });
    const added = await call(n, 'peers.add', {
      name: 'peer',
      url: String(view.listening.url).replace('https:', 'http:'),
      token: view.token,
      intervalSec: 3_600,
      datasets: ['PT002'],
    });
    const sync = await measure(() => call(n, 'sync.peer', { id: added.id }));
    out.push(...figures('1 M-row initial sync (receiver)', sync, idle));
  } finally {
    await node?.stop();
    await peer?.stop();
    sim.proc.kill('SIGTERM');
  }
  return { name: 'event loop', figures: out, notes };
}

/**
 * Issue 3's UI-side figures, each with a same-run baseline:
 * (a) tick-to-event latency: simulator push (the ticker's ts) to a market.tick on the control
 *     event socket, vs the same ticks read straight off the simulator's public WebSocket;
 * (b) CPU and RSS of a headless node collecting 27 coins for 60 s, vs a node whose exchange
 *     hosts point at a closed port (nothing to collect);
 * (c) Sum curve render time in Chromium for a year of 30-minute points (17,520), vs one day (48).
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import { DAY_MS, dayOf } from '../../preload/contract/grid-time.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';
import { startSimulatorProc, watchProc } from './market-ui-procs.js';
import { writeYearOfGrid } from './market-ui-year.js';
import { median, percentile, type BenchResult, type Figure } from './types.js';
import { noExchangeArgs, openUi, timeClickScript } from './ui-harness.js';
import { DEFAULT_COINS } from '../../preload/contract/coins.js';

const LATENCY_MS = 20_000;
const IDLE_MS = 60_000;
const WARMUP_MS = 5_000;
const RENDER_ROUNDS = 5;
const YEAR_DAYS = 365;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function latency(): Promise<{ ours: number[]; raw: number[] }> {
  const dataDir = tempDataDir('csn-bench-lat-');
  const node = await startHeadless({ dataDir, args: ['--simulate'] });
  const ready = node.ready as typeof node.ready & { exchange: { wsPublic: string } };
  const ours: number[] = [];
  const raw: number[] = [];
  const events = new WebSocket(`${ready.control.replace(/^http/, 'ws')}/api/control/events?token=${encodeURIComponent(node.token)}`);
  const direct = new WebSocket(ready.exchange.wsPublic);
  try {
    await Promise.all([events, direct].map((ws) => new Promise((r, j) => ws.once('open', r).once('error', j))));
    // The node repairs today's grid at start; give it a moment so steady-state ticks are measured.
    await sleep(2_000);
    events.on('message', (buf) => {
      const at = Date.now();
      const m = JSON.parse(String(buf)) as { event: string; payload: { row?: { ts: number } } };
      if (m.event === 'market.tick' && m.payload.row) ours.push(at - m.payload.row.ts);
    });
    direct.on('message', (buf) => {
      const at = Date.now();
      const text = String(buf);
      if (text === 'pong') return;
      const m = JSON.parse(text) as { arg?: { channel: string }; data?: { ts: string }[] };
      if (m.arg?.channel === 'tickers' && m.data) for (const d of m.data) raw.push(at - Number(d.ts));
    });
    direct.send(JSON.stringify({ op: 'subscribe', args: DEFAULT_COINS.map((c) => ({ channel: 'tickers', instId: `${c}-USDT-SWAP` })) }));
    await sleep(LATENCY_MS);
  } finally {
    events.close();
    direct.close();
    await node.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { ours, raw };
}

async function idle(): Promise<{
  live: Awaited<ReturnType<typeof watchProc>>;
  quiet: Awaited<ReturnType<typeof watchProc>>;
  coins: number;
}> {
  const sim = await startSimulatorProc();
  const dirs = [tempDataDir('csn-bench-idle-'), tempDataDir('csn-bench-quiet-')];
  const nodes: HeadlessNode[] = [];
  try {
    // The simulator runs in its own process so the live node's figures are the node's alone.
    nodes.push(
      await startHeadless({
        dataDir: dirs[0],
        args: ['--okx-rest', sim.rest, '--okx-ws-public', sim.wsPublic, '--okx-ws-business', sim.wsBusiness],
      }),
    );
    nodes.push(await startHeadless({ dataDir: dirs[1], args: await noExchangeArgs() }));
    await sleep(WARMUP_MS);
    const [live, quiet] = await Promise.all(nodes.map((n) => watchProc(n.ready.pid, IDLE_MS)));
    const snap = (await nodes[0]!.call('market.live', {})).body as { value: { rows: unknown[] } };
    return { live: live!, quiet: quiet!, coins: snap.value.rows.length };
  } finally {
    for (const n of nodes) await n.stop();
    await sim.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

async function render(): Promise<{ year: number[]; day: number[]; yearPoints: number; dayPoints: number; writeMs: number }> {
  const dataDir = tempDataDir('csn-bench-year-');
  const t0 = performance.now();
  const grid = writeYearOfGrid(dataDir, YEAR_DAYS);
  const writeMs = performance.now() - t0;
  const { page, close } = await openUi({ dataDir, viewport: { width: 1360, height: 860 } });
  const year: number[] = [];
  const day: number[] = [];
  let yearPoints = 0;
  let dayPoints = 0;
  try {
    await page.getByTestId('nav-sum').click();
    await page.getByTestId('range-custom').click();
    const ranges = {
      year: { from: dayOf(grid.from), to: dayOf(grid.to - DAY_MS), key: `${grid.from}-${grid.to}` },
      day: { from: dayOf(grid.to - DAY_MS), to: dayOf(grid.to - DAY_MS), key: `${grid.to - DAY_MS}-${grid.to}` },
    };
    // Year and day alternate (re-applying the range on screen would not redraw); the first
    // round warms caches for both and is not counted.
    for (let round = 0; round <= RENDER_ROUNDS; round++) {
      for (const which of ['year', 'day'] as const) {
        const r = ranges[which];
        await page.getByTestId('range-from').fill(r.from);
        await page.getByTestId('range-to').fill(r.to);
        // Click to painted chart, timed inside the page: data-ready turns true for this range
        // after the fetch, setData and two animation frames.
        const ms = await page.evaluate<number>(timeApplyScript(r.key));
        const points = Number(await page.getByTestId('sum-chart').getAttribute('data-points'));
        if (which === 'year') yearPoints = points;
        else dayPoints = points;
        if (round > 0) (which === 'year' ? year : day).push(ms);
        if (round === RENDER_ROUNDS && which === 'year')
          await page.screenshot({ path: 'test-results/screenshots/bench-sum-year.png' }).catch(() => undefined);
      }
    }
  } finally {
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { year, day, yearPoints, dayPoints, writeMs };
}

/** In-page: clicks "Show" and resolves with the ms until the chart marks this range painted. */
function timeApplyScript(key: string): string {
  const chart = `document.querySelector('[data-testid="sum-chart"]')`;
  return timeClickScript({
    click: '[data-testid="range-apply"]',
    ready: `(() => { const c = ${chart}; return c.getAttribute('data-range') === ${JSON.stringify(key)} && c.getAttribute('data-ready') === 'true'; })()`,
    observe: '[data-testid="sum-chart"]',
    what: 'chart not ready',
    detail: `'range ' + ${chart}.getAttribute('data-range') + ', ready ' + ${chart}.getAttribute('data-ready') + ', '`,
  });
}

export default async function marketUi(): Promise<BenchResult> {
  const lat = await latency();
  const id = await idle();
  const rn = await render();
  if (lat.ours.length === 0 || lat.raw.length === 0) throw new Error('no ticks were measured');
  if (rn.yearPoints !== YEAR_DAYS * 48) throw new Error(`the year chart drew ${rn.yearPoints} points, not ${YEAR_DAYS * 48}`);
  const p50 = percentile(lat.ours, 50);
  const p99 = percentile(lat.ours, 99);
  const b50 = percentile(lat.raw, 50);
  const b99 = percentile(lat.raw, 99);
  const yearMs = median(rn.year);
  const dayMs = median(rn.day);
  const figures: Figure[] = [
    {
      metric: `tick → market.tick event p50 (${lat.ours.length} ticks)`,
      value: p50,
      unit: 'ms',
      baseline: b50,
      goal: '≤ 50 ms',
      pass: p50 <= 50,
    },
    { metric: 'tick → market.tick event p99', value: p99, unit: 'ms', baseline: b99, goal: '≤ 250 ms', pass: p99 <= 250 },
    {
      metric: `node CPU, collecting ${id.coins} coins, ${IDLE_MS / 1000} s`,
      value: id.live.cpuPct,
      unit: '% of a core',
      baseline: id.quiet.cpuPct,
      goal: '≤ 10 %',
      pass: id.live.cpuPct <= 10,
    },
    {
      metric: 'node RSS (mean), collecting',
      value: id.live.rssMeanMb,
      unit: 'MB',
      baseline: id.quiet.rssMeanMb,
      ratio: id.live.rssMeanMb / id.quiet.rssMeanMb,
    },
    {
      metric: 'node RSS (peak), collecting',
      value: id.live.rssMaxMb,
      unit: 'MB',
      baseline: id.quiet.rssMaxMb,
      goal: '≤ 250 MB',
      pass: id.live.rssMaxMb <= 250,
    },
    {
      metric: `Sum curve render, ${rn.yearPoints.toLocaleString('en-US')} points (median of ${RENDER_ROUNDS})`,
      value: yearMs,
      unit: 'ms',
      baseline: dayMs,
      ratio: yearMs / dayMs,
      goal: '≤ 1,000 ms',
      pass: yearMs <= 1_000,
    },
  ];
  return {
    name: 'market ui',
    figures,
    notes: [
      `latency baseline: the same simulator's tickers read directly off ${'/ws/v5/public'} (${lat.raw.length} pushes) in the same run; both measured as receive time − the ticker's ts (same machine clock, ms resolution).`,
      `CPU/RSS baseline: a headless node whose exchange hosts point at a closed local port (it collects nothing); simulator in its own process; ${WARMUP_MS / 1000} s warm-up, then ${IDLE_MS / 1000} s sampled from /proc each second.`,
      `render: click on "Show" to chart painted (fetch over HTTP + JSON + setData + 2 frames); baseline one day (${rn.dayPoints} points); year written in ${Math.round(rn.writeMs)} ms through GridWriter.`,
    ],
  };
}

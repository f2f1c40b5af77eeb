/**
 * Issue 16: click-to-paint for every screen and every Sum range, in real Chromium against a
 * headless node whose database holds a year of 30-minute grid points for 27 coins (one day missing).
 * Timed inside the page: from the click to the frame in which the screen's data is on the glass
 * (its ready condition holds, then one animation frame, then a task after that frame's paint).
 *
 * Baselines in the same run: the frame floor (a click that changes nothing, to its next frame) and,
 * when UI_PAINT_BEFORE_ROOT names another checkout with a build (dist/), every step on that build
 * over the same data folder ("before"; the ratio is after / before).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { dayOf } from '../../preload/contract/grid-time.js';
import { HEADLESS_ENTRY, startHeadless, tempDataDir } from '../helpers/headless.js';
import { noExchangeArgs } from './ui-harness.js';
import { writeGridThroughToday } from '../helpers/grid-fill.js';
import { median, percentile, type BenchResult, type Figure } from './types.js';

const ROUNDS = Number(process.env.UI_PAINT_ROUNDS ?? 5);
const YEAR_DAYS = 365;
const GOAL_MS = 150;
/** A person looks at a painted screen before the next click; trailing work (gap reasons) settles. */
const SETTLE_MS = 300;

interface Step {
  name: string;
  /** Done before the clock starts (typing a custom range). */
  prepare?: (page: Page) => Promise<void>;
  /** CSS selector of what is clicked. */
  click: string;
  /** A JS expression, true once the screen shows its data; `before` is the sum chart's range key before the click. */
  ready: string;
}

const q = (sel: string) => `document.querySelector(${JSON.stringify(sel)})`;
const count = (sel: string) => `document.querySelectorAll(${JSON.stringify(sel)}).length`;
const chartReady = (screenSel: string) =>
  `(${q(`${screenSel} [data-testid="sum-chart"]`)}?.dataset.ready === 'true' && ${q(`${screenSel} [data-testid="sum-chart"]`)}?.dataset.range !== before)`;

function steps(year: { from: string; to: string }): Step[] {
  const sum = '[data-testid="screen-sum"]';
  return [
    { name: 'Sum curve open (1D)', click: '[data-testid="nav-sum"]', ready: chartReady(sum) },
    { name: 'Sum 7D', click: '[data-testid="range-7d"]', ready: chartReady(sum) },
    { name: 'Sum 30D', click: '[data-testid="range-30d"]', ready: chartReady(sum) },
    {
      name: 'Sum 1Y (custom, 365 days)',
      prepare: async (page) => {
        await page.getByTestId('range-custom').click();
        await page.getByTestId('range-from').fill(year.from);
        await page.getByTestId('range-to').fill(year.to);
      },
      click: '[data-testid="range-apply"]',
      ready: chartReady(sum),
    },
    {
      name: 'History day table',
      click: '[data-testid="nav-history"]',
      ready: `${count('[data-testid="screen-history"] [data-testid="hist-row"]')} === 48`,
    },
    {
      name: 'Backfill',
      click: '[data-testid="nav-backfill"]',
      ready: `${count('[data-testid="screen-backfill"] [data-testid="bf-cov-cell"]')} > 0`,
    },
    {
      name: 'Sync › Sender',
      click: '[data-testid="nav-sync"]',
      ready: `${q('[data-testid="screen-sync-sender"] [data-testid="sender-state"]')} !== null`,
    },
    {
      name: 'Sync › Receiver',
      click: '[data-testid="tab-receiver"]',
      ready: `${q('[data-testid="screen-sync-receiver"] [data-testid="auto-sync"]')} !== null`,
    },
    {
      name: 'Sync › Catalog',
      click: '[data-testid="tab-catalog"]',
      ready: `${count('[data-testid="screen-sync-catalog"] [data-testid="catalog-row"]')} > 0`,
    },
    { name: 'Logs', click: '[data-testid="nav-logs"]', ready: `${count('[data-testid="screen-logs"] [data-testid="log-row"]')} > 0` },
    {
      name: 'Settings',
      click: '[data-testid="nav-settings"]',
      ready: `${q('[data-testid="screen-settings"] [data-testid="settings-save"]')} !== null`,
    },
    {
      name: 'Overview',
      click: '[data-testid="nav-overview"]',
      ready: `${count('[data-testid="screen-overview"] [data-testid="coin-table"] tbody tr')} > 0`,
    },
  ];
}

/** In-page: click, wait for `ready`, then the frame after it and a task after that frame's paint. */
function timeClickScript(click: string, ready: string): string {
  return `(async () => {
    const chart = document.querySelector('[data-testid="sum-chart"]');
    const before = chart ? chart.dataset.range : undefined;
    const isReady = () => { try { return ${ready}; } catch { return false; } };
    const el = document.querySelector(${JSON.stringify(click)});
    if (!el) throw new Error('nothing to click: ' + ${JSON.stringify(click)});
    const painted = () => new Promise((r) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => r(performance.now()); c.port2.postMessage(0); }));
    const t = performance.now();
    await new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => { if (isReady()) { obs.disconnect(); clearTimeout(timer); resolve(); } });
      obs.observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
      const timer = setTimeout(() => { obs.disconnect(); reject(new Error('not ready in 30 s after ' + ${JSON.stringify(click)} + ': ' + document.querySelector('.content')?.innerText.slice(0, 300))); }, 30000);
      el.click();
      if (isReady()) { obs.disconnect(); clearTimeout(timer); resolve(); }
    });
    return (await painted()) - t;
  })()`;
}

/** In-page: a click that changes nothing (the active sidebar link), to the same painted-frame mark. */
const FLOOR_SCRIPT = timeClickScript('[data-testid="nav-overview"]', 'true');

/** Polls a JS expression in the page (waitForFunction evals a string, which the UI's CSP refuses). */
async function waitFor(page: Page, expr: string): Promise<void> {
  await page.evaluate(
    `(async () => { for (let i = 0; i < 600; i++) { try { if (${expr}) return; } catch {} await new Promise((r) => setTimeout(r, 50)); } throw new Error('not ready in 30 s'); })()`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  steps: Map<string, number[]>;
  /** Main-thread CPU time (Chromium's ThreadTime) over the same span: the page's own work, less sensitive to a busy machine. */
  busy: Map<string, number[]>;
  firstOpen: number[];
  floor: number[];
  yearPoints: number;
}

interface Session {
  run: Run;
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

async function openSession(entry: string, dataDir: string): Promise<Session> {
  const node = await startHeadless({ entry, dataDir, args: await noExchangeArgs() });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const url = `${node.ready.control}/#token=${node.token}`;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await waitFor(page, OVERVIEW_READY);
  return {
    run: { steps: new Map(), busy: new Map(), firstOpen: [], floor: [], yearPoints: 0 },
    url,
    browser,
    page,
    async close() {
      await browser.close();
      await node.stop();
    },
  };
}

const OVERVIEW_READY = `${count('[data-testid="screen-overview"] [data-testid="coin-table"] tbody tr')} > 0`;

const FIRST_OPEN = 'Sum curve first open after load (1D)';
const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);

/** Runs a timing script, with the page's main-thread CPU time over it (CDP Performance metrics). */
async function timed(page: Page, script: string): Promise<{ ms: number; busy: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
  const t0 = await task();
  const ms = await page.evaluate<number>(script);
  const busy = (await task()) - t0;
  await cdp.detach();
  return { ms, busy };
}

/** The Sum curve's first open after the UI loads: a fresh page. */
async function firstOpen(s: Session, counted: boolean): Promise<void> {
  const page = await s.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(s.url);
  await waitFor(page, OVERVIEW_READY);
  await sleep(SETTLE_MS);
  const { ms, busy } = await timed(page, timeClickScript('[data-testid="nav-sum"]', chartReady('[data-testid="screen-sum"]')));
  if (counted) {
    s.run.firstOpen.push(ms);
    push(s.run.busy, FIRST_OPEN, busy);
  }
  await page.close();
}

async function step(s: Session, st: Step, counted: boolean): Promise<void> {
  await st.prepare?.(s.page);
  await sleep(SETTLE_MS);
  const { ms, busy } = await timed(s.page, timeClickScript(st.click, st.ready));
  if (!counted) return;
  push(s.run.steps, st.name, ms);
  push(s.run.busy, st.name, busy);
  if (st.name.startsWith('Sum 1Y')) s.run.yearPoints = Number(await s.page.getByTestId('sum-chart').getAttribute('data-points'));
}

/**
 * Runs every step on each session, the sessions taking turns step by step (the first to go swaps
 * each round), so a busy moment on the machine falls on both builds alike.
 */
async function runAll(sessions: Session[], year: { from: string; to: string }): Promise<void> {
  const order = (round: number) => (round % 2 === 0 ? sessions : [...sessions].reverse());
  // Round 0 warms the node's caches and the page's code paths; it is not counted.
  for (let round = 0; round <= ROUNDS; round++) for (const s of order(round)) await firstOpen(s, round > 0);
  for (let round = 0; round <= ROUNDS; round++) {
    for (const s of order(round)) {
      await sleep(SETTLE_MS);
      const floor = await s.page.evaluate<number>(FLOOR_SCRIPT);
      if (round > 0) s.run.floor.push(floor);
    }
    // Sessions stay on the same screen between turns: each step leaves both where the next begins.
    for (const st of steps(year)) for (const s of order(round)) await step(s, st, round > 0);
  }
}

export default async function uiPaint(): Promise<BenchResult> {
  const dataDir = tempDataDir('csn-bench-paint-');
  const t0 = performance.now();
  const grid = writeGridThroughToday(dataDir, YEAR_DAYS);
  const writeMs = performance.now() - t0;
  const year = { from: dayOf(grid.from), to: dayOf(grid.to) };
  const beforeRoot = process.env.UI_PAINT_BEFORE_ROOT;
  const beforeDir = beforeRoot ? tempDataDir('csn-bench-paint-before-') : null;
  // The same data for both builds: a copy of the folder, each node on its own.
  if (beforeDir) fs.cpSync(dataDir, beforeDir, { recursive: true });
  const sessions: Session[] = [];
  try {
    if (beforeRoot && beforeDir) sessions.push(await openSession(path.join(beforeRoot, 'dist/main/headless.js'), beforeDir));
    sessions.push(await openSession(HEADLESS_ENTRY, dataDir));
    await runAll(sessions, year);
    const after = sessions.at(-1)!.run;
    const before = sessions.length > 1 ? sessions[0]!.run : null;
    const figure = (metric: string, xs: number[], base: number[] | undefined): Figure => {
      const value = median(xs);
      const baseline = base && base.length > 0 ? median(base) : undefined;
      return {
        metric: `${metric} (median of ${xs.length}, max ${Math.round(Math.max(...xs))})`,
        value,
        unit: 'ms',
        ...(baseline !== undefined ? { baseline, ratio: value / baseline } : {}),
        goal: `< ${GOAL_MS} ms`,
        pass: value < GOAL_MS,
      };
    };
    const busyFigure = (name: string): Figure => {
      const xs = after.busy.get(name) ?? [];
      const base = before?.busy.get(name);
      const value = median(xs);
      const baseline = base && base.length > 0 ? median(base) : undefined;
      return {
        metric: `  main-thread CPU, ${name}`,
        value,
        unit: 'ms',
        ...(baseline !== undefined ? { baseline, ratio: value / baseline } : {}),
      };
    };
    const figures: Figure[] = [
      {
        metric: 'frame floor: a click that changes nothing, to its painted frame',
        value: median(after.floor),
        unit: 'ms',
        ...(before ? { baseline: median(before.floor) } : {}),
      },
      figure(FIRST_OPEN, after.firstOpen, before?.firstOpen),
      busyFigure(FIRST_OPEN),
      ...[...after.steps].flatMap(([name, xs]) => [
        figure(
          name === 'Sum 1Y (custom, 365 days)' ? `Sum 1Y, ${after.yearPoints.toLocaleString('en-US')} points` : name,
          xs,
          before?.steps.get(name),
        ),
        busyFigure(name),
      ]),
    ];
    const all = [...after.steps.values()].flat();
    return {
      name: 'ui paint',
      figures,
      notes: [
        `data: ${YEAR_DAYS} UTC+8 days × 27 coins through the last grid point (${grid.points.toLocaleString('en-US')} grid points, ${grid.missingDay} missing), written in ${Math.round(writeMs)} ms; Chromium 1440 × 900, headless node, no collector.`,
        `timed in the page: click → ready condition → next animation frame → a task after its paint; ${SETTLE_MS} ms idle before each click; round 0 not counted. p90 over every step: ${Math.round(percentile(all, 90))} ms.`,
        'main-thread CPU: the renderer main thread’s CPU time (CDP Performance.getMetrics ThreadTime) over the same span — script, style, layout, paint recording; not the wait for the node, for raster or for a CPU; on a machine shared with other work it is the steadier figure to compare builds by.',
        before
          ? `baseline "before": the same steps on the build in ${beforeRoot} over a copy of the same data folder, in this run, the two builds taking turns step by step.`
          : 'no UI_PAINT_BEFORE_ROOT: only the frame floor as baseline.',
      ],
    };
  } finally {
    for (const x of sessions) await x.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (beforeDir) fs.rmSync(beforeDir, { recursive: true, force: true });
  }
}

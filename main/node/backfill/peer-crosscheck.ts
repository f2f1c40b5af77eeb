/**
 * Peer against peer, when a job is planned (issue 12): coverage answers carry per day and coin a
 * count and a hash of the values. Where two peers hold the same count of a day but their hashes
 * differ, the day is not simply taken from the first: it is pulled from each of them, the candles
 * whose opens differ beyond the tolerance are disputed (both peers named), and the exchange is
 * asked once per coin and day (paced like every other call) as the tie-breaker. Its value is
 * written, the dispute decided, the peers that were wrong are counted in their records, and the
 * plan does not take that day from them. Without the exchange's answer the cells stay disputed
 * and the day goes to the exchange's own pages, from no peer.
 */
import { dayOf, dayStart, dayStartOf, DAY_MS, formatDateTime } from '../market/grid-time.js';
import type { GridWriter } from '../market/grid-writer.js';
import type { Logger } from '../log/logger.js';
import { OKX_BARS, type OkxBar, type OkxRestClient } from '../okx/index.js';
import { endpointFor, fetchWindow, splitWindows, type CandleInput } from '../okx/candle-pages.js';
import type { Store } from '../store/store.js';
import { differs, type Disputes } from './disputes.js';
import type { PeerRun } from './peer-run.js';
import type { DaySkips } from './source-plan.js';

export interface CrossCheckDeps {
  store: Store;
  grid: GridWriter;
  rest: OkxRestClient;
  disputes: Disputes;
  log: Logger;
  now: () => number;
  exchangeHost: () => string;
  tolerancePct: number;
}

export interface CrossCheck {
  /** `coin day` → peers the plan must not take that day from. */
  skips: DaySkips;
  /** Exchange requests spent on tie-breaks (the job's count). */
  requests: number;
  /** Cells disputed, and those the exchange decided. */
  disputed: number;
  decided: number;
}

/** Days of [from, to) where peers that hold the same count disagree by hash: `coin day` → those peers, in order. */
export function conflicts(run: PeerRun, coins: readonly string[], from: number, to: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const coin of coins) {
    for (let d = dayStartOf(from); d < to; d += DAY_MS) {
      const day = dayOf(d);
      const holders = run.covers.filter((c) => c.hashes?.has(`${coin} ${day}`));
      const first = holders[0];
      if (!first) continue;
      const count = first.cov.get(coin)?.get(day) ?? 0;
      const same = holders.filter((c) => (c.cov.get(coin)?.get(day) ?? 0) === count);
      const hashes = new Set(same.map((c) => c.hashes!.get(`${coin} ${day}`)));
      if (same.length > 1 && hashes.size > 1)
        out.set(
          `${coin} ${day}`,
          same.map((c) => c.id),
        );
    }
  }
  return out;
}

export async function crossCheck(
  d: CrossCheckDeps,
  run: PeerRun,
  bar: OkxBar,
  coins: readonly string[],
  from: number,
  to: number,
): Promise<CrossCheck> {
  const skips = new Map<string, Set<string>>();
  const result = { skips, requests: 0, disputed: 0, decided: 0 };
  for (const [key, peers] of conflicts(run, coins, from, to)) {
    const [coin, day] = key.split(' ') as [string, string];
    const start = Math.max(from, dayStart(day));
    const end = Math.min(to, dayStart(day) + DAY_MS);
    // Each peer's candles of the day; a peer that cannot deliver them is not taken for it.
    const values = new Map<string, Map<number, CandleInput>>();
    for (const id of peers) {
      try {
        const a = await run.pull(id, { coin, bar, start, end });
        values.set(id, new Map(a.candles.map((c) => [c.ts, c])));
      } catch (e) {
        run.drop(id, e);
        skip(skips, key, id);
      }
    }
    const cells = disputedCells(values, d.tolerancePct);
    if (cells.length === 0) continue;
    result.disputed += cells.length;
    const now = d.now();
    for (const c of cells) d.disputes.openPair(coin, bar, c.ts, c.a, c.b, now);
    d.log.warn(
      `${coin} ${day}: ${cells.length} cell(s) differ between ${peers.map((p) => run.name(p)).join(' and ')}; asking the exchange`,
    );
    const decided = await tieBreak(d, run, coin, bar, cells, values);
    result.requests += decided.requests;
    if (!decided.ok) {
      // Undecided: the day is taken from none of them.
      for (const id of values.keys()) skip(skips, key, id);
      continue;
    }
    result.decided += cells.length;
    for (const [id, n] of decided.wrong) {
      run.disagreed(id, n);
      skip(skips, key, id);
    }
  }
  return result;
}

interface Cell {
  ts: number;
  a: { source: string; open: number };
  b: { source: string; open: number };
}

/** Cells where some peer's open differs from the first peer's: the first and the first that differs. */
function disputedCells(values: ReadonlyMap<string, ReadonlyMap<number, CandleInput>>, tol: number): Cell[] {
  const [first, ...rest] = [...values.entries()];
  if (!first) return [];
  const out: Cell[] = [];
  for (const [ts, c] of first[1]) {
    for (const [id, other] of rest) {
      const o = other.get(ts);
      if (o && differs(c.open, o.open, tol)) {
        out.push({ ts, a: { source: first[0], open: c.open }, b: { source: id, open: o.open } });
        break;
      }
    }
  }
  return out.sort((x, y) => x.ts - y.ts);
}

/** One exchange request for the disputed span (more only for bars finer than 300 a day); never rejects. */
async function tieBreak(
  d: CrossCheckDeps,
  run: PeerRun,
  coin: string,
  bar: OkxBar,
  cells: readonly Cell[],
  values: ReadonlyMap<string, ReadonlyMap<number, CandleInput>>,
): Promise<{ ok: boolean; requests: number; wrong: Map<string, number> }> {
  const wrong = new Map<string, number>();
  let requests = 0;
  const want = new Set(cells.map((c) => c.ts));
  const windows = splitWindows(coin, bar, cells[0]!.ts, cells[cells.length - 1]!.ts + OKX_BARS[bar].ms).filter((w) =>
    cells.some((c) => c.ts >= w.start && c.ts < w.end),
  );
  try {
    const got: CandleInput[] = [];
    for (const w of windows) {
      const a = await fetchWindow(d.rest, w, endpointFor(bar, w.start, d.now()));
      requests += 1;
      got.push(...a.candles.filter((c) => want.has(c.ts)));
    }
    if (!d.store.isOpen) return { ok: false, requests, wrong };
    const host = d.exchangeHost();
    const now = d.now();
    for (const ex of got) {
      const names: string[] = [];
      for (const [id, byTs] of values) {
        const v = byTs.get(ex.ts);
        if (v && differs(ex.open, v.open, d.tolerancePct)) names.push(id);
      }
      d.disputes.decidePair(coin, bar, ex.ts, ex.open, host, names, now);
      for (const id of names) wrong.set(id, (wrong.get(id) ?? 0) + 1);
      d.log.warn(
        `${coin} ${formatDateTime(ex.ts)}: ${[...values].map(([id, m]) => `${m.get(ex.ts)?.open} (${run.name(id)})`).join(' vs ')}; ${host} says ${ex.open}${names.length ? `: ${names.map((id) => run.name(id)).join(' and ')} was wrong` : ''}`,
      );
    }
    d.store.write(() => d.grid.writeCandles(got, bar === '30m' ? { gridSource: 'backfill' } : {}));
    // A cell the exchange has no candle for stays disputed: the day is then taken from none of the peers.
    return { ok: got.length === want.size, requests, wrong };
  } catch (err) {
    d.log.warn(`${coin}: the exchange could not decide ${cells.length} disputed cell(s) (${(err as Error).message}); they stay disputed`);
    return { ok: false, requests, wrong };
  }
}

function skip(skips: Map<string, Set<string>>, key: string, id: string): void {
  let s = skips.get(key);
  if (!s) skips.set(key, (s = new Set()));
  s.add(id);
}

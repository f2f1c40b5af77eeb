import type { CollectorReport, MarketStatus, StreamStatus } from '../../../preload/contract/market.js';
import type { Component } from '../component.js';
import { GridWriter } from './grid-writer.js';
import { LiveState, type LiveStateOptions } from './live-state.js';
import { MarketQueries } from './queries.js';

/** What a collector exposes so `market.status` can report it. */
export interface CollectorStatusSource {
  report(): CollectorReport;
}

export interface MarketService {
  /** Write side for collectors and backfill: grid prices, baselines, candles. */
  readonly grid: GridWriter;
  /** Live ticks, live sum, price speed. */
  readonly live: LiveState;
  /** Read side: sum series, day table, export rows. */
  readonly queries: MarketQueries;
  /** Collector state merged with per-coin freshness and baseline checks. */
  status(): MarketStatus;
  /** A collector registers itself here; returns a function that detaches it. */
  attachCollector(source: CollectorStatusSource): () => void;
  /** More streams (the derivatives collector), listed after the collector's own; returns a detach function. */
  attachStreams(source: { streams(): StreamStatus[] }): () => void;
  /** Flushes throttled live writes on stop. */
  readonly component: Component;
}

export const NOT_STARTED: CollectorReport = {
  state: 'not_started',
  detail: 'no collector is running on this node yet',
  streams: [],
  clock: { skewMs: null, checkedAt: null, warning: false },
};

export function createMarket(
  deps: Pick<LiveStateOptions, 'store' | 'bus' | 'coins' | 'log' | 'now' | 'throttleMs'> & { statusIntervalMs?: number },
): MarketService {
  const now = deps.now ?? Date.now;
  const grid = new GridWriter(deps.store, now);
  const live = new LiveState({ store: deps.store, bus: deps.bus, coins: deps.coins, log: deps.log, now, throttleMs: deps.throttleMs });
  const queries = new MarketQueries({ db: deps.store.db, coins: deps.coins, now });
  grid.onBaseline((coin, day, price) => live.setBaseline(coin, day, price));
  grid.onWrite((r) => {
    if (r.range) deps.bus.emit('market.grid', { from: r.range.from, to: r.range.to, coins: r.coins, changed: r.changed });
  });

  let collector: CollectorStatusSource | null = null;
  const extraStreams = new Set<{ streams(): StreamStatus[] }>();
  let running = false;
  let statusTimer: NodeJS.Timeout | undefined;

  const status = (): MarketStatus => {
    let report = NOT_STARTED;
    if (collector) {
      try {
        report = collector.report();
      } catch (e) {
        report = { ...NOT_STARTED, state: 'error', detail: `the collector could not report: ${(e as Error).message}` };
      }
    }
    const extra = [...extraStreams].flatMap((s) => {
      try {
        return s.streams();
      } catch {
        return [];
      }
    });
    return {
      ...report,
      streams: [...report.streams, ...extra],
      now: now(),
      coins: live.freshness((c) => queries.lastGridTs(c)),
      baselineMismatches: live.mismatches(),
      mismatchTolerancePct: live.tolerancePct,
    };
  };

  return {
    grid,
    live,
    queries,
    status,
    attachStreams(source) {
      extraStreams.add(source);
      return () => void extraStreams.delete(source);
    },
    attachCollector(source) {
      collector = source;
      return () => {
        if (collector === source) collector = null;
      };
    },
    component: {
      name: 'market',
      start() {
        running = true;
        // The Overview follows this; ages and freshness change even when no tick arrives.
        statusTimer = setInterval(() => deps.bus.emit('market.status', status()), deps.statusIntervalMs ?? 2_000);
        statusTimer.unref();
      },
      stop() {
        running = false;
        if (statusTimer) clearInterval(statusTimer);
        live.close();
      },
      status() {
        const n = live.snapshot().rows.length;
        return {
          name: 'market',
          state: running ? 'running' : 'idle',
          detail: `${n} coins live`,
          text: { key: 'market.live', params: { n } },
        };
      },
    },
  };
}

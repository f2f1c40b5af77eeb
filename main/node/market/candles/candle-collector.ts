/**
 * Candles in every timeframe besides the 30-minute grid feed (which collector/collector.ts keeps):
 * OKX business `candleX` channels for the enabled bars × coins over a pool of connections
 * (candle-sockets.ts), forming candles kept live in memory, closed ones stored as KL001…KLD01, a
 * status per timeframe, REST when a timeframe's feed is down or silent, and a repair of every
 * timeframe from REST after an outage, a reconnect, a time jump, and once a minute as a sweep.
 */
import type { LookupFunction } from 'node:net';
import { CANDLE_BARS, type Candle, type CandleBar } from '../../../../preload/contract/coin.js';
import { coinOfInstId, instIdOf } from '../../../../preload/contract/coins.js';
import type { InitialWindows } from '../../../../preload/contract/data-settings.js';
import type { StreamStatus } from '../../../../preload/contract/market.js';
import type { Component } from '../../component.js';
import type { Logger } from '../../log/logger.js';
import { OKX_BARS, type OkxRestClient, type OkxWsPush, type WsUrlSource } from '../../okx/index.js';
import type { CandleInput } from '../../okx/candle-pages.js';
import type { Store } from '../../store/store.js';
import { backoffDelay, type BackoffPolicy } from '../../timing/backoff.js';
import { OneAtATime } from '../../timing/one-at-a-time.js';
import { StreamTracker } from '../collector/stream-tracker.js';
import type { GridWriter } from '../grid-writer.js';
import { lastClosedBar, repairCandles } from './candle-repair.js';
import { CandleSockets } from './candle-sockets.js';
import type { CandleEvents } from './candle-events.js';
import type { LiveCandles } from './live-candles.js';

const DAY = 86_400_000;
const REPAIR_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 120_000 };
/** collector_state key: the initial windows (settings.initialWindows) ran once, on the first start. */
export const INITIAL_WINDOWS_KEY = 'candles:initial_windows_done';

/** The bars this part collects: the grid collector already runs 30m. */
export const extraBars = (enabled: readonly CandleBar[]): CandleBar[] => CANDLE_BARS.filter((b) => b !== '30m' && enabled.includes(b));

export interface CandleCollectorOptions {
  store: Store;
  grid: GridWriter;
  rest: OkxRestClient;
  /** 'market.candle' to the UIs: only watched keys, coalesced (candle-events.ts). */
  events: CandleEvents;
  live: LiveCandles;
  wsUrl: WsUrlSource;
  lookup?: LookupFunction;
  coins: () => readonly string[];
  /** Enabled timeframes (settings.streams.candles). */
  bars: () => readonly CandleBar[];
  initialWindows: () => InitialWindows;
  log: Logger;
  now?: () => number;
  /** A timeframe without a push this long is served from REST. Default 6 s (a push comes every second). */
  silenceMs?: number;
  /** Args per business connection. Default 100. */
  perConnection?: number;
  /** Time between sweeps that catch a missed confirm. Default 60 s. */
  sweepMs?: number;
}

export class CandleCollector implements Component {
  readonly name = 'candles';
  private readonly sockets: CandleSockets;
  private readonly trackers = new Map<CandleBar, StreamTracker>();
  private readonly lastPushWall = new Map<CandleBar, number>();
  private readonly pendingWrites: CandleInput[] = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private bars: CandleBar[] = [];
  private lastSweep = 0;
  private lastTickWall = 0;
  private readonly restBoundary = new Map<CandleBar, number>();
  /** One repair at a time; a request during a run schedules one more after it. */
  private readonly repairs = new OneAtATime<string>(
    (reason) => this.repairOnce(reason),
    () => this.running,
  );
  private repairRetryAt: number | null = null;
  private repairFailures = 0;

  constructor(private readonly o: CandleCollectorOptions) {
    this.now = o.now ?? Date.now;
    this.sockets = new CandleSockets({
      url: o.wsUrl,
      lookup: o.lookup,
      perConnection: o.perConnection,
      onPush: (p) => this.onPush(p),
      onMalformed: (reason) => this.onMalformed(reason),
      onServerError: (code, msg) => o.log.warn(`candle socket error ${code}: ${msg}`),
      onReopen: () => this.requestRepair('candle socket reconnected'),
    });
  }

  start(): void {
    this.running = true;
    this.resubscribe();
    this.sockets.start();
    this.lastTickWall = this.now();
    this.lastSweep = this.now();
    this.timer = setInterval(() => this.tick(), 1_000);
    this.o.log.info(
      `candles ${this.bars.join(' ')} for ${this.o.coins().length} coins on ${this.sockets.connections} business connection(s)`,
    );
    this.requestRepair('start');
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await this.sockets.stop();
    this.o.events.stop();
    this.flush();
    await this.repairs.settle(500);
  }

  status() {
    const modes = this.bars.map((b) => `${b} ${this.tracker(b).mode}`).join(', ');
    const ws = this.bars.filter((b) => this.tracker(b).mode === 'ws').length;
    return {
      name: this.name,
      state: this.running ? ('running' as const) : ('idle' as const),
      detail: modes || 'no timeframe enabled',
      text: this.bars.length ? { key: 'candles.modes', params: { ws, total: this.bars.length } } : { key: 'candles.none' },
    };
  }

  /** One status per collected timeframe, for market.status. */
  streams(): StreamStatus[] {
    const now = this.now();
    return this.bars.map((b) => this.tracker(b).status(now));
  }

  /** Coins or enabled timeframes changed in settings. */
  refresh(reason: string): void {
    if (!this.running) return;
    this.resubscribe();
    this.requestRepair(reason);
  }

  reconnect(reason: string): void {
    this.sockets.reconnect(reason);
    this.requestRepair(reason);
  }

  /** A candle from any source that should reach the UI and the live cache (the grid collector's 30m pushes too). */
  observe(coin: string, bar: CandleBar, c: Candle): void {
    this.o.live.set(coin, bar, c);
    this.o.events.publish(coin, bar, c);
  }

  private tracker(bar: CandleBar): StreamTracker {
    let t = this.trackers.get(bar);
    if (!t) this.trackers.set(bar, (t = new StreamTracker(`candles:${bar}`)));
    return t;
  }

  private resubscribe(): void {
    this.bars = extraBars(this.o.bars());
    const coins = this.o.coins();
    this.sockets.set(this.bars.flatMap((bar) => coins.map((c) => ({ channel: `candle${bar}`, instId: instIdOf(c) }))));
  }

  private onPush(p: OkxWsPush): void {
    if (p.kind !== 'candle') return;
    const bar = this.bars.find((b) => b === p.bar);
    const coin = coinOfInstId(p.arg.instId);
    if (!bar || !coin) return;
    this.tracker(bar).message(this.now(), 'ws');
    this.lastPushWall.set(bar, Date.now());
    for (const r of p.candles) {
      const candle: Candle = { ts: r.ts, o: r.open, h: r.high, l: r.low, c: r.close, vol: r.vol, confirm: r.confirm === 1 };
      // Closed bars are stored (gathered for a second: one transaction for every coin and timeframe).
      if (candle.confirm) this.pendingWrites.push({ coin, bar, ...r, confirm: true });
      this.observe(coin, bar, candle);
    }
  }

  private onMalformed(reason: string): void {
    // The push's channel is unknown once it failed to parse: count it on every timeframe's feed.
    for (const b of this.bars) this.tracker(b).error(`malformed payload skipped: ${reason}`, 'malformed');
    this.o.log.warn(`candles: malformed payload skipped (${reason})`);
  }

  private flush(): void {
    if (this.pendingWrites.length === 0) return;
    const batch = this.pendingWrites.splice(0);
    const r = this.o.grid.writeCandles(batch);
    if (r.rejected.length) this.o.log.warn(`candles: ${r.rejected.length} rejected (${r.rejected[0]!.reason})`);
  }

  private tick(): void {
    const now = this.now();
    this.flush();
    if (now - this.lastTickWall > 31_000) this.reconnect('time jump');
    this.lastTickWall = now;
    const wall = Date.now();
    const silence = this.o.silenceMs ?? 6_000;
    const anyOpen = this.sockets.health().some((h) => h.connected);
    for (const bar of this.bars) {
      const t = this.tracker(bar);
      const last = this.lastPushWall.get(bar);
      const fresh = anyOpen && last !== undefined && wall - last < silence;
      const next = fresh ? 'ws' : t.lastError === null || t.counters.restCalls > 0 ? 'rest' : 'down';
      if (next !== t.mode) {
        this.o.log.info(`candles ${bar}: ${t.mode} -> ${next}`);
        if (next === 'ws') this.requestRepair(`candles ${bar} back on WebSocket`);
        t.mode = next;
      }
      // Off the socket, each closed bar comes from REST a few seconds after it closes.
      if (t.mode !== 'ws') {
        const closed = lastClosedBar(bar, now);
        if ((this.restBoundary.get(bar) ?? 0) < closed) {
          this.restBoundary.set(bar, closed);
          this.requestRepair(`candles ${bar} via REST`);
        }
      }
    }
    if (now - this.lastSweep >= (this.o.sweepMs ?? 60_000)) {
      this.lastSweep = now;
      this.requestRepair('sweep');
    }
    if (this.repairRetryAt !== null && now >= this.repairRetryAt) {
      this.repairRetryAt = null;
      this.requestRepair('retry after a failed repair');
    }
  }

  private requestRepair(reason: string): void {
    this.repairs.request(reason);
  }

  private async repairOnce(reason: string): Promise<void> {
    this.flush();
    const first = this.o.store.db.prepare('SELECT 1 FROM collector_state WHERE key = ?').get(INITIAL_WINDOWS_KEY) === undefined;
    const windows = this.o.initialWindows() as Partial<Record<CandleBar, number>>;
    const r = await repairCandles({
      store: this.o.store,
      rest: this.o.rest,
      grid: this.o.grid,
      coins: this.o.coins(),
      bars: this.bars,
      now: this.now(),
      // The first start fetches each timeframe's initial window (seed 001); later starts only what they missed.
      lookbackMs: (bar) => Math.max(OKX_BARS[bar].ms, first ? (windows[bar] ?? 1) * DAY : DAY),
    });
    for (const [bar, n] of Object.entries(r.requestsByBar)) this.tracker(bar as CandleBar).counters.restCalls += n;
    if (r.written || r.failures.length)
      this.o.log.info(
        `candle repair (${reason}): ${r.written} candles in ${r.requests} requests${r.failures.length ? `, ${r.failures.length} failed (${r.failures[0]!.error}); retrying later` : ''}`,
      );
    if (r.failures.length) {
      for (const f of r.failures.slice(0, 7)) this.tracker(f.bar).error(`repair: ${f.error}`);
      this.repairFailures += 1;
      this.repairRetryAt = this.now() + backoffDelay(this.repairFailures, REPAIR_BACKOFF);
    } else {
      this.repairFailures = 0;
      for (const bar of this.bars) this.tracker(bar).lastError = null;
      if (first) {
        this.o.store.db
          .prepare('INSERT OR IGNORE INTO collector_state (key, value, updated_at) VALUES (?, ?, ?)')
          .run(INITIAL_WINDOWS_KEY, JSON.stringify(windows), this.now());
      }
    }
  }
}

import type { LookupFunction } from 'node:net';
import type { CollectorReport } from '../../../../preload/contract/market.js';
import { instIdOf } from '../../../../preload/contract/coins.js';
import type { Component } from '../../component.js';
import type { Logger } from '../../log/logger.js';
import { OkxError, OkxWsClient, type OkxRestClient, type OkxWsPush, type WsUrlSource } from '../../okx/index.js';
import type { Store } from '../../store/store.js';
import { gridFloor } from '../grid-time.js';
import type { MarketService } from '../market-service.js';
import { coinOfInstId } from '../../../../preload/contract/coins.js';
import { refreshCoinCatalog } from '../../store/coin-catalog.js';
import { repairGaps } from './gap-repair.js';
import { StreamTracker } from './stream-tracker.js';
import { backoffDelay, type BackoffPolicy } from '../../timing/backoff.js';
import { OneAtATime } from '../../timing/one-at-a-time.js';

/** A grid repair that failed (exchange down or rate-limiting) is retried after 5 s, doubling up to 2 min. */
const REPAIR_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 120_000 };

export interface CollectorOptions {
  store: Store;
  market: MarketService;
  rest: OkxRestClient;
  /** The public and business sockets' URLs, or host pools that fail over between the exchange's hosts. */
  ws: { public: WsUrlSource; business: WsUrlSource };
  /** Resolves the exchange's hosts for both sockets (net/resolver.ts). */
  lookup?: LookupFunction;
  coins: () => readonly string[];
  log: Logger;
  now?: () => number;
  /** A stream with no push for this long is treated as down and REST takes over. Default 6 s. */
  silenceMs?: number;
  /** REST ticker poll period while in fallback. Default 2 s. */
  pollMs?: number;
  /** Exchange vs local clock difference that raises a warning. Default 2 s. */
  skewWarnMs?: number;
  /** A wall-clock jump beyond the timer's own period (sleep, clock change) triggers a repair. Default 30 s. */
  timeJumpMs?: number;
  /** Every 30m candle push (forming or closed), for the live candle cache and 'market.candle' (market/candles/). */
  onCandle?: (
    coin: string,
    c: { ts: number; open: number; high: number; low: number; close: number; vol: number; confirm: number },
  ) => void;
  /** More streams to report in market.status (the other candle timeframes). */
  extraStreams?: () => CollectorReport['streams'];
}

/**
 * The live collector: WebSocket first — `tickers` for live prices, `candle30m` for grid
 * points — with REST as the fallback when a socket is down or silent, and a gap repair from REST
 * candles after every outage, time jump or grid boundary passed without the socket.
 */
export class Collector implements Component {
  readonly name = 'collector';
  private readonly tickers = new StreamTracker('tickers');
  private readonly candles = new StreamTracker('candles');
  private readonly wsPublic: OkxWsClient;
  private readonly wsBusiness: OkxWsClient;
  private readonly now: () => number;
  private state: CollectorReport['state'] = 'not_started';
  private detail: string | null = null;
  private clock: CollectorReport['clock'] = { skewMs: null, checkedAt: null, warning: false };
  private timer: NodeJS.Timeout | undefined;
  private lastTickWall = 0;
  private lastPoll = 0;
  private lastRepairedGrid = 0;
  /** Repairs run one at a time; a request during a run schedules one more run after it. */
  private readonly repairs = new OneAtATime<string>(
    (reason) => this.repairOnce(reason),
    () => this.state === 'running',
  );
  /** After a failed repair: when to try again, and how long the next wait will be. */
  private repairRetryAt: number | null = null;
  /** Failed repairs in a row: the next one waits `backoffDelay(repairFailures, REPAIR_BACKOFF)`. */
  private repairFailures = 0;
  private readonly writtenGrid = new Map<string, number>();
  private detach: (() => void) | undefined;
  private subscribed = new Set<string>();

  constructor(private readonly o: CollectorOptions) {
    this.now = o.now ?? Date.now;
    this.wsPublic = new OkxWsClient({
      url: o.ws.public,
      lookup: o.lookup,
      onPush: (p) => this.onPush(p),
      onMalformed: (reason) => this.onMalformed(this.tickers, reason),
      onServerError: (e) => this.o.log.warn(`public socket error ${e.code}: ${e.msg}`),
      onStateChange: (s, d) => this.onSocketState(this.tickers, s, d),
    });
    this.wsBusiness = new OkxWsClient({
      url: o.ws.business,
      lookup: o.lookup,
      onPush: (p) => this.onPush(p),
      onMalformed: (reason) => this.onMalformed(this.candles, reason),
      onServerError: (e) => this.o.log.warn(`business socket error ${e.code}: ${e.msg}`),
      onStateChange: (s, d) => this.onSocketState(this.candles, s, d),
    });
  }

  async start(): Promise<void> {
    this.state = 'starting';
    this.detach = this.o.market.attachCollector({ report: () => this.report() });
    const coins = this.o.coins();
    this.subscribed = new Set(coins);
    this.wsPublic.subscribe(coins.map((c) => ({ channel: 'tickers', instId: instIdOf(c) })));
    this.wsBusiness.subscribe(coins.map((c) => ({ channel: 'candle30m', instId: instIdOf(c) })));
    this.wsPublic.start();
    this.wsBusiness.start();
    this.lastTickWall = this.now();
    this.timer = setInterval(() => this.tick(), 1_000);
    this.state = 'running';
    this.o.log.info(`collecting ${coins.length} coins: WebSocket first, REST fallback after ${this.silenceMs / 1000} s of silence`);
    // Neither is awaited by start(): a slow or absent exchange must not delay the node.
    void this.checkClock();
    void this.refreshCatalog();
    this.requestRepair('start');
  }

  async stop(): Promise<void> {
    this.state = 'stopping';
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.wsPublic.stop(), this.wsBusiness.stop()]);
    // A repair waiting on a slow exchange is abandoned (the node closes the REST client next);
    // whatever it already wrote is committed, and the watermark makes the next start redo the rest.
    await this.repairs.settle(500);
    this.detach?.();
    this.state = 'stopped';
  }

  status() {
    return {
      name: this.name,
      state: this.state === 'running' ? ('running' as const) : this.state === 'error' ? ('error' as const) : ('idle' as const),
      detail: `tickers ${this.tickers.mode}, candles ${this.candles.mode}`,
      text: { key: 'collector.modes', params: { tickers: this.tickers.mode, candles: this.candles.mode } },
    };
  }

  report(): CollectorReport {
    const now = this.now();
    return {
      state: this.state,
      detail: this.detail,
      streams: [this.tickers.status(now), this.candles.status(now), ...(this.o.extraStreams?.() ?? [])],
      clock: { ...this.clock },
    };
  }

  /** Drop both sockets and connect again (the exchange hosts changed). */
  reconnect(reason: string): void {
    this.o.log.info(`reconnecting: ${reason}`);
    this.wsPublic.reconnect(reason, true);
    this.wsBusiness.reconnect(reason, true);
    this.requestRepair(reason);
  }

  /** Re-subscribe after the coin list changed in settings. */
  setCoins(coins: readonly string[]): void {
    const gone = [...this.subscribed].filter((c) => !coins.includes(c));
    const added = coins.filter((c) => !this.subscribed.has(c));
    for (const [ws, channel] of [
      [this.wsPublic, 'tickers'],
      [this.wsBusiness, 'candle30m'],
    ] as const) {
      if (gone.length) ws.unsubscribe(gone.map((c) => ({ channel, instId: instIdOf(c) })));
      if (added.length) ws.subscribe(added.map((c) => ({ channel, instId: instIdOf(c) })));
    }
    this.subscribed = new Set(coins);
    if (added.length) this.requestRepair('coins added');
  }

  private get silenceMs(): number {
    return this.o.silenceMs ?? 6_000;
  }

  private onPush(p: OkxWsPush): void {
    const at = this.now();
    if (p.kind === 'tickers') {
      this.tickers.message(at, 'ws');
      this.applyTickers(p.tickers, 'ws');
    } else if (p.kind === 'candle' && p.bar === '30m') {
      this.candles.message(at, 'ws');
      const coin = coinOfInstId(p.arg.instId);
      if (!coin) return;
      for (const c of p.candles) this.onCandle(coin, c);
    }
  }

  private onCandle(
    coin: string,
    c: {
      ts: number;
      open: number;
      high: number;
      low: number;
      close: number;
      vol: number;
      volCcy: number;
      volCcyQuote: number;
      confirm: number;
    },
  ): void {
    this.o.onCandle?.(coin, c);
    const candle = { coin, bar: '30m', ...c, confirm: c.confirm === 1 };
    // The open of a forming bar is already final: write the grid point once when the bar starts,
    // and the candle itself when it closes (not on every push, which would churn seqs).
    if (c.confirm === 1) this.o.market.grid.writeCandles([candle], { gridSource: 'ws' });
    else if (this.writtenGrid.get(coin) !== c.ts) {
      this.o.market.grid.writeGridPrices([{ coin, ts: c.ts, price: c.open, source: 'ws' }]);
    }
    this.writtenGrid.set(coin, c.ts);
  }

  private applyTickers(
    list: readonly { instId: string; last: number; ts: number; sodUtc8?: number | null }[],
    source: 'ws' | 'rest',
  ): void {
    const wanted = new Set(this.o.coins());
    const ticks = list.flatMap((t) => {
      const coin = coinOfInstId(t.instId);
      return coin && wanted.has(coin) ? [{ coin, price: t.last, ts: t.ts, source, sodUtc8: t.sodUtc8 ?? null }] : [];
    });
    if (ticks.length) this.o.market.live.applyTicks(ticks);
  }

  private onMalformed(stream: StreamTracker, reason: string): void {
    stream.error(`malformed payload skipped: ${reason}`, 'malformed');
    this.o.log.warn(`${stream.name}: malformed payload skipped (${reason})`);
  }

  private onSocketState(stream: StreamTracker, state: string, detail: string): void {
    if (state === 'connecting' && stream.counters.wsMessages > 0) stream.counters.reconnects += 1;
    if (state === 'waiting') this.o.log.info(`${stream.name} socket: ${detail}`);
  }

  /** Once a second: decide each stream's mode, poll REST while needed, watch for time jumps. */
  private tick(): void {
    const now = this.now();
    if (now - this.lastTickWall > 1_000 + (this.o.timeJumpMs ?? 30_000)) {
      this.o.log.warn(
        `the clock jumped ${Math.round((now - this.lastTickWall) / 1000)} s (sleep or clock change): reconnecting and repairing the grid`,
      );
      this.wsPublic.reconnect('time jump', true);
      this.wsBusiness.reconnect('time jump', true);
      this.requestRepair('time jump');
    }
    this.lastTickWall = now;
    if (this.clock.checkedAt !== null && now - this.clock.checkedAt > 600_000) void this.checkClock();
    for (const [stream, ws] of [
      [this.tickers, this.wsPublic],
      [this.candles, this.wsBusiness],
    ] as const) {
      const s = ws.status();
      // The socket's ages are on the real clock, which may differ from the node's (simulated) one.
      const fresh = s.connected && s.lastPushAgeMs !== null && s.lastPushAgeMs < this.silenceMs;
      const next = fresh
        ? 'ws'
        : stream.mode === 'ws' || stream.mode === 'down'
          ? this.restHealthy(stream)
            ? 'rest'
            : 'down'
          : stream.mode;
      if (next !== stream.mode) {
        this.o.log.info(`${stream.name}: ${stream.mode} -> ${next}${fresh ? '' : ` (socket ${s.connected ? 'silent' : 'down'})`}`);
        if (next === 'ws' && stream.mode !== 'ws') this.requestRepair(`${stream.name} back on WebSocket`);
        stream.mode = next;
      }
    }
    if (this.tickers.mode !== 'ws' && now - this.lastPoll >= (this.o.pollMs ?? 2_000)) {
      this.lastPoll = now;
      void this.pollTickers();
    }
    if (this.repairRetryAt !== null && now >= this.repairRetryAt) {
      this.repairRetryAt = null;
      this.requestRepair('retry after a failed repair');
    }
    // Without the candle socket, each new grid point comes from REST a few seconds after it starts.
    const point = gridFloor(now);
    if (this.candles.mode !== 'ws' && point > this.lastRepairedGrid && now - point > 3_000) {
      this.lastRepairedGrid = point;
      this.requestRepair('grid point via REST');
    }
  }

  private restHealthy(stream: StreamTracker): boolean {
    return stream.lastError === null || stream.counters.restCalls > 0;
  }

  private async pollTickers(): Promise<void> {
    try {
      const list = await this.o.rest.tickers('SWAP');
      this.tickers.message(this.now(), 'rest');
      this.tickers.lastError = null;
      if (this.tickers.mode === 'down') this.tickers.mode = 'rest';
      this.applyTickers(list, 'rest');
    } catch (e) {
      const kind = e instanceof OkxError ? e.kind : 'network';
      this.tickers.error(`REST tickers: ${(e as Error).message}`, kind);
      if (kind !== 'rate_limited') this.tickers.mode = 'down';
    }
  }

  private requestRepair(reason: string): void {
    this.repairs.request(reason);
  }

  private async repairOnce(reason: string): Promise<void> {
    const r = await repairGaps({
      store: this.o.store,
      rest: this.o.rest,
      grid: this.o.market.grid,
      coins: this.o.coins(),
      now: this.now(),
    });
    this.candles.counters.restCalls += r.requests;
    if (r.pointsWritten || r.failures.length) {
      this.o.log.info(
        `grid repair (${reason}): ${r.pointsWritten} points written for ${r.coins} coins in ${r.requests} requests${r.failures.length ? `, ${r.failures.length} coins failed (${r.failures[0]!.error}); retrying later` : ''}`,
      );
    }
    if (r.failures.length) {
      this.candles.error(`repair: ${r.failures[0]!.error}`);
      // Try again with backoff rather than hammering a failing or rate-limiting exchange.
      this.repairFailures += 1;
      this.repairRetryAt = this.now() + backoffDelay(this.repairFailures, REPAIR_BACKOFF);
    } else {
      this.repairFailures = 0;
    }
  }

  private async checkClock(): Promise<void> {
    try {
      const before = this.now();
      const exchange = await this.o.rest.time();
      const after = this.now();
      const skew = exchange - (before + after) / 2;
      const warning = Math.abs(skew) > (this.o.skewWarnMs ?? 2_000);
      this.clock = { skewMs: Math.round(skew), checkedAt: after, warning };
      if (warning)
        this.o.log.warn(
          `this machine's clock is ${Math.round(skew / 1000)} s off the exchange's; grid times come from the exchange, but check the system clock`,
        );
    } catch (e) {
      this.clock = { ...this.clock, checkedAt: this.now() };
      this.o.log.warn(`could not read the exchange clock: ${(e as Error).message}`);
    }
  }

  private async refreshCatalog(): Promise<void> {
    try {
      const n = refreshCoinCatalog(this.o.store, await this.o.rest.instruments('SWAP'), this.now());
      this.o.log.info(`instrument list refreshed: ${n} USDT perpetual swaps`);
    } catch (e) {
      this.o.log.warn(`could not refresh the instrument list: ${(e as Error).message}`);
    }
  }
}

/**
 * The derivatives collector (issue 14): mark price, funding, open interest, books5, liquidations
 * and the tickers of every USDT swap, WebSocket first on /ws/v5/public. Subscriptions are split
 * over as many connections as `maxArgsPerConnection` needs, connections open at most 3 per second
 * and subscribe requests are paced (okx-v5.md §4.4). Each stream has its own status and, when
 * its pushes stop (socket down or silent), its own REST poll; a 429/50011 backs off that stream
 * only. Funding history is fetched over REST every hour.
 */
import type { LookupFunction } from 'node:net';
import type { DerivStreamName, StreamStatus } from '../../../../preload/contract/market.js';
import type { Streams } from '../../../../preload/contract/data-settings.js';
import { coinOfInstId, instIdOf } from '../../../../preload/contract/coins.js';
import type { Component } from '../../component.js';
import type { Logger } from '../../log/logger.js';
import type { OkxRestClient, OkxWsPush, WsUrlSource } from '../../okx/index.js';
import { OkxDerivRest } from '../../okx/deriv-rest.js';
import type { Store } from '../../store/store.js';
import { DerivsSink } from './derivs-sink.js';
import { STREAM_SPECS, type StreamContext, type StreamSpec } from './streams.js';
import { planConnections, type Pool } from './conn-plan.js';
import { DerivsSockets } from './derivs-sockets.js';
import { fetchFundingHistory } from './funding-history.js';
import { nextMode } from './stream-mode.js';
import { newRun, pollStream, type RunState } from './stream-poll.js';

const HOUR = 3_600_000;

export interface DerivsCollectorOptions {
  store: Store;
  rest: OkxRestClient;
  wsPublic: WsUrlSource;
  lookup?: LookupFunction;
  coins: () => readonly string[];
  streams: () => Streams;
  log: Logger;
  now?: () => number;
  /** Args one connection carries (OKX publishes no cap for public channels; 4009 if exceeded). Default 150. */
  maxArgsPerConnection?: number;
  /** Gap between subscribe requests on one connection, ms. Default 100. */
  subscribePaceMs?: number;
  /** Gap between opening connections, ms (OKX: 3 new connections per second per IP). Default 400. */
  connectGapMs?: number;
  /** Multiplies every stream's silence threshold (tests use small ones). Default 1. */
  silenceScale?: number;
  /** Funding history refresh period. Default 1 h. */
  fundingHistoryMs?: number;
  /** After a settlement passes, fetch its realised rate this much later. Default 60 s. */
  settleDelayMs?: number;
}

export class DerivsCollector implements Component {
  readonly name = 'derivs';
  readonly sink: DerivsSink;
  private readonly now: () => number;
  private readonly deriv: OkxDerivRest;
  private readonly ctx: StreamContext;
  private readonly runs = new Map<DerivStreamName, RunState>();
  private readonly sockets: DerivsSockets;
  private swapIds: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastFundingHistory = 0;
  private lastSwapList = 0;
  private swapsPlanned = false;
  private seenFunding = 0;

  constructor(private readonly o: DerivsCollectorOptions) {
    this.now = o.now ?? Date.now;
    this.sink = new DerivsSink(o.store, this.now);
    this.deriv = new OkxDerivRest(o.rest);
    this.ctx = {
      sink: this.sink,
      rest: o.rest,
      deriv: this.deriv,
      coins: o.coins,
      swaps: () => (this.swapIds.length ? this.swapIds : o.coins().map(instIdOf)),
    };
    this.sockets = new DerivsSockets({
      url: o.wsPublic,
      lookup: o.lookup,
      subscribePaceMs: o.subscribePaceMs ?? 100,
      connectGapMs: o.connectGapMs ?? 400,
      running: () => this.running,
      onPush: (p) => this.onPush(p),
      onMalformed: (reason, raw, streams) => this.onMalformed(reason, raw, streams),
      onServerError: (e) => o.log.warn(`derivatives socket error ${e.code}: ${e.msg}`),
      onReconnect: (streams) => {
        for (const n of streams) this.run(n).tracker.counters.reconnects++;
      },
    });
  }

  private enabled(): StreamSpec[] {
    const on = this.o.streams();
    return STREAM_SPECS.filter((s) => on[s.name]);
  }

  async start(): Promise<void> {
    this.running = true;
    // The per-coin pool now; the swaps pool once the instrument list is known (or failed to come).
    this.plan('coins');
    this.timer = setInterval(() => this.tick(), 1_000);
    void this.refreshSwaps();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.sockets.close();
    try {
      this.sink.flush(true);
    } catch (e) {
      this.o.log.warn(`derivatives: last write failed: ${(e as Error).message}`);
    }
  }

  /** Settings changed (coins, streams, hosts): subscribe afresh (only `pool`'s connections when given). */
  replan(reason: string, pool?: Pool): void {
    if (!this.running) return;
    this.o.log.info(`derivatives: resubscribing (${reason})`);
    void this.sockets.close(pool).then(() => this.running && this.plan(pool));
  }

  status() {
    const list = this.streams();
    const by = (m: string) => list.filter((s) => s.mode === m).length;
    return {
      name: this.name,
      state: this.running ? ('running' as const) : ('idle' as const),
      detail: list.map((s) => `${s.name} ${s.mode}`).join(', ') || 'no derivatives stream is on',
      text: { key: 'derivs.modes', params: { ws: by('ws'), rest: by('rest'), down: by('down') } },
    };
  }

  /** One StreamStatus per enabled stream, for market.status. */
  streams(): StreamStatus[] {
    const now = this.now();
    return this.enabled().map((s) => this.run(s.name).tracker.status(now));
  }

  private run(name: DerivStreamName): RunState {
    let r = this.runs.get(name);
    if (!r) this.runs.set(name, (r = newRun(name)));
    return r;
  }

  /** Packs every enabled stream's args into connections and opens them, staggered (3 per second at most). */
  private plan(only?: Pool): void {
    const groups = planConnections(this.enabled(), this.ctx, this.o.maxArgsPerConnection ?? 150, only);
    this.sockets.open(groups);
    if (groups.length > 0)
      this.o.log.info(`derivatives: ${groups.reduce((n, g) => n + g.args.length, 0)} subscriptions on ${groups.length} connections`);
  }

  private specOf(channel: string): StreamSpec | undefined {
    return this.enabled().find((s) => s.channel === channel);
  }

  private onPush(p: OkxWsPush): void {
    const spec = this.specOf(p.arg.channel);
    if (!spec) return;
    const r = this.run(spec.name);
    r.lastPushWall = Date.now();
    r.tracker.message(this.now(), 'ws');
    let bad = 0;
    if (p.kind === 'tickers') {
      for (const t of p.tickers) if (t.instId.endsWith('-USDT-SWAP')) this.sink.swapTicker(t);
    } else if (p.kind === 'other') {
      try {
        bad = spec.onPush(this.ctx, p.arg, p.data);
      } catch (e) {
        bad = 1;
        this.o.log.warn(`${spec.name}: push not applied (${(e as Error).message})`);
      }
    }
    if (bad > 0) this.malformed(spec.name, `${bad} ${p.arg.channel} row(s) did not match`);
  }

  private onMalformed(reason: string, raw: string, streams: Set<DerivStreamName>): void {
    // The channel, when the frame names one, says whose it was; else the connection's first stream.
    const channel = /"channel"\s*:\s*"([^"]+)"/.exec(raw)?.[1];
    const name = (channel && this.specOf(channel)?.name) || [...streams][0];
    if (name) this.malformed(name, reason);
  }

  private malformed(name: DerivStreamName, reason: string): void {
    this.run(name).tracker.error(`malformed payload skipped: ${reason}`, 'malformed');
    this.o.log.warn(`${name}: malformed payload skipped (${reason})`);
  }

  /** Once a second: each stream's mode, REST polls where needed, writes due, hourly funding history.
   *  Scheduling is on the wall clock (the node's clock may be simulated and even stand still). */
  private tick(): void {
    const wall = Date.now();
    for (const spec of this.enabled()) {
      const r = this.run(spec.name);
      const {
        mode: next,
        up,
        fresh,
      } = nextMode({
        current: r.tracker.mode,
        hasRest: spec.poll !== undefined,
        openedWalls: this.sockets.openedWalls(spec.name),
        lastPushWall: r.lastPushWall,
        silenceMs: spec.silenceMs === null ? null : spec.silenceMs * (this.o.silenceScale ?? 1),
        wall,
      });
      if (next !== r.tracker.mode) {
        this.o.log.info(`${spec.name}: ${r.tracker.mode} -> ${next}${fresh ? '' : ` (socket ${up ? 'silent' : 'down'})`}`);
        r.tracker.mode = next;
      }
      if (r.tracker.mode !== 'ws' && spec.poll && !r.polling && wall >= r.nextPollAt) void pollStream(spec, r, this.ctx, this.now);
    }
    // A settlement just passed (the forecasts name the next one): fetch its realised rate a minute
    // later instead of up to an hour later.
    if (this.sink.upcomingFunding > this.seenFunding) {
      if (this.seenFunding > 0)
        this.lastFundingHistory = Math.min(
          this.lastFundingHistory,
          wall - (this.o.fundingHistoryMs ?? HOUR) + (this.o.settleDelayMs ?? 60_000),
        );
      this.seenFunding = this.sink.upcomingFunding;
    }
    if (wall - this.lastFundingHistory >= (this.o.fundingHistoryMs ?? HOUR) && this.o.streams().fundingRate) {
      this.lastFundingHistory = wall;
      void this.fundingHistory();
    }
    if (wall - this.lastSwapList >= HOUR) void this.refreshSwaps();
    try {
      this.sink.flush();
    } catch (e) {
      this.o.log.warn(`derivatives: write failed: ${(e as Error).message}`);
    }
  }

  private async fundingHistory(): Promise<void> {
    const ok = await fetchFundingHistory({
      deriv: this.deriv,
      sink: this.sink,
      coins: this.o.coins(),
      tracker: this.run('fundingRate').tracker,
      running: () => this.running,
    });
    // After a failure, the rest within a minute rather than at the next hour.
    if (!ok) this.lastFundingHistory = Date.now() - (this.o.fundingHistoryMs ?? HOUR) + 60_000;
  }

  /** The USDT swaps OKX lists, for OKX001; resubscribes when the list changed. */
  private async refreshSwaps(): Promise<void> {
    this.lastSwapList = Date.now();
    if (!this.o.streams().swapTickers) return;
    const first = !this.swapsPlanned;
    this.swapsPlanned = true;
    try {
      const list = (await this.o.rest.instruments('SWAP'))
        .filter((i) => i.state === 'live' && i.instId.endsWith('-USDT-SWAP') && coinOfInstId(i.instId))
        .map((i) => i.instId)
        .sort();
      const changed = list.join() !== this.swapIds.join();
      this.swapIds = list;
      if (first) {
        if (this.running) this.plan('swaps');
      } else if (changed) this.replan(`${list.length} USDT swaps listed`, 'swaps');
    } catch (e) {
      if (first && this.running) this.plan('swaps'); // the coins' own tickers until the list comes
      this.lastSwapList = Date.now() - HOUR + 600_000; // again in 10 minutes
      this.o.log.warn(`derivatives: could not list the swaps: ${(e as Error).message}`);
    }
  }
}

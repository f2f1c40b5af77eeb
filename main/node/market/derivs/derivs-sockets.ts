/**
 * The derivatives collector's WebSocket connections: one OKX client per planned group of args
 * (conn-plan.ts), opened staggered (OKX: 3 new connections per second per IP), each remembering
 * when it opened, so the collector can tell per stream whether a socket carries it now.
 */
import type { LookupFunction } from 'node:net';
import type { DerivStreamName } from '../../../../preload/contract/market.js';
import { OkxWsClient, type OkxWsPush, type WsUrlSource } from '../../okx/index.js';
import type { ConnPlan, Pool } from './conn-plan.js';

export interface DerivsSocketOptions {
  url: WsUrlSource;
  lookup?: LookupFunction;
  /** Gap between subscribe requests on one connection, ms. */
  subscribePaceMs: number;
  /** Gap between opening connections, ms. */
  connectGapMs: number;
  /** A connection whose turn to open comes after the collector stopped stays closed. */
  running: () => boolean;
  onPush: (p: OkxWsPush) => void;
  /** A frame that did not parse, with the streams its connection carries. */
  onMalformed: (reason: string, raw: string, streams: Set<DerivStreamName>) => void;
  onServerError: (e: { code: string; msg: string }) => void;
  /** A connection connects again after having been open: each of its streams counts a reconnect. */
  onReconnect: (streams: Set<DerivStreamName>) => void;
}

interface Conn {
  ws: OkxWsClient;
  streams: Set<DerivStreamName>;
  pool: Pool;
  track: { openedWall: number | null; everOpen: boolean };
}

export class DerivsSockets {
  private conns: Conn[] = [];
  private startTimers: NodeJS.Timeout[] = [];

  constructor(private readonly o: DerivsSocketOptions) {}

  /** Opens a connection per group, staggered by `connectGapMs`. */
  open(groups: readonly ConnPlan[]): void {
    const fresh = groups.map((g) => {
      const track = { openedWall: null as number | null, everOpen: false };
      const ws = new OkxWsClient({
        url: this.o.url,
        lookup: this.o.lookup,
        args: g.args,
        subscribeChunk: 50,
        subscribePaceMs: this.o.subscribePaceMs,
        onPush: this.o.onPush,
        onMalformed: (reason, raw) => this.o.onMalformed(reason, raw, g.streams),
        onServerError: this.o.onServerError,
        onStateChange: (s) => {
          track.openedWall = s === 'open' ? Date.now() : null;
          if (s === 'open') track.everOpen = true;
          // A stream spans several connections: only this connection's own second connect is a reconnect,
          // not its first one while the stream already hears on an earlier connection.
          if (s !== 'connecting' || !track.everOpen) return;
          this.o.onReconnect(g.streams);
        },
      });
      return { ws, streams: g.streams, pool: g.pool, track };
    });
    this.conns.push(...fresh);
    fresh.forEach((c, i) => {
      const t = setTimeout(() => this.o.running() && c.ws.start(), i * this.o.connectGapMs);
      this.startTimers.push(t);
    });
  }

  /** Closes `pool`'s connections, or every one (and those still waiting to open) when none is given. */
  async close(pool?: Pool): Promise<void> {
    if (!pool) {
      for (const t of this.startTimers) clearTimeout(t);
      this.startTimers = [];
    }
    const old = this.conns.filter((c) => !pool || c.pool === pool);
    this.conns = this.conns.filter((c) => !old.includes(c));
    await Promise.all(old.map((c) => c.ws.stop()));
  }

  /** For each connection carrying `name`: the wall time it opened, or null while it is not open. */
  openedWalls(name: DerivStreamName): (number | null)[] {
    // A socket counts as open only while its client says so (it may be reconnecting).
    return this.conns.filter((c) => c.streams.has(name)).map((c) => (c.ws.status().connected ? c.track.openedWall : null));
  }
}

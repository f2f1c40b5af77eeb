/**
 * 'market.candle' events, made cheap. Every timeframe on means ~190 candle pushes a second (27 coins
 * × 7 bars, one a second each), and every bus event goes to each UI over IPC or the control
 * WebSocket; yet a UI draws one coin and timeframe at a time. So:
 *  - only keys (coin, bar) some UI watches are sent (market.watchCandles: a lease per UI client,
 *    renewed while its Coin screen is open, dropped when it closes or stops renewing);
 *  - per key, at most one event per tick (250 ms), carrying the latest state; a newer bar arriving
 *    first sends the older bar's last state at once, so a closed candle is never lost.
 * The live cache (LiveCandles) still takes every push: market.candles answers from it.
 */
import type { Candle, CandleBar } from '../../../../preload/contract/coin.js';
import type { EventBus } from '../../events/bus.js';

/** A lease lives this long unless renewed (the Coin screen renews every third of it). */
export const WATCH_TTL_MS = 30_000;
/** UI clients with a lease at once; a new one beyond this takes the place of the stalest. */
export const MAX_WATCH_CLIENTS = 32;
/** Keys one client may watch (a screen shows one; a little room for a second window). */
export const MAX_WATCH_KEYS = 4;

interface Lease {
  keys: Set<string>;
  until: number;
}

export interface CandleEventStats {
  /** Candles published (one per push, before this filter). */
  observed: number;
  /** 'market.candle' events emitted. */
  emitted: number;
}

export class CandleEvents {
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, { coin: string; bar: CandleBar; candle: Candle }>();
  private watched = new Set<string>();
  private watchedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  readonly stats: CandleEventStats = { observed: 0, emitted: 0 };

  constructor(
    private readonly bus: EventBus,
    private readonly opts: { tickMs?: number; now?: () => number } = {},
  ) {}

  /** Replaces `client`'s watched keys (an empty list ends its lease). */
  watch(client: string, keys: readonly { coin: string; bar: CandleBar }[]): { ttlMs: number; watching: number } {
    const now = this.now();
    if (keys.length === 0) this.leases.delete(client);
    else {
      if (!this.leases.has(client) && this.leases.size >= MAX_WATCH_CLIENTS) {
        const stalest = [...this.leases].sort((a, b) => a[1].until - b[1].until)[0]!;
        this.leases.delete(stalest[0]);
      }
      this.leases.set(client, { keys: new Set(keys.slice(0, MAX_WATCH_KEYS).map((k) => keyOf(k.coin, k.bar))), until: now + WATCH_TTL_MS });
    }
    this.recompute(now);
    return { ttlMs: WATCH_TTL_MS, watching: this.watched.size };
  }

  /** A candle changed (a push of any timeframe, forming or closed). */
  publish(coin: string, bar: CandleBar, candle: Candle): void {
    this.stats.observed += 1;
    const now = this.now();
    if (now >= this.watchedUntil) this.recompute(now);
    const key = keyOf(coin, bar);
    if (!this.watched.has(key)) return;
    const prev = this.pending.get(key);
    // The older bar's last state goes now: a later tick would only see the newer bar.
    if (prev && prev.candle.ts !== candle.ts) this.emit(prev);
    this.pending.set(key, { coin, bar, candle });
    this.timer ??= setTimeout(() => this.tick(), this.opts.tickMs ?? 250);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private tick(): void {
    this.timer = undefined;
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const p of due) this.emit(p);
  }

  private emit(p: { coin: string; bar: CandleBar; candle: Candle }): void {
    this.stats.emitted += 1;
    this.bus.emit('market.candle', p);
  }

  /** The union of the live leases' keys, valid until the first of them expires. */
  private recompute(now: number): void {
    for (const [c, l] of this.leases) if (l.until <= now) this.leases.delete(c);
    this.watched = new Set([...this.leases.values()].flatMap((l) => [...l.keys]));
    this.watchedUntil = Math.min(Infinity, ...[...this.leases.values()].map((l) => l.until));
    for (const k of this.pending.keys()) if (!this.watched.has(k)) this.pending.delete(k);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

const keyOf = (coin: string, bar: string) => `${coin}|${bar}`;

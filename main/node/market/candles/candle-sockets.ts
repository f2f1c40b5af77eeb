/**
 * The business-socket pool for candle channels: OKX documents no per-connection channel cap for
 * public channels but closes with 4008/4009 when a connection holds too many (okx-v5.md §4.4), so
 * the candleX × coin args are split over connections of at most `perConnection` args. New
 * connections are opened at most 3 per second per IP, and changes to the subscription set are
 * gathered and sent at most once per `paceMs` per connection (480 subscribe/unsubscribe ops per hour).
 */
import type { LookupFunction } from 'node:net';
import { OkxWsClient, type OkxWsPush, type WsUrlSource } from '../../okx/index.js';
import type { OkxWsArg } from '../../okx/schemas.js';

/** 3 new connections per second per IP: one every 350 ms keeps below it. */
const CONNECT_GAP_MS = 350;

export interface CandleSocketOptions {
  url: WsUrlSource;
  lookup?: LookupFunction;
  /** Args per connection. Default 100 (one subscribe message, far below 64 KB). */
  perConnection?: number;
  /** Least time between two subscribe/unsubscribe messages of one connection. Default 1 000 ms (≤ 3,600/h would exceed 480/h only under constant churn, which settings changes are not). */
  paceMs?: number;
  onPush: (p: OkxWsPush) => void;
  onMalformed: (reason: string) => void;
  onServerError: (code: string, msg: string) => void;
  /** A connection (re)opened after having been open before: what it missed must be repaired. */
  onReopen: () => void;
}

interface Slot {
  ws: OkxWsClient;
  args: Map<string, OkxWsArg>;
  pendingSub: Map<string, OkxWsArg>;
  pendingUnsub: Map<string, OkxWsArg>;
  lastOpAt: number;
  timer: NodeJS.Timeout | undefined;
}

const keyOf = (a: OkxWsArg) => `${a.channel}|${a.instId}`;

export class CandleSockets {
  private readonly slots: Slot[] = [];
  private running = false;
  private nextConnectAt = 0;
  private readonly startTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: CandleSocketOptions) {}

  get connections(): number {
    return this.slots.length;
  }

  start(): void {
    this.running = true;
    for (const s of this.slots) this.startSlot(s);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.startTimers) clearTimeout(t);
    this.startTimers.clear();
    for (const s of this.slots) clearTimeout(s.timer);
    await Promise.all(this.slots.map((s) => s.ws.stop()));
  }

  /** Makes the held subscriptions exactly `args`: removed ones are unsubscribed, new ones go where there is room. */
  set(args: readonly OkxWsArg[]): void {
    const want = new Map(args.map((a) => [keyOf(a), a]));
    for (const s of this.slots) {
      for (const [k, a] of s.args) {
        if (want.has(k)) continue;
        s.args.delete(k);
        if (s.pendingSub.delete(k)) continue;
        s.pendingUnsub.set(k, a);
        this.schedule(s);
      }
    }
    const held = new Set(this.slots.flatMap((s) => [...s.args.keys()]));
    const per = this.o.perConnection ?? 100;
    for (const [k, a] of want) {
      if (held.has(k)) continue;
      let slot = this.slots.find((s) => s.args.size < per);
      if (!slot) slot = this.addSlot();
      slot.args.set(k, a);
      slot.pendingUnsub.delete(k);
      slot.pendingSub.set(k, a);
      this.schedule(slot);
    }
  }

  reconnect(reason: string): void {
    for (const s of this.slots) s.ws.reconnect(reason, true);
  }

  /** Per connection: is it open, and how long since its last data push (real clock). */
  health(): { connected: boolean; lastPushAgeMs: number | null }[] {
    return this.slots.map((s) => {
      const st = s.ws.status();
      return { connected: st.connected, lastPushAgeMs: st.lastPushAgeMs };
    });
  }

  private addSlot(): Slot {
    let openedBefore = false;
    const ws = new OkxWsClient({
      url: this.o.url,
      lookup: this.o.lookup,
      onPush: this.o.onPush,
      onMalformed: (reason) => this.o.onMalformed(reason),
      onServerError: (e) => this.o.onServerError(e.code, e.msg),
      onStateChange: (state) => {
        if (state !== 'open') return;
        // On (re)connect the client resubscribes what it holds in one message; that counts as an op.
        slot.lastOpAt = Date.now();
        if (openedBefore) this.o.onReopen();
        openedBefore = true;
      },
    });
    const slot: Slot = { ws, args: new Map(), pendingSub: new Map(), pendingUnsub: new Map(), lastOpAt: 0, timer: undefined };
    this.slots.push(slot);
    if (this.running) this.startSlot(slot);
    return slot;
  }

  private startSlot(s: Slot): void {
    const now = Date.now();
    const at = Math.max(now, this.nextConnectAt);
    this.nextConnectAt = at + CONNECT_GAP_MS;
    // Subscriptions already set are sent by the client itself when it opens.
    for (const a of s.pendingSub.values()) s.ws.subscribe([a]);
    s.pendingSub.clear();
    if (at <= now) return s.ws.start();
    const t = setTimeout(() => {
      this.startTimers.delete(t);
      if (this.running) s.ws.start();
    }, at - now);
    this.startTimers.add(t);
  }

  private schedule(s: Slot): void {
    if (!this.running || s.timer) return;
    const wait = Math.max(0, s.lastOpAt + (this.o.paceMs ?? 1_000) - Date.now());
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.lastOpAt = Date.now();
      if (s.pendingUnsub.size) s.ws.unsubscribe([...s.pendingUnsub.values()]);
      if (s.pendingSub.size) s.ws.subscribe([...s.pendingSub.values()]);
      s.pendingSub.clear();
      s.pendingUnsub.clear();
    }, wait);
  }
}

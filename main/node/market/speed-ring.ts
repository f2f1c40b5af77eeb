import type { PriceSpeed } from '../../../preload/contract/market.js';
import { MINUTE_MS } from './grid-time.js';

/** How far back a reference tick may sit before the target time and still count as "the price then". */
export const SPEED_SLACK_MS = 60_000;
const WINDOW_MS = 15 * MINUTE_MS;

/**
 * Recent prices of one coin, at most one per second (the last tick of that second), covering the
 * last 15 minutes plus one older entry as the 15-minute reference. About 900 entries per coin.
 */
export class SpeedRing {
  private ts: number[] = [];
  private px: number[] = [];

  push(ts: number, price: number): void {
    const n = this.ts.length;
    const last = n > 0 ? this.ts[n - 1]! : -Infinity;
    if (ts < last) return; // out of order: the ring only moves forward
    if (n > 0 && Math.floor(ts / 1000) === Math.floor(last / 1000)) {
      this.ts[n - 1] = ts;
      this.px[n - 1] = price;
    } else {
      this.ts.push(ts);
      this.px.push(price);
    }
    // Keep exactly one entry at or before the 15-minute mark.
    let drop = 0;
    while (drop + 1 < this.ts.length && this.ts[drop + 1]! <= ts - WINDOW_MS) drop += 1;
    if (drop > 0) {
      this.ts.splice(0, drop);
      this.px.splice(0, drop);
    }
  }

  /** The last price at or before `t`, if that entry is no older than t − slack. */
  priceAt(t: number): number | null {
    let lo = 0;
    let hi = this.ts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || this.ts[found]! < t - SPEED_SLACK_MS) return null;
    return this.px[found]!;
  }

  /** Change % from the price N minutes before `now` to `price`. */
  speed(now: number, price: number): PriceSpeed {
    const chg = (minutes: number): number | null => {
      const ref = this.priceAt(now - minutes * MINUTE_MS);
      return ref === null ? null : ((price - ref) / ref) * 100;
    };
    return { m1: chg(1), m5: chg(5), m15: chg(15) };
  }

  get size(): number {
    return this.ts.length;
  }
}

/**
 * Completion-based pacing for one endpoint: `cap` slots, and a slot used by a request becomes free
 * again only `windowMs` after that request's answer came back. OKX counts requests when they
 * arrive, and a request always arrives before its answer returns, so no `windowMs` span at the
 * exchange can ever see more than `cap` of our requests — whatever the latency, however busy the
 * event loop. What it costs is one round trip per slot per window (a few % at low latency), where
 * start-based pacing needs a fixed margin and still breaks when latency jumps.
 */
export class SlotPacer {
  private readonly freeAt: number[];
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();

  constructor(
    readonly cap: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.freeAt = Array.from({ length: cap }, () => 0);
  }

  /** Callers waiting for a slot right now. */
  waiting = 0;

  /** Waits for a free slot and takes it; pass the index to release() when the answer is in. */
  async acquire(): Promise<number> {
    this.waiting += 1;
    try {
      return await this.take();
    } finally {
      this.waiting -= 1;
    }
  }

  private async take(): Promise<number> {
    for (;;) {
      const t = this.now();
      let best = 0;
      for (let i = 1; i < this.freeAt.length; i++) if (this.freeAt[i]! < this.freeAt[best]!) best = i;
      const at = this.freeAt[best]!;
      if (at <= t) {
        this.freeAt[best] = Number.POSITIVE_INFINITY;
        return best;
      }
      // Every slot busy with a request in flight (Infinity): wait a little and look again.
      await this.sleep(Number.isFinite(at) ? at - t : 5);
    }
  }

  release(slot: number): void {
    this.freeAt[slot] = this.now() + this.windowMs;
  }

  /** Rejects every waiter (the client is closing). */
  close(reason: Error): void {
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.reject(reason);
    }
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.sleepers.add(entry);
    });
  }
}

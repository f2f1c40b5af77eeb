/**
 * The peers of one backfill run: who they are, what each said it holds (asked when the job was
 * planned; after a restart nothing is known, so a failing peer page goes to the exchange), which
 * failed during this run (never asked again in it), and where a refused page goes next.
 */
import type { OkxBar } from '../okx/index.js';
import type { CandleWindow, WindowAnswer } from '../okx/candle-pages.js';
import type { Logger } from '../log/logger.js';
import { PeerRefusal, refusalReason, refusalText, type PeerSources, type SourcePeer } from './peer-sources.js';
import { coverFor, type PeerCover } from './source-plan.js';
import type { SourceRecords } from './source-records.js';

export class PeerRun {
  private readonly byId = new Map<string, SourcePeer>();
  private readonly dropped = new Map<string, string>();

  constructor(
    private readonly d: { sources: PeerSources; records: SourceRecords; log: Logger; now: () => number },
    readonly covers: readonly PeerCover[],
  ) {
    for (const p of d.sources.usable()) this.byId.set(p.id, p);
  }

  /** Coverage of every usable peer for [from, to), in priority order; peers that cannot answer are left out. */
  static async ask(
    d: { sources: PeerSources; records: SourceRecords; log: Logger; now: () => number },
    code: string,
    from: number,
    to: number,
  ): Promise<PeerRun> {
    const usable = d.sources.usable();
    // Hashes are only compared between peers: with one peer to ask, it counts without hashing.
    const compare = usable.length > 1;
    const answers = await Promise.all(
      usable.map(async (p): Promise<PeerCover | null> => {
        const hashes = new Map<string, string>();
        const cov = await d.sources.coverage(p, code, from, to, compare ? hashes : undefined);
        return cov ? { id: p.id, cov, hashes } : null;
      }),
    );
    // A peer that cannot say what it holds (down, or without the dataset) is simply not asked: the log says why.
    return new PeerRun(
      d,
      answers.filter((c): c is PeerCover => c !== null),
    );
  }

  /** A peer still worth asking in this run. */
  usable(id: string): boolean {
    return this.byId.has(id) && !this.dropped.has(id);
  }

  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  pull(id: string, w: CandleWindow): Promise<WindowAnswer> {
    const p = this.byId.get(id);
    if (!p) return Promise.reject(new PeerRefusal(id, 'the peer is no longer enabled', { reason: 'source.gone' }));
    return this.d.sources.pull(p, w);
  }

  /** The peer failed or its rows were refused: recorded, and not asked again in this run. */
  drop(id: string, why: unknown): string {
    const reason = refusalText(why);
    if (!this.dropped.has(id)) {
      this.dropped.set(id, reason);
      this.d.records.refused(id, this.name(id), reason, this.d.now(), refusalReason(why, this.name(id)));
      this.d.log.warn(`peer ${this.name(id)}: its rows were refused (${reason}); its pages go to the next source`);
    }
    return reason;
  }

  /** The next peer holding the whole window, or null for the exchange. */
  next(bar: OkxBar, coin: string, start: number, end: number, now: number): string | null {
    const alive = this.covers.filter((c) => this.byId.has(c.id));
    return coverFor(alive, bar, coin, start, end, now, new Set(this.dropped.keys()));
  }

  /** Cells where the exchange said this peer's value was wrong. */
  disagreed(id: string, n: number): void {
    this.d.records.disagreed(id, this.name(id), n, this.d.now());
  }

  served(id: string, pages: number): void {
    this.d.records.served(id, this.name(id), pages, this.d.now());
  }
}

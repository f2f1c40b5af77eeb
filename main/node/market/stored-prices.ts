import type { MarketSource, StoredMarket, StoredPrice } from '../../../preload/contract/market.js';
import type { Db } from '../store/db.js';
import { changePct } from './grid-writer.js';
import { dayOf } from './grid-time.js';

interface Row {
  coin: string;
  price: number;
  ts: number;
  source: MarketSource;
  tickBaseline: number | null;
  dayBaseline: number | null;
  origin: string;
  updatedAt: number;
  peerId: string | null;
  peerName: string | null;
}

/**
 * PT001 as stored, with the day's PB001 baseline and the receiver peer it came from. This is what
 * a node without a collector shows on its Overview: the prices it synced, not live ticks.
 */
export class StoredPrices {
  private readonly q;

  constructor(
    db: Db,
    private readonly o: { nodeId: string; coins: () => readonly string[]; collecting: boolean },
  ) {
    // The baseline of the tick's own UTC+8 day (the same day rule as grid-time.ts dayOf).
    this.q = db.prepare(
      `SELECT t.coin, t.price, t.ts, t.source, t.baseline AS tickBaseline, b.price AS dayBaseline,
              t.origin, t.updated_at AS updatedAt, p.id AS peerId, p.name AS peerName
       FROM ticks t
       LEFT JOIN baselines b ON b.coin = t.coin AND b.day = strftime('%Y-%m-%d', (t.ts + 28800000) / 1000, 'unixepoch')
       LEFT JOIN receiver_peers p ON p.node_id = t.origin
       WHERE t.coin IN (SELECT value FROM json_each(?))`,
    );
  }

  snapshot(): StoredMarket {
    const coins = [...this.o.coins()];
    const rows = this.q.all(JSON.stringify(coins)) as Row[];
    const seen = new Set<string>();
    const out: StoredPrice[] = [];
    for (const r of rows) {
      if (seen.has(r.coin)) continue; // two peers with the same origin id: keep the first
      seen.add(r.coin);
      const baseline = r.dayBaseline ?? r.tickBaseline;
      out.push({
        coin: r.coin,
        price: r.price,
        ts: r.ts,
        source: r.source,
        day: dayOf(r.ts),
        baseline,
        changePct: changePct(r.price, baseline),
        updatedAt: r.updatedAt,
        local: r.origin === this.o.nodeId,
        peer: r.origin !== this.o.nodeId && r.peerId !== null && r.peerName !== null ? { id: r.peerId, name: r.peerName } : null,
      });
    }
    const order = new Map(coins.map((c, i) => [c, i]));
    out.sort((a, b) => (order.get(a.coin) ?? 0) - (order.get(b.coin) ?? 0));
    return { collecting: this.o.collecting, coins, rows: out };
  }
}

/**
 * Per peer, what it did as a backfill source (migration 009): pages it served, refusals of its
 * rows and the last reason, and how often its values disagreed with another source's. The peer's
 * record in Sync › Receiver shows these, so a peer whose rows or clock are off is named.
 */
import type { Store } from '../store/store.js';

export interface SourceRecord {
  peerId: string;
  name: string;
  pages: number;
  refusals: number;
  disagreements: number;
  lastRefusal: string | null;
  lastRefusalAt: number | null;
}

export class SourceRecords {
  private readonly q;

  constructor(private readonly store: Store) {
    const upsert = (set: string) =>
      store.db.prepare(
        `INSERT INTO source_records (peer_id, name, pages, refusals, disagreements, last_refusal, last_refusal_at, updated_at)
         VALUES (@id, @name, @pages, @refusals, @disagreements, @reason, @at, @now)
         ON CONFLICT(peer_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, ${set}`,
      );
    this.q = {
      served: upsert('pages = pages + excluded.pages'),
      refused: upsert('refusals = refusals + 1, last_refusal = excluded.last_refusal, last_refusal_at = excluded.last_refusal_at'),
      disagreed: upsert('disagreements = disagreements + excluded.disagreements'),
      all: store.db.prepare('SELECT * FROM source_records ORDER BY name'),
      one: store.db.prepare('SELECT * FROM source_records WHERE peer_id = ?'),
    };
  }

  served(peerId: string, name: string, pages: number, now: number): void {
    this.store.write(() => this.q.served.run(row(peerId, name, now, { pages })));
  }

  refused(peerId: string, name: string, reason: string, now: number): void {
    this.store.write(() => this.q.refused.run(row(peerId, name, now, { refusals: 1, reason: reason.slice(0, 300), at: now })));
  }

  disagreed(peerId: string, name: string, n: number, now: number): void {
    this.store.write(() => this.q.disagreed.run(row(peerId, name, now, { disagreements: n })));
  }

  get(peerId: string): SourceRecord | null {
    const r = this.q.one.get(peerId) as RawRecord | undefined;
    return r ? toRecord(r) : null;
  }

  list(): SourceRecord[] {
    return (this.q.all.all() as RawRecord[]).map(toRecord);
  }
}

interface RawRecord {
  peer_id: string;
  name: string;
  pages: number;
  refusals: number;
  disagreements: number;
  last_refusal: string | null;
  last_refusal_at: number | null;
}

const toRecord = (r: RawRecord): SourceRecord => ({
  peerId: r.peer_id,
  name: r.name,
  pages: r.pages,
  refusals: r.refusals,
  disagreements: r.disagreements,
  lastRefusal: r.last_refusal,
  lastRefusalAt: r.last_refusal_at,
});

const row = (
  id: string,
  name: string,
  now: number,
  v: Partial<{ pages: number; refusals: number; disagreements: number; reason: string; at: number }>,
) => ({
  id,
  name,
  now,
  pages: v.pages ?? 0,
  refusals: v.refusals ?? 0,
  disagreements: v.disagreements ?? 0,
  reason: v.reason ?? null,
  at: v.at ?? null,
});

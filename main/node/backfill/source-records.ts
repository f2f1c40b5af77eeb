/**
 * Per peer, what it did as a backfill source (migration 009): pages it served, refusals of its
 * rows and the last reason, and how often its values disagreed with another source's. The peer's
 * record in Sync › Receiver shows these, so a peer whose rows or clock are off is named.
 */
import type { Reasoned } from '../../../preload/contract/reasons.js';
import { reasonFromColumn, reasonToColumn } from '../store/reason-column.js';
import type { Store } from '../store/store.js';

export interface SourceRecord {
  peerId: string;
  name: string;
  pages: number;
  refusals: number;
  disagreements: number;
  lastRefusal: string | null;
  /** The last refusal as a reason the UI says in its language (with the peer's name). */
  lastRefusalReason: Reasoned | null;
  lastRefusalAt: number | null;
}

export class SourceRecords {
  private readonly q;

  constructor(private readonly store: Store) {
    const upsert = (set: string) =>
      store.db.prepare(
        `INSERT INTO source_records (peer_id, name, pages, refusals, disagreements, last_refusal, last_refusal_reason, last_refusal_at, updated_at)
         VALUES (@id, @name, @pages, @refusals, @disagreements, @reason, @why, @at, @now)
         ON CONFLICT(peer_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, ${set}`,
      );
    this.q = {
      served: upsert('pages = pages + excluded.pages'),
      refused: upsert(
        'refusals = refusals + 1, last_refusal = excluded.last_refusal, last_refusal_reason = excluded.last_refusal_reason, last_refusal_at = excluded.last_refusal_at',
      ),
      disagreed: upsert('disagreements = disagreements + excluded.disagreements'),
      all: store.db.prepare('SELECT * FROM source_records ORDER BY name'),
      one: store.db.prepare('SELECT * FROM source_records WHERE peer_id = ?'),
    };
  }

  served(peerId: string, name: string, pages: number, now: number): void {
    this.store.write(() => this.q.served.run(row(peerId, name, now, { pages })));
  }

  refused(peerId: string, name: string, reason: string, now: number, why?: Reasoned): void {
    this.store.write(() =>
      this.q.refused.run(row(peerId, name, now, { refusals: 1, reason: reason.slice(0, 300), why: reasonToColumn(why), at: now })),
    );
  }

  disagreed(peerId: string, name: string, n: number, now: number): void {
    this.store.write(() => this.q.disagreed.run(row(peerId, name, now, { disagreements: n })));
  }

  get(peerId: string): SourceRecord | null {
    const r = this.q.one.get(peerId) as RawRecord | undefined;
    return r ? this.toRecord(r) : null;
  }

  list(): SourceRecord[] {
    return (this.q.all.all() as RawRecord[]).map((r) => this.toRecord(r));
  }

  private toRecord(r: RawRecord): SourceRecord {
    // A refusal stored before migration 011 has its English only: its reason is read back from the text.
    const why = r.last_refusal === null ? null : (reasonFromColumn(r.last_refusal_reason) ?? reasonOfRefusal(r.last_refusal, r.name));
    return {
      peerId: r.peer_id,
      name: r.name,
      pages: r.pages,
      refusals: r.refusals,
      disagreements: r.disagreements,
      lastRefusal: r.last_refusal,
      lastRefusalReason: why,
      lastRefusalAt: r.last_refusal_at,
    };
  }
}

interface RawRecord {
  peer_id: string;
  name: string;
  pages: number;
  refusals: number;
  disagreements: number;
  last_refusal: string | null;
  last_refusal_reason: string | null;
  last_refusal_at: number | null;
}

/** Stored refusal texts (peer-sources.ts refusalText) and the reasons they were written for. */
const TEXTS: [RegExp, (m: RegExpMatchArray) => Reasoned][] = [
  [/wrong checksum/, () => ({ reason: 'source.checksum' })],
  [/^no candle dataset for (\S+)$/, (m) => ({ reason: 'source.no_candles', params: { bar: m[1]! } })],
  [/^unexpected columns/, () => ({ reason: 'source.columns' })],
  [/^rows outside the asked range/, () => ({ reason: 'source.out_of_range' })],
  [/^a malformed or repeated row/, () => ({ reason: 'source.bad_row' })],
  [/did not deliver (\d+) of them/, (m) => ({ reason: 'source.missing_bars', params: { n: Number(m[1]) } })],
  [/^the peer is no longer enabled/, () => ({ reason: 'source.gone' })],
  [/^auth: /, () => ({ reason: 'peer.auth' })],
  [/^forbidden: /, () => ({ reason: 'peer.forbidden' })],
  [/^not_sync_node: /, () => ({ reason: 'peer.not_sync_node' })],
  [/^bad_page: /, () => ({ reason: 'peer.bad_page' })],
  [/^timeout: .* within (\d+) s/, (m) => ({ reason: 'peer.timeout', params: { seconds: Number(m[1]) } })],
  [/^network: Cannot reach (\S+) \((.+)\)\.$/, (m) => ({ reason: 'peer.network', params: { url: m[1]!, cause: m[2]! } })],
];

/** A refusal stored as text only: the reason it was written for, else "its rows were refused". */
export function reasonOfRefusal(text: string, name: string): Reasoned {
  for (const [re, f] of TEXTS) {
    const m = text.match(re);
    if (m) {
      const r = f(m);
      return { reason: r.reason, params: { ...r.params, name } };
    }
  }
  return { reason: 'source.refused', params: { name } };
}

const row = (
  id: string,
  name: string,
  now: number,
  v: Partial<{ pages: number; refusals: number; disagreements: number; reason: string; why: string | null; at: number }>,
) => ({
  id,
  name,
  now,
  pages: v.pages ?? 0,
  refusals: v.refusals ?? 0,
  disagreements: v.disagreements ?? 0,
  reason: v.reason ?? null,
  why: v.why ?? null,
  at: v.at ?? null,
});

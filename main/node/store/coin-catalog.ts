import { coinOfInstId } from '../../../preload/contract/coins.js';
import type { Store } from './store.js';

/** What the catalog needs of an exchange instrument (OKX's /public/instruments answer has more). */
export interface ListedInstrument {
  instId: string;
  listTime?: number | null;
  state: string;
}

/**
 * Records every USDT-margined perpetual the exchange lists (with its listing time and state), so
 * settings accept any real coin and refuse unknown ones, and backfill can say "not listed yet".
 */
export function refreshCoinCatalog(store: Store, instruments: readonly ListedInstrument[], now: number): number {
  const upsert = store.db.prepare(`INSERT INTO coins (symbol, inst_id, list_time, state, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(symbol) DO UPDATE SET inst_id = excluded.inst_id, list_time = excluded.list_time,
      state = excluded.state, updated_at = excluded.updated_at`);
  let n = 0;
  store.write(() => {
    for (const i of instruments) {
      const coin = coinOfInstId(i.instId);
      if (!coin) continue;
      upsert.run(coin, i.instId, i.listTime ?? null, i.state, now);
      n += 1;
    }
  });
  return n;
}

import type { OkxInstrument } from '../../okx/index.js';
import type { Store } from '../../store/store.js';

const USDT_SWAP = /^([A-Z0-9]{1,15})-USDT-SWAP$/;

/**
 * Records every USDT-margined perpetual the exchange lists (with its listing time and state), so
 * settings accept any real coin and refuse unknown ones, and backfill can say "not listed yet".
 */
export function refreshCoinCatalog(store: Store, instruments: readonly OkxInstrument[], now: number): number {
  const upsert = store.db.prepare(`INSERT INTO coins (symbol, inst_id, list_time, state, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(symbol) DO UPDATE SET inst_id = excluded.inst_id, list_time = excluded.list_time,
      state = excluded.state, updated_at = excluded.updated_at`);
  let n = 0;
  store.write(() => {
    for (const i of instruments) {
      const m = USDT_SWAP.exec(i.instId);
      if (!m) continue;
      upsert.run(m[1]!, i.instId, i.listTime ?? null, i.state, now);
      n += 1;
    }
  });
  return n;
}

export const coinOfInstId = (instId: string): string | null => USDT_SWAP.exec(instId)?.[1] ?? null;

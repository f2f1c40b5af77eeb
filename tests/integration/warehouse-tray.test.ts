import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trayInputFrom } from '../../main/app/tray-input.js';
import { deriveTrayState, stalenessReasons, trayTooltip } from '../../main/app/tray-state.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { caughtUp, DAY, pgClient, seedCandles, startNode, T0, until, type TestNode } from './warehouse-harness.js';

/**
 * The tray's "up to date, safe to close" comes from the node's status: while the warehouse mirror
 * has rows left to write, the tray says syncing and how many rows the warehouse is behind.
 */
describe('tray "safe to close" waits for the warehouse (real PostgreSQL)', () => {
  let pgs: TestPostgres;
  let t: TestNode | undefined;
  beforeAll(async () => {
    pgs = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => {});
    pgs?.remove();
  });

  it('behind by N rows while PostgreSQL holds the table locked; ok once the lag is 0', async () => {
    pgs.psql('CREATE DATABASE tray OWNER csn');
    const url = pgs.url('tray');
    t = await startNode(url);
    const n = t.node;
    const facts = { pausedUntil: null, shellError: null, syncing: false };
    const tray = () => trayInputFrom(n.status(), facts);
    seedCandles(n, 1);
    await until(() => caughtUp(n), 30_000, 'first mirror');
    expect(tray().lastError).toBeNull();
    expect(deriveTrayState(tray(), Date.now())).toBe('ok');

    // Another session holds kl030: the mirror's next write to it waits, so its rows stay behind.
    const locker = await pgClient(pgs.url('tray', { user: 'postgres' }));
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE coin_sync.kl030 IN ACCESS EXCLUSIVE MODE');
      seedCandles(n, 1, T0 + DAY);
      const rows = 48 * 27;
      await until(() => n.warehouse.lagRows() === rows, 20_000, 'KL030 alone behind');
      // Rows in flight for less than a live row takes do not count yet (a clock at the last
      // catch-up sees none behind); then they do.
      expect(n.warehouse.behindRows(0)).toBe(0);
      await until(() => (tray().behind ?? []).length > 0, 20_000, 'the tray sees the lag');
      const input = tray();
      expect(input.behind).toEqual([{ name: 'warehouse', rows }]);
      expect(deriveTrayState(input, Date.now())).toBe('syncing');
      expect(stalenessReasons(input)).toEqual([`the warehouse is behind by ${rows} rows`]);
      expect(trayTooltip(input, Date.now())).toContain(`Catching up: the warehouse is behind by ${rows} rows`);
      const comp = n.status().components.find((c) => c.name === 'warehouse')!;
      expect(comp.text).toEqual({ key: 'warehouse.behind', params: { rows } });
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    await until(() => caughtUp(n), 30_000, 'caught up after the lock');
    expect(tray().behind).toEqual([]);
    expect(deriveTrayState(tray(), Date.now())).toBe('ok');
  }, 90_000);
});

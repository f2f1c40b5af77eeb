import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GridWriter } from '../../main/node/market/grid-writer.js';
import { Store } from '../../main/node/store/store.js';
import { startHeadless, tempDataDir, type HeadlessNode } from '../helpers/headless.js';

const JAN16 = Date.UTC(2026, 0, 15, 16, 0);
const HALF = 1_800_000;
// Nothing listens on port 9 of loopback: the collector fails fast and never reaches the internet.
const DEAD = [
  '--okx-rest',
  'http://127.0.0.1:9',
  '--okx-ws-public',
  'ws://127.0.0.1:9/ws/v5/public',
  '--okx-ws-business',
  'ws://127.0.0.1:9/ws/v5/business',
];

describe('market handlers over the control HTTP API (built headless node)', () => {
  let dir: string;
  let node: HeadlessNode;

  beforeAll(async () => {
    dir = tempDataDir('csn-market-http-');
    const store = Store.open(dir);
    new GridWriter(store).writeGridPrices([
      { coin: 'BTC', ts: JAN16, price: 100, source: 'backfill' },
      { coin: 'BTC', ts: JAN16 + HALF, price: 102.5, source: 'backfill' },
      { coin: 'ETH', ts: JAN16 + HALF, price: 3000, source: 'backfill' },
    ]);
    store.close();
    node = await startHeadless({ dataDir: dir, args: DEAD });
  });
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the CSV with its BOM intact through JSON', async () => {
    const r = await node.call('export.csv', { kind: 'full', from: JAN16, to: JAN16 + 2 * HALF });
    expect(r.status).toBe(200);
    const f = r.body.value as { content: string; filename: string };
    expect(f.content.codePointAt(0)).toBe(0xfeff);
    expect(f.content.slice(1).split('\r\n')).toEqual([
      'date,time,timestamp,coin,baseline,price,change %',
      `2026-01-16,00:00,${JAN16},BTC,100,100,0.000000`,
      `2026-01-16,00:30,${JAN16 + HALF},BTC,100,102.5,2.500000`,
      `2026-01-16,00:30,${JAN16 + HALF},ETH,,3000,`,
      '',
    ]);
  });

  it('answers sumSeries and day with the 27 default coins as the total', async () => {
    const s = await node.call('market.sumSeries', { from: JAN16, to: JAN16 + 2 * HALF });
    expect(s.status).toBe(200);
    expect(s.body.value.points).toEqual([
      { ts: JAN16, sum: 0, covered: 1, total: 27, complete: false },
      { ts: JAN16 + HALF, sum: 2.5, covered: 1, total: 27, complete: false },
    ]);
    const d = await node.call('market.day', { date: '2026-01-16' });
    expect(d.body.value.rows).toHaveLength(48);
    expect(d.body.value.coins).toHaveLength(27);
  });

  it('refuses bad input with HTTP 400 and a sentence', async () => {
    const r = await node.call('market.sumSeries', { from: JAN16 + HALF, to: JAN16 });
    expect(r.status).toBe(400);
    expect(r.body.ok).toBe(false);
    // The English sentence for scripts, plus the reason and field issue the UI localizes.
    expect(r.body.error).toMatchObject({
      code: 'bad_input',
      message: 'market.sumSeries: to: must be later than from',
      reason: 'invalid_input',
    });
    expect(r.body.error.issues).toEqual([expect.objectContaining({ path: ['to'] })]);
    const m = await node.call('market.status', {});
    expect(m.status).toBe(200);
    expect(m.body.value.coins).toHaveLength(27);
  });
});

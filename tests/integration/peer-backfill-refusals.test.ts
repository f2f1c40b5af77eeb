import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { DAY_MS } from '../../main/node/market/grid-time.js';
import { pinnedAgent } from '../../main/node/net/pinned-tls.js';
import { makeClientId, pairClient } from './sender-harness.js';
import { backfill, candleRequests, pair, usePeerNodes, valuesOf, type PeerNode } from '../helpers/peer-nodes.js';

const { alphaBravo } = usePeerNodes();

type Lie = 'badsum' | 'outside' | 'short' | 'down';
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/**
 * A real sender (A) behind a real proxy that lies about range pulls in one way; its coverage
 * answers are A's own, so it claims everything A holds. B reaches it over plain HTTP on loopback.
 */
async function liar(a: PeerNode, lie: Lie): Promise<string> {
  const id = makeClientId(`proxy ${lie}`);
  const token = await pairClient(a.call, a.url, id);
  const upstream = pinnedAgent({ pin: a.node.identity.fingerprint, identity: id });
  const server = http.createServer((req, res) => {
    void (async () => {
      const isRange = req.url!.includes('/range/');
      if (isRange && lie === 'down')
        return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable","message":"down"}}');
      const up = await undiciFetch(`${a.url}${req.url}`, { headers: { authorization: `Bearer ${token}` }, dispatcher: upstream });
      let body = await up.text();
      if (isRange && up.ok) {
        const p = JSON.parse(body) as { columns: string[]; rows: (string | number | null)[][]; checksum: string };
        if (lie === 'badsum') p.rows[0]![3] = (p.rows[0]![3] as number) * 1.01;
        if (lie === 'outside') p.rows[0]![2] = (p.rows[0]![2] as number) - 30 * DAY_MS;
        if (lie === 'short') p.rows.splice(5, 10);
        // Only the checksum liar leaves the old sum; the others are internally consistent.
        if (lie !== 'badsum') p.checksum = pageChecksum(p.columns, p.rows);
        body = JSON.stringify(p);
      }
      res.writeHead(up.status, { 'content-type': 'application/json' }).end(body);
    })().catch(() => res.destroy());
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('peers that claim coverage and do not deliver it', () => {
  it('refuses their rows, names why in their record, and takes the cells from the next source', async () => {
    const { s, a, b, from, to } = await alphaBravo(3);
    const coins = ['BTC', 'ETH', 'SOL'];
    await backfill(a, { from, to, coins });
    // Liars first in priority, the honest A last.
    const lies: Lie[] = ['badsum', 'outside', 'short', 'down'];
    for (const [i, lie] of lies.entries())
      await b.call('peers.add', { name: `liar-${lie}`, url: await liar(a, lie), token: 'x', priority: i });
    const aId = await pair(b, a);
    await b.call('peers.update', { id: aId, patch: { priority: 50 } });

    const before = candleRequests(s);
    expect((await backfill(b, { from, to, coins })).failed).toBe(0);
    expect(candleRequests(s) - before).toBe(0);
    expect(valuesOf(b, from, to)).toEqual(valuesOf(a, from, to));
    const st = await b.call('backfill.status', {});
    expect(st.sources).toEqual([{ servedBy: 'alpha', peer: true, pages: 3, bars: 3 * 144, saved: 3 }]);

    const records = b.node.store.db.prepare('SELECT name, refusals, last_refusal AS why FROM source_records ORDER BY name').all();
    expect(records).toEqual([
      expect.objectContaining({ name: 'alpha', refusals: 0, why: null }),
      expect.objectContaining({ name: 'liar-badsum', refusals: 1, why: expect.stringMatching(/wrong checksum/) }),
      expect.objectContaining({ name: 'liar-down', refusals: 1, why: expect.stringMatching(/server: .*503/) }),
      expect.objectContaining({ name: 'liar-outside', refusals: 1, why: expect.stringMatching(/rows outside the asked range/) }),
      expect.objectContaining({ name: 'liar-short', refusals: 1, why: expect.stringMatching(/did not deliver 10/) }),
    ]);
  }, 120_000);

  it('with no honest peer left, the refused cells go to the exchange and equal what it serves', async () => {
    const { s, a, b, from, to } = await alphaBravo(2);
    const coins = ['BTC', 'ETH'];
    await backfill(a, { from, to, coins });
    await b.call('peers.add', { name: 'liar', url: await liar(a, 'short'), token: 'x' });
    const before = candleRequests(s);
    expect((await backfill(b, { from, to, coins })).failed).toBe(0);
    // 96 bars a coin: one exchange request each once the liar is refused.
    expect(candleRequests(s) - before).toBe(2);
    expect(valuesOf(b, from, to)).toEqual(valuesOf(a, from, to));
    const st = await b.call('backfill.status', {});
    expect(st.sources).toEqual([{ servedBy: new URL(s.urls!.rest).host, peer: false, pages: 2, bars: 192, saved: 0 }]);
  }, 120_000);
});

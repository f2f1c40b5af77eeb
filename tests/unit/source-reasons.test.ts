/**
 * Issue 16, one error path for records: a backfill source's refusal and an exchange host's failure
 * carry a reason and parameters (next to the English text, which stays), and the renderer says
 * them as one sentence in either language. Real SQLite, a real HTTP server on 127.0.0.1 and the
 * real OKX REST client with its host pool.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SOURCE_REASONS, type Reasoned } from '../../preload/contract.js';
import { PeerRefusal, refusalReason, refusalText } from '../../main/node/backfill/peer-sources.js';
import { reasonOfRefusal, SourceRecords } from '../../main/node/backfill/source-records.js';
import { HostPool } from '../../main/node/okx/host-pool.js';
import { OkxRestClient } from '../../main/node/okx/rest-client.js';
import { PeerError } from '../../main/node/receiver/peer-client.js';
import { translate, type Locale } from '../../renderer/src/i18n/index.js';
import { recordSentence } from '../../renderer/src/lib/errors.js';
import { closedPort } from '../bench/market-ui-procs.js';
import { openTempStore } from './market-fixture.js';

const say = (locale: Locale, r: Reasoned | null) => recordSentence((k, v) => translate(locale, k, v), r, null);
const HAN = /[\u4e00-\u9fff]/;
/** A zh-CN sentence: Chinese, no placeholder left, no half-width sentence punctuation next to Chinese. */
const expectChinese = (s: string) => {
  expect(s).toMatch(HAN);
  expect(s).not.toMatch(/[{}]/);
  expect(s).not.toMatch(/[\u4e00-\u9fff][,;:()!?.]|[,;:()!?][\u4e00-\u9fff]/);
};

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('source records: a reason with the text', () => {
  it('keeps the reason of a refusal, and reads an older stored text back to the reason it was written for', () => {
    const t = openTempStore();
    cleanups.push(() => t.cleanup());
    const records = new SourceRecords(t.store);
    const refusal = new PeerRefusal('Desk B', 'no candle dataset for 4H', { reason: 'source.no_candles', params: { bar: '4H' } });
    records.refused('p1', 'Desk B', refusalText(refusal), 1_000, refusalReason(refusal, 'Desk B'));
    const rec = records.get('p1')!;
    // The English stays for scripts and peers of other versions; the reason comes with it.
    expect(rec.lastRefusal).toBe('no candle dataset for 4H');
    expect(rec.lastRefusalReason).toEqual({ reason: 'source.no_candles', params: { bar: '4H', name: 'Desk B' } });
    expect(say('en', rec.lastRefusalReason)).toBe(
      'Desk B does not serve 4 hours candles; its pages went to the next source. Add that bar on Desk B, or leave it to the exchange.',
    );
    expect(say('zh-CN', rec.lastRefusalReason)).toBe(
      'Desk B 不提供 4小时 K线，其页面已改由下一个数据源获取。请在 Desk B 上加入该K线周期，或交给交易所。',
    );

    // After a restart the stored reason (migration 011) is read back.
    const reopened = new SourceRecords(t.store);
    expect(reopened.get('p1')!.lastRefusalReason).toEqual(rec.lastRefusalReason);
    // A refusal stored before migration 011 has its text only: the reason is read back from it.
    t.store.db.prepare('UPDATE source_records SET last_refusal_reason = NULL').run();
    expect(reopened.get('p1')!.lastRefusalReason).toEqual(rec.lastRefusalReason);
  });

  it('gives every refusal kind its own reason, and an unknown one a sentence that still names the peer', () => {
    const cases: [unknown, string, Reasoned['params']][] = [
      [new PeerRefusal('B', 'wrong checksum on a range page', { reason: 'source.checksum' }), 'source.checksum', {}],
      [new PeerRefusal('B', 'unexpected columns a,b', { reason: 'source.columns' }), 'source.columns', {}],
      [new PeerRefusal('B', 'rows outside the asked range (BTC 1H 5)', { reason: 'source.out_of_range' }), 'source.out_of_range', {}],
      [new PeerRefusal('B', 'a malformed or repeated row at 5', { reason: 'source.bad_row' }), 'source.bad_row', {}],
      [
        new PeerRefusal('B', 'it said it holds these bars but did not deliver 3 of them', {
          reason: 'source.missing_bars',
          params: { n: 3 },
        }),
        'source.missing_bars',
        { n: 3 },
      ],
      [new PeerRefusal('B', 'the peer is no longer enabled', { reason: 'source.gone' }), 'source.gone', {}],
      [new PeerError('auth', 'The peer refused the token (401).'), 'peer.auth', {}],
      [
        new PeerError('timeout', 'The peer did not answer within 10 s.', undefined, { params: { seconds: 10 } }),
        'peer.timeout',
        { seconds: 10 },
      ],
      [
        new PeerError('network', 'Cannot reach http://127.0.0.1:1 (ECONNREFUSED).', undefined, {
          params: { url: 'http://127.0.0.1:1', cause: 'ECONNREFUSED' },
        }),
        'peer.network',
        { url: 'http://127.0.0.1:1', cause: 'ECONNREFUSED' },
      ],
      [new Error('something new'), 'source.refused', {}],
    ];
    for (const [e, reason, params] of cases) {
      const live = refusalReason(e, 'Desk B');
      expect(live, String(e)).toEqual({ reason, params: { ...params, name: 'Desk B' } });
      // What a restart reads back from the stored text is the same reason with the same values.
      expect(reasonOfRefusal(refusalText(e), 'Desk B'), refusalText(e)).toEqual(live);
      expect(say('en', live)).not.toMatch(/[{}]/);
      expectChinese(say('zh-CN', live));
    }
    expect(
      say('zh-CN', refusalReason(new PeerError('network', 'x', undefined, { params: { url: 'http://h:1', cause: 'ECONNREFUSED' } }), 'B')),
    ).toBe('无法连接 http://h:1（连接被拒绝）。请检查地址，并确认对方正在运行且已开启局域网访问。');
  });

  it('says every source reason in both languages, with no placeholder left', () => {
    const params = { name: 'Desk B', bar: '1H', n: 3, host: 'www.okx.com', cause: 'ECONNREFUSED', seconds: 10, status: 503 };
    for (const reason of SOURCE_REASONS) {
      expect(say('en', { reason, params }), reason).not.toMatch(/[{}]/);
      expectChinese(say('zh-CN', { reason, params }));
    }
  });
});

describe('exchange hosts: why a host failed, as a reason', () => {
  const pooled = (urls: string[]) => {
    const pool = new HostPool({ hosts: () => urls, downAfter: 1 });
    const client = new OkxRestClient({ baseUrl: () => pool.current(), timeoutMs: 1_500, onResult: (b, r) => pool.record(b, r) });
    cleanups.push(() => client.close());
    return { pool, client };
  };

  it('a host that refuses the connection: host.network with the cause', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { pool, client } = pooled([url]);
    await expect(client.time()).rejects.toThrow();
    const h = pool.health()[0]!;
    expect(h.lastError).toMatch(/ECONNREFUSED/);
    expect(h.lastErrorReason).toEqual({ reason: 'host.network', params: { host: new URL(url).host, cause: 'ECONNREFUSED' } });
    expect(say('zh-CN', h.lastErrorReason)).toBe(
      `无法连接 ${new URL(url).host}（连接被拒绝），请求已转到下一个主机。请检查网络，或“设置”中的 REST 地址。`,
    );
  });

  it('a host that answers 503 and one that never answers: host.server and host.timeout', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.includes('slow')) return; // never answers
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    server.on('request', () => undefined);
    const port = (server.address() as AddressInfo).port;
    const busy = pooled([`http://127.0.0.1:${port}`]);
    await expect(busy.client.time()).rejects.toThrow();
    expect(busy.pool.health()[0]!.lastErrorReason).toEqual({ reason: 'host.server', params: { host: `127.0.0.1:${port}`, status: 503 } });

    const slow = pooled([`http://127.0.0.1:${port}/slow`]);
    await expect(slow.client.time()).rejects.toThrow();
    const h = slow.pool.health()[0]!;
    expect(h.lastErrorReason).toEqual({ reason: 'host.timeout', params: { host: `127.0.0.1:${port}`, seconds: 2 } });
    expect(say('en', h.lastErrorReason)).toBe(
      `127.0.0.1:${port} did not answer within 2 s; requests go to the next host. Check the network.`,
    );
    server.closeAllConnections();
  });
});

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '../../preload/contract/sender.js';
import { pageChecksum } from '../../main/node/datasets/checksum.js';
import { PeerError, PeerClient } from '../../main/node/receiver/peer-client.js';
import { CANDLE_COLUMNS, PeerRefusal, PeerSources, type SourcePeer } from '../../main/node/backfill/peer-sources.js';
import { createNodeLog } from '../../main/node/log/logger.js';
import { tempDataDir } from '../helpers/headless.js';

/**
 * How a peer's answer body is read: gzip or plain, bounded once unpacked, refused with a sentence
 * when it is in an encoding nobody asked for or corrupt; and a range page's checksum, taken from
 * its rows as sent when the sender is canonical and from the parsed rows when it is not.
 * A real HTTP server on 127.0.0.1 answers each path as the test sets it.
 */
const COLUMNS = CANDLE_COLUMNS;
const T0 = Date.UTC(2026, 0, 1) - 8 * 3_600_000;
const ROWS = Array.from({ length: 48 }, (_, i) => [
  'BTC',
  '30m',
  T0 + i * 1_800_000,
  100.5 + i,
  102 + i,
  99 + i,
  101 + i,
  12.25,
  3,
  4,
  1,
  i + 1,
  'a',
  5,
]);

type Answer = { status?: number; headers?: Record<string, string>; body: Buffer | string };
const answers = new Map<string, Answer>();
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const a = answers.get(req.url!.split('?')[0]!) ?? { status: 404, body: '{}' };
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(logDir, { recursive: true, force: true });
});

/** A range answer as this node's senders write it (rows last, canonical JSON), or spaced out like another implementation might. */
function rangeBody(rows: unknown[][], opts: { spaced?: boolean; checksumOf?: unknown[][] } = {}): string {
  const page = {
    protocol: SYNC_PROTOCOL_VERSION,
    code: 'KL030',
    coin: 'BTC',
    from: T0,
    to: T0 + 86_400_000,
    count: rows.length,
    checksum: pageChecksum(COLUMNS, opts.checksumOf ?? rows),
    columns: COLUMNS,
    rows,
  };
  return opts.spaced ? JSON.stringify(page, null, 2) : JSON.stringify(page);
}

const client = () => new PeerClient({ url, token: 't', timeoutMs: 3_000 });
const peer = (): SourcePeer => ({ id: 'p1', name: 'Desk', client: client() });
const logDir = tempDataDir('csn-peer-bodies-');
const sources = new PeerSources({
  peers: () => [],
  identity: { certPem: '', keyPem: '' },
  log: createNodeLog({ dataDir: logDir, console: false }).scope('backfill'),
});
const window = { coin: 'BTC', bar: '30m' as const, start: T0, end: T0 + 86_400_000 };

it('a gzipped range answer is unpacked, and its rows as sent are the text its checksum covers', async () => {
  answers.set('/api/data-sync/sender/range/KL030', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(rangeBody(ROWS)) });
  const a = await client().range('KL030', 'BTC', window.start, window.end);
  expect(a.rows).toEqual(ROWS);
  expect(a.rowsJson).toBe(JSON.stringify(ROWS));
  const got = await sources.pull(peer(), window);
  expect(got.candles.map((c) => c.ts)).toEqual(ROWS.map((r) => r[2]));
  expect(got.candles[0]).toMatchObject({ open: 100.5, vol: 12.25, confirm: true });
});

it('a sender that is not canonical (spaced JSON) is still checked, on its parsed rows', async () => {
  answers.set('/api/data-sync/sender/range/KL030', { body: rangeBody(ROWS, { spaced: true }) });
  const a = await client().range('KL030', 'BTC', window.start, window.end);
  expect(a.rowsJson).not.toBe(JSON.stringify(ROWS));
  const got = await sources.pull(peer(), window);
  expect(got.candles).toHaveLength(48);
});

it('rows that do not match the checksum are refused, whichever way it is computed', async () => {
  const altered = ROWS.map((r, i) => (i === 7 ? [...r.slice(0, 3), 1, ...r.slice(4)] : r));
  for (const spaced of [false, true]) {
    answers.set('/api/data-sync/sender/range/KL030', { body: rangeBody(altered, { spaced, checksumOf: ROWS }) });
    const e = await sources.pull(peer(), window).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PeerRefusal);
    expect((e as PeerRefusal).detail.reason).toBe('source.checksum');
  }
});

it('an answer that unpacks past 64 MB, is corrupt, or uses an encoding nobody asked for is a bad page with a sentence', async () => {
  const cases: [Answer, RegExp][] = [
    [{ headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20)) }, /larger than 64 MB once unpacked/],
    [{ headers: { 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') }, /not valid gzip/],
    [{ headers: { 'content-encoding': 'br' }, body: Buffer.from([1, 2, 3]) }, /encoding this node did not ask for \(br\)/],
  ];
  for (const [answer, sentence] of cases) {
    answers.set('/api/data-sync/sender/status', answer);
    const e = await client()
      .status()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PeerError);
    expect((e as PeerError).kind).toBe('bad_page');
    expect((e as PeerError).message).toMatch(sentence);
  }
  // A plain answer still reads.
  answers.set('/api/data-sync/sender/status', { body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, nodeId: 'n1' }) });
  expect((await client().status()).nodeId).toBe('n1');
});

it('an HTTP error still says what the peer said, with its Retry-After', async () => {
  answers.set('/api/data-sync/sender/status', {
    status: 429,
    headers: { 'retry-after': '7' },
    body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.' } }),
  });
  const e = (await client()
    .status()
    .catch((x: unknown) => x)) as PeerError;
  expect(e.kind).toBe('rate_limited');
  expect(e.retryAfterMs).toBe(7_000);
});

it('a peer that refuses the connection is a network error whose cause is the socket code the UI words', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const e = (await new PeerClient({ url: `http://127.0.0.1:${port}`, token: 't', timeoutMs: 3_000 })
    .status()
    .catch((x: unknown) => x)) as PeerError;
  expect(e).toBeInstanceOf(PeerError);
  expect(e.kind).toBe('network');
  expect(e.detail.params).toMatchObject({ cause: 'ECONNREFUSED' });
  expect(e.message).toBe(`Cannot reach http://127.0.0.1:${port} (ECONNREFUSED).`);
});

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { startSenderNode, type SenderNode } from './sender-harness.js';

// Connections the sender refuses before a request can be read still land in its request log, so
// the Sender screen shows who knocked and why.
let sender: SenderNode | undefined;
afterEach(async () => {
  await sender?.close();
  sender = undefined;
});

/** Writes `bytes` on a fresh connection to the sender's port and resolves with all it answered. */
function knock(url: string, bytes: Buffer | string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: hostname, port: Number(port) }, () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.setTimeout(5_000, () => s.destroy());
  });
}

const refusedEntries = async (s: SenderNode, path: string) => {
  const { entries } = await s.call('sender.log', { limit: 50 });
  const hit = entries.filter((e) => e.path === path);
  return hit.length > 0 ? hit : undefined;
};

describe('connections refused before a request', () => {
  it('plain HTTP on the TLS port: answered 400 with the HTTPS sentence, logged as refused', async () => {
    sender = await startSenderNode({}, undefined, { pair: false });
    const answer = await knock(sender.url, 'GET /api/data-sync/sender/status HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(answer).toContain('speaks HTTPS (TLS 1.3) only');
    const [entry] = await until('the refused entry', () => refusedEntries(sender!, '(plain HTTP refused: HTTPS only)'), 5_000, 50);
    expect(entry).toMatchObject({ method: '-', status: 400, error: 'bad_input', dataset: null, rows: 0 });
    expect(entry!.client).toContain('127.0.0.1');
  });

  it('a TLS record that is no handshake: the connection closes, logged as a failed handshake', async () => {
    sender = await startSenderNode({}, undefined, { pair: false });
    // 0x16 = a TLS handshake record (so the port hands it to TLS), then a body that is no ClientHello.
    await knock(sender.url, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00]));
    const [entry] = await until('the handshake entry', () => refusedEntries(sender!, '(TLS handshake failed)'), 5_000, 50);
    expect(entry).toMatchObject({ method: '-', status: 400, error: 'bad_input', dataset: null, rows: 0 });
  });
});

import fs from 'node:fs';
import net from 'node:net';
import { afterEach } from 'vitest';
import type { HandlerInput, HandlerName, HandlerOutput } from '../../preload/contract.js';
import { valueOf } from '../helpers/api.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { tempDataDir } from '../helpers/headless.js';

export interface InNode {
  node: SyncNode;
  dir: string;
  /** The sender's https URL (loopback). */
  url: string;
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
  /** The error answer of a call that must fail. */
  refuse<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<{ code: string; message: string }>;
}

/**
 * Real nodes in this process, each on its own data folder with its sender on 127.0.0.1 port 0.
 * Call at a file's top level: an afterEach stops them and removes their folders.
 */
export function useNodes() {
  const nodes: InNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      await n.node.stop();
      fs.rmSync(n.dir, { recursive: true, force: true });
    }
  });
  return async (opts: { dir?: string; senderPort?: number } = {}): Promise<InNode> => {
    const dir = opts.dir ?? tempDataDir('csn-secure-');
    const node = createNode({
      dataDir: dir,
      mode: 'headless',
      version: 'test',
      collect: false,
      senderPort: opts.senderPort ?? 0,
      receiver: { backoff: { baseMs: 100, maxMs: 400 }, requestTimeoutMs: 3_000 },
    });
    await node.start();
    const call = async <K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> =>
      valueOf(name, await node.call(name, input));
    const refuse = async <K extends HandlerName>(name: K, input: HandlerInput<K>) => {
      const r = await node.dispatch(name, input);
      if (r.ok) throw new Error(`${name} was expected to fail`);
      return r.error;
    };
    const view = await call('sender.config.get', {});
    const n: InNode = { node, dir, url: view.listening!.url, call, refuse };
    nodes.push(n);
    return n;
  };
}

/** Pairs `receiver` with `sender` by a code read off the sender (as a person would type it). */
export async function pairNodes(receiver: InNode, sender: InNode, name = 'paired'): Promise<HandlerOutput<'peers.pair'>> {
  const { code } = await sender.call('pairing.start', {});
  return receiver.call('peers.pair', { url: sender.url, code: code!, name });
}

/** n grid rows of coin `coin` from a fixed day, written with the node's own store. */
export function writeGrid(n: InNode, coin: string, count: number): void {
  const t0 = Date.UTC(2025, 0, 1);
  const rows = Array.from({ length: count }, (_, i) => [coin, t0 + i * 1_800_000, 100 + i, 100, i / 10, 'test']);
  n.node.store.write(() => n.node.store.tables.grid_prices.upsertLocal(rows, n.node.store.nodeId, Date.now()));
}

/** A plain TCP relay that records every byte in both directions (what a wire tap on loopback sees). */
export async function tcpTap(target: { host: string; port: number }) {
  const captured: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d: Buffer) => (captured.push(Buffer.from(d)), upstream.write(d)));
    upstream.on('data', (d: Buffer) => (captured.push(Buffer.from(d)), client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    bytes: () => Buffer.concat(captured),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

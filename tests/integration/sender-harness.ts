import fs from 'node:fs';
import http from 'node:http';
import type { HandlerInput, HandlerName, HandlerOutput, SenderConfigPatch } from '../../preload/contract.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { tempDataDir } from '../helpers/headless.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: unknown;
}

export interface RequestOpts {
  method?: string;
  token?: string | null;
  headers?: Record<string, string>;
  body?: string | Buffer;
  localAddress?: string;
  agent?: http.Agent;
}

/** One real HTTP request; the body is read whole and parsed as JSON when it is JSON. */
export function request(url: string, opts: RequestOpts = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const req = http.request(url, { method: opts.method ?? 'GET', headers, localAddress: opts.localAddress, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // left undefined: the caller asserts on it
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface SenderNode {
  node: SyncNode;
  dir: string;
  url: string;
  token: string;
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
  get(path: string, opts?: RequestOpts): Promise<HttpAnswer>;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

/** A real node in this process on a temp folder, its sender on 127.0.0.1 port 0. */
export async function startSenderNode(patch: SenderConfigPatch = {}, dir = tempDataDir('csn-sender-')): Promise<SenderNode> {
  // No collector: these tests write rows themselves and must not reach for OKX.
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'test', collect: false });
  const call = async <K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> => {
    const r = await node.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value as HandlerOutput<K>;
  };
  await call('sender.config.update', { port: 0, ...patch });
  await node.start();
  const view = await call('sender.config.get', {});
  if (!view.listening) throw new Error(`sender not listening: ${view.error}`);
  const url = view.listening.url;
  return {
    node,
    dir,
    url,
    token: view.token,
    call,
    get: (path, opts = {}) => request(`${url}${path}`, { token: view.token, ...opts }),
    close: async (opts = {}) => {
      await node.stop();
      if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** n grid rows for coin `coin` starting at `t0`, every 30 minutes. */
export function gridRows(coin: string, t0: number, n: number, price = 100): (string | number | null)[][] {
  return Array.from({ length: n }, (_, i) => [coin, t0 + i * 1_800_000, price + i, price, i / 10, 'test']);
}

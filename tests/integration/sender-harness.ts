import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HandlerInput, HandlerName, HandlerOutput, SenderConfigPatch } from '../../preload/contract.js';
import { valueOf } from '../helpers/api.js';
import { createNode, type SyncNode } from '../../main/node/create-node.js';
import { pairWithSender } from '../../main/node/pairing/pair-client.js';
import { createSelfSignedCertificate, fingerprintOf } from '../../main/node/security/certificate.js';
import { X509Certificate } from 'node:crypto';
import WebSocket from 'ws';
import { tempDataDir } from '../helpers/headless.js';

/** A TLS client identity of its own, as another node would have (made once per test process). */
export interface ClientId {
  certPem: string;
  keyPem: string;
  fingerprint: string;
}
export function makeClientId(name = 'test client'): ClientId {
  const c = createSelfSignedCertificate(name);
  return { ...c, fingerprint: fingerprintOf(new X509Certificate(c.certPem)) };
}
export const TEST_CLIENT = makeClientId();
/** No TLS session resumption: every connection shows its certificate, so `pin` can be checked. */
const noResume = new https.Agent({ maxCachedSessions: 0 });

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
  /** The client certificate presented over https (default TEST_CLIENT; null: none). */
  client?: ClientId | null;
  /** The server certificate the answer must come from (checked on the socket). */
  pin?: string;
}

/**
 * One real HTTP(S) request; the body is read whole and parsed as JSON when it is JSON. Over https
 * it presents a client certificate and, given `pin`, refuses an answer from another certificate.
 */
export function request(url: string, opts: RequestOpts = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const secure = url.startsWith('https:');
    const client = opts.client === undefined ? TEST_CLIENT : opts.client;
    const base = {
      method: opts.method ?? 'GET',
      headers,
      localAddress: opts.localAddress,
      agent: opts.agent ?? (secure ? noResume : undefined),
    };
    const tlsOpts = secure ? { rejectUnauthorized: false, ...(client && { cert: client.certPem, key: client.keyPem }) } : {};
    const req = (secure ? https : http).request(url, { ...base, ...tlsOpts }, (res) => {
      if (opts.pin) {
        const cert = (res.socket as TLSSocket).getPeerX509Certificate?.();
        if (!cert || fingerprintOf(cert) !== opts.pin) return reject(new Error('the answer came from another certificate'));
      }
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
  /** TEST_CLIENT's own device token, from pairing with this sender. */
  token: string;
  /** The shared sender token (accepted only with `legacyToken` on). */
  sharedToken: string;
  fingerprint: string;
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
  get(path: string, opts?: RequestOpts): Promise<HttpAnswer>;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

/** A real node in this process on a temp folder, its sender on 127.0.0.1 port 0. */
export async function startSenderNode(
  patch: SenderConfigPatch = {},
  dir = tempDataDir('csn-sender-'),
  opts: { pair?: boolean } = {},
): Promise<SenderNode> {
  // No collector: these tests write rows themselves and must not reach for OKX.
  const node = createNode({ dataDir: dir, mode: 'headless', version: 'test', collect: false });
  const call = async <K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> =>
    valueOf(name, await node.call(name, input));
  await call('sender.config.update', { port: 0, ...patch });
  await node.start();
  const view = await call('sender.config.get', {});
  if (!view.listening) throw new Error(`sender not listening: ${view.error}`);
  const url = view.listening.url;
  // Pairing counts three requests on the sender; a test of stored counters may skip it.
  const token = opts.pair === false ? '' : await pairClient(call, url, TEST_CLIENT);
  const fingerprint = node.identity.fingerprint;
  return {
    node,
    dir,
    url,
    token,
    sharedToken: view.token,
    fingerprint,
    call,
    get: (path, opts = {}) => request(`${url}${path}`, { token, pin: fingerprint, ...opts }),
    close: async (opts = {}) => {
      await node.stop();
      if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The change stream over TLS as a device: its client certificate, the token in the query (as browsers must). */
export function streamSocket(url: string, token: string, client: ClientId = TEST_CLIENT): WebSocket {
  return new WebSocket(`${url.replace(/^http/, 'ws')}/api/data-sync/sender/stream?token=${encodeURIComponent(token)}`, {
    rejectUnauthorized: false,
    cert: client.certPem,
    key: client.keyPem,
  });
}

/** Pairs a client identity with a sender the way a receiver does (a code, then CPace); returns its device token. */
export async function pairClient(
  call: <K extends HandlerName>(name: K, input: HandlerInput<K>) => Promise<HandlerOutput<K>>,
  url: string,
  client: ClientId,
  name = 'test client',
): Promise<string> {
  const { code } = await call('pairing.start', {});
  const paired = await pairWithSender({ url, code: code!, identity: client, name });
  return paired.token;
}

/** n grid rows for coin `coin` starting at `t0`, every 30 minutes. */
export function gridRows(coin: string, t0: number, n: number, price = 100): (string | number | null)[][] {
  return Array.from({ length: n }, (_, i) => [coin, t0 + i * 1_800_000, price + i, price, i / 10, 'test']);
}

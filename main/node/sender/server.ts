import fastifyCompress from '@fastify/compress';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../log/logger.js';
import type { NodeIdentity } from '../security/identity.js';
import { decideAccess } from './access.js';
import type { AllowList } from './allow-list.js';
import type { SenderToken } from './auth.js';
import type { DeviceStore } from '../security/devices.js';
import { classify, errorJson, senderErrorStatus, type SenderErrorCode, type WireReason } from '../wire/sender-errors.js';
import type { RequestLog } from './request-log.js';
import { registerSenderRoutes, type RouteDeps } from './routes.js';

export const BODY_LIMIT = 64 * 1024;
const MAX_URL = 2_048;

export interface SenderAppDeps extends RouteDeps {
  identity: NodeIdentity;
  devices: DeviceStore;
  /** Routes of other parts on the same port and hook (pairing); each declares its access. */
  extraRoutes?: (app: FastifyInstance) => void;
  token: SenderToken;
  allowList: () => AllowList;
  requestLog: RequestLog;
  log: Logger;
}

function fail(reply: FastifyReply, code: SenderErrorCode, message: string, detail?: WireReason): FastifyReply {
  if (reply.request.senderMeta) reply.request.senderMeta.error = code;
  return reply
    .status(senderErrorStatus[code])
    .type('application/json; charset=utf-8')
    .send(errorJson(code, message, detail));
}

export interface SenderApp {
  app: FastifyInstance;
  /** TLS 1.3 with this node's certificate; asks for (and never requires) a client certificate. */
  tlsServer: https.Server;
  /** The same routes over plain HTTP, fed only loopback connections while the setting allows (listener.ts). */
  plainServer: http.Server;
}

/**
 * The sender's Fastify app (routes in routes.ts). One onRequest hook applies, in order: URL
 * length, the allow-list (403), the per-client rate limit (429 + Retry-After), access (access.ts:
 * TLS, device or shared token, 401) — so a disallowed or flooding client never reaches a token
 * comparison. Every error, including Fastify's own (bad JSON, oversized body, malformed URL,
 * header overflow), is `{"error":{...}}`.
 */
export async function buildSenderApp(deps: SenderAppDeps): Promise<SenderApp> {
  let plainServer: http.Server | undefined;
  const app = Fastify({
    // Client certificates are asked for but not verified by OpenSSL (every node's is self-signed):
    // access.ts compares their fingerprints with the paired devices'.
    serverFactory: (handler) => {
      const tls = https.createServer(
        { cert: deps.identity.certPem, key: deps.identity.keyPem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false },
        handler,
      );
      plainServer = http.createServer(handler);
      // Peers keep connections open between pages (a TLS handshake each time would cost more than
      // the page): a longer idle time than Node's 5 s also avoids reusing a socket as it closes.
      for (const srv of [tls, plainServer]) srv.keepAliveTimeout = 30_000;
      // Upgrades (the stream) and parse errors on plain connections go where Fastify listens for them.
      plainServer.on('upgrade', (...a) => tls.emit('upgrade', ...a));
      plainServer.on('clientError', (...a) => tls.emit('clientError', ...a));
      return tls;
    },
    logger: false,
    bodyLimit: BODY_LIMIT,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 64 },
    // Bad URL encodings are answered before any hook runs: count them here.
    frameworkErrors: (err, req, reply) => {
      const start = performance.now();
      const bytesBefore = req.socket.bytesWritten;
      reply.raw.once('finish', () => {
        req.senderMeta = { start, bytesBefore, dataset: null, rows: 0, error: 'bad_input' };
        record(req, reply.raw.statusCode);
      });
      void fail(reply, 'bad_input', `The URL is malformed (${err.code ?? 'bad url'}).`);
    },
    // Node answers header overflow and garbage before Fastify sees a request; keep it JSON too.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || err.code === 'ECONNRESET') return socket.destroy();
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const body = tooLarge
        ? errorJson('too_large', 'The request headers or URL are too large.')
        : errorJson('bad_input', 'The request is not valid HTTP.');
      const status = tooLarge ? '413 Payload Too Large' : '400 Bad Request';
      deps.requestLog.record({
        ts: Date.now(),
        client: socket.remoteAddress ?? 'unknown',
        method: '-',
        path: '(unparseable request)',
        dataset: null,
        status: tooLarge ? 413 : 400,
        rows: 0,
        bytes: Buffer.byteLength(body),
        durationMs: 0,
        error: tooLarge ? 'too_large' : 'bad_input',
      });
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.decorateRequest('senderMeta', null);
  app.decorateRequest('senderCaller', null);
  const tlsServer = app.server as https.Server;
  tlsServer.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    deps.log.debug(`sender: TLS handshake from ${socket.remoteAddress ?? 'unknown'} failed (${err.code ?? err.message})`);
    deps.requestLog.refused(socket.remoteAddress ?? 'unknown', '(TLS handshake failed)');
  });

  await app.register(fastifyRateLimit, { global: false });
  const limiter = app.createRateLimit({
    max: () => deps.config().rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.socket.remoteAddress ?? 'unknown',
  });
  await app.register(fastifyCompress, { encodings: ['gzip', 'deflate'], threshold: 1_024 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4 * 1024 } });

  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    req.senderMeta = { start: performance.now(), bytesBefore: req.socket.bytesWritten, dataset: null, rows: 0, error: null };
    if (req.url.length > MAX_URL) return fail(reply, 'bad_input', `The URL is longer than ${MAX_URL} characters.`);
    if (!deps.allowList().allows(req.socket.remoteAddress)) {
      return fail(
        reply,
        'forbidden',
        `This sender does not serve ${req.socket.remoteAddress ?? 'this client'}: the address is not in its allow-list.`,
      );
    }
    const rl = await limiter(req);
    if (!rl.isAllowed && rl.isExceeded) {
      void reply.header('retry-after', String(Math.max(1, rl.ttlInSeconds)));
      return fail(reply, 'rate_limited', `Too many requests: at most ${rl.max} a minute; retry after ${Math.max(1, rl.ttlInSeconds)} s.`);
    }
    const access = decideAccess(req, deps);
    if (!access.ok) return fail(reply, access.code, access.message, access.detail);
    req.senderCaller = access.caller;
  });

  app.addHook('onResponse', async (req, reply) => record(req, reply.statusCode));

  function record(req: FastifyRequest, status: number): void {
    const m = req.senderMeta;
    if (!m) return;
    const path = req.url.split('?', 1)[0] ?? '';
    deps.requestLog.record({
      ts: Date.now(),
      client: req.socket.remoteAddress ?? 'unknown',
      method: req.method.slice(0, 10),
      path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
      dataset: m.dataset,
      status,
      rows: m.rows,
      bytes: Math.max(0, req.socket.bytesWritten - m.bytesBefore),
      durationMs: Math.round((performance.now() - m.start) * 1_000) / 1_000,
      error: m.error,
      items: m.items,
    });
  }

  app.setErrorHandler((err, req, reply) => {
    const { code, message, detail } = classify(err);
    if (code === 'internal') deps.log.error(`sender: ${req.method} ${req.url.slice(0, 200)} failed:`, err);
    return fail(reply, code, message, detail);
  });

  app.setNotFoundHandler((req, reply) =>
    fail(reply, 'not_found', `No route ${req.method} ${(req.url.split('?', 1)[0] ?? '').slice(0, 200)} on this sender.`),
  );

  registerSenderRoutes(app, deps);
  deps.extraRoutes?.(app);
  await app.ready();
  return { app, tlsServer, plainServer: plainServer! };
}

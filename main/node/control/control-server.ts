import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { httpStatusOf, type EventName, type Result } from '../../../preload/contract.js';
import type { SyncNode } from '../create-node.js';
import { receiverAliases, senderConfigAliases } from './aliases.js';
import { isAdmin, requireAdmin } from '../security/admin-auth.js';

export interface ControlServerOptions {
  node: SyncNode;
  adminToken: string;
  port: number;
  /** Built renderer to serve to a browser; omitted when only the API is wanted. */
  rendererDir?: string;
}

export interface ControlServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Fastify's own errors (bad JSON, empty body, too large) as our `{ error: { code, message } }`. */
function errorReply(err: FastifyError): { status: number; body: Result<never> } {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  const code = status === 413 ? 'bad_input' : status >= 500 ? 'internal' : status === 404 ? 'not_found' : 'bad_input';
  const message =
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
      ? 'The request body is not valid JSON.'
      : status === 413
        ? 'The request body is too large (1 MB at most).'
        : err.message;
  return { status, body: { ok: false, error: { code, message } } };
}

/**
 * The control server: the node's API table as `POST /api/control/<handler>`, its events on a
 * WebSocket, and the built renderer for a browser. Loopback only, admin token required.
 */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { node, adminToken } = opts;
  const log = node.log.scope('control');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true });

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const { status, body } = errorReply(err);
    if (status >= 500) log.error('control request failed:', err);
    void reply.status(status).send(body);
  });

  const admin = requireAdmin(adminToken, log);

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/api/health', async () => ({ ok: true, nodeId: node.store.nodeId }));
  // The older scripts' endpoints (sender config, receiver actions), admin token required (never on the sender port).
  await app.register(senderConfigAliases(node, admin));
  await app.register(receiverAliases(node, admin));

  app.post<{ Params: { name: string } }>('/api/control/:name', { onRequest: admin }, async (req, reply) => {
    const result = await node.dispatch(req.params.name, req.body);
    if (!result.ok) {
      log.warn(`${req.params.name}: ${result.error.code}: ${result.error.message}`);
      return reply.status(httpStatusOf[result.error.code]).send(result);
    }
    return reply.send(result);
  });

  // Browsers cannot set headers on a WebSocket, so the token may also come as ?token=.
  app.get<{ Querystring: { token?: string } }>('/api/control/events', { websocket: true }, (socket, req) => {
    if (!isAdmin(adminToken, req.headers.authorization, req.query.token)) {
      socket.close(4401, 'unauthorized');
      return;
    }
    const off = node.bus.onAny((event: EventName, payload: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', off);
    socket.on('error', off);
  });

  const rendererDir = opts.rendererDir;
  if (rendererDir && fs.existsSync(path.join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: 'index.html' });
  }

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !rendererDir || req.method !== 'GET') {
      return reply
        .status(404)
        .send({ ok: false, error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
    }
    return reply.sendFile('index.html');
  });

  // Never anything but loopback: the control API can change every setting.
  await app.listen({ host: '127.0.0.1', port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  log.info(`control server listening on ${url}`);
  return {
    url,
    port,
    app,
    close: async () => {
      for (const client of app.websocketServer?.clients ?? []) client.terminate();
      await app.close();
    },
  };
}

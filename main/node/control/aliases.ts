import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { httpStatusOf, type Result } from '../../../preload/contract/result.js';
import type { Api } from '../api/dispatch.js';
import type { AdminHook } from '../security/admin-auth.js';

/**
 * The older scripts' endpoints, kept as aliases on the CONTROL server (loopback, admin token) and
 * answering the same Result as the API. They live here, beside the control server that mounts
 * them: they know only the API, nothing of the sender or the receiver behind it.
 */

const send = (reply: FastifyReply, result: Result<unknown>) => reply.status(result.ok ? 200 : httpStatusOf[result.error.code]).send(result);

/**
 * `GET|POST /api/data-sync/sender/config` → `sender.config.get` / `sender.config.update`. The sender
 * port has no such route: its configuration is never writable from the LAN.
 */
export function senderConfigAliases(api: Api, requireAdmin: AdminHook): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Registered as its own plugin, so the hook covers exactly these routes.
    app.addHook('onRequest', requireAdmin);
    app.get('/api/data-sync/sender/config', async (_req, reply) => send(reply, await api.call('sender.config.get', {})));
    // The body arrives as data: the transport entry validates it against the contract.
    app.post('/api/data-sync/sender/config', async (req, reply) => send(reply, await api.dispatch('sender.config.update', req.body ?? {})));
  };
}

/**
 * The receiver's: sync-all, sync/:code (every enabled peer that pulls that dataset), start/stop
 * auto-sync, status, and config (auto-sync and discovery switches).
 */
export function receiverAliases(api: Api, requireAdmin: AdminHook): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Registered as its own plugin, so the hook covers exactly these routes.
    app.addHook('onRequest', requireAdmin);
    const P = '/api/data-sync/receiver';
    app.post(`${P}/sync-all`, async (_req, reply) => send(reply, await api.call('sync.all', {})));
    app.post<{ Params: { code: string } }>(`${P}/sync/:code`, async (req, reply) => {
      const peers = await api.call('peers.list', {});
      if (!peers.ok) return send(reply, peers);
      const targets = peers.value.peers.filter((p) => p.enabled && (p.datasets === null || p.datasets.includes(req.params.code)));
      const results = [];
      for (const p of targets) {
        const r = await api.call('sync.dataset', { id: p.id, code: req.params.code });
        if (!r.ok && r.error.code === 'bad_input') return send(reply, r);
        results.push({ peerId: p.id, ...(r.ok ? { ok: true, run: r.value } : { ok: false, error: r.error }) });
      }
      return send(reply, { ok: true, value: { code: req.params.code, results } });
    });
    app.post(`${P}/start-auto-sync`, async (_req, reply) => send(reply, await api.call('sync.auto', { on: true, pausedUntil: null })));
    app.post(`${P}/stop-auto-sync`, async (_req, reply) => send(reply, await api.call('sync.auto', { on: false })));
    app.get(`${P}/status`, async (_req, reply) => send(reply, await api.call('sync.status', {})));
    app.get(`${P}/config`, async (_req, reply) => send(reply, await api.call('receiver.config.get', {})));
    app.post(`${P}/config`, async (req, reply) => send(reply, await api.dispatch('receiver.config.update', req.body ?? {})));
  };
}

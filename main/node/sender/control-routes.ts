import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { httpStatusOf, type Result } from '../../../preload/contract/result.js';
import type { Api } from '../api/dispatch.js';
import type { AdminHook } from '../security/admin-auth.js';

/**
 * The older scripts' alias on the CONTROL server (loopback, admin token): `GET|POST
 * /api/data-sync/sender/config` → `sender.config.get` / `sender.config.update`. The sender port
 * has no such route: its configuration is never writable from the LAN.
 */
export function senderConfigAliases(api: Api, requireAdmin: AdminHook): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Registered as its own plugin, so the hook covers exactly these routes.
    app.addHook('onRequest', requireAdmin);
    const send = (reply: FastifyReply, result: Result<unknown>) =>
      reply.status(result.ok ? 200 : httpStatusOf[result.error.code]).send(result);
    app.get('/api/data-sync/sender/config', async (_req, reply) => send(reply, await api.call('sender.config.get', {})));
    // The body arrives as data: the transport entry validates it against the contract.
    app.post('/api/data-sync/sender/config', async (req, reply) => send(reply, await api.dispatch('sender.config.update', req.body ?? {})));
  };
}

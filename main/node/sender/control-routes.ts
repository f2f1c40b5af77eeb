import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { httpStatusOf } from '../../../preload/contract/result.js';
import type { Dispatch } from '../api/dispatch.js';
import { bearerOf, tokenMatches } from '../control/admin-token.js';

/**
 * Seed 000's alias on the CONTROL server (loopback, admin token): `GET|POST
 * /api/data-sync/sender/config` → `sender.config.get` / `sender.config.update`. The sender port
 * has no such route: its configuration is never writable from the LAN.
 */
export function senderConfigAliases(dispatch: Dispatch, adminToken: string): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (req, reply) => {
      if (!tokenMatches(bearerOf(req.headers.authorization), adminToken)) {
        return reply.status(401).send({
          ok: false,
          error: { code: 'unauthorized', message: 'Missing or wrong admin token (Authorization: Bearer <DIR/admin-token>).' },
        });
      }
    });
    const answer = async (name: string, input: unknown, reply: FastifyReply) => {
      const result = await dispatch(name, input);
      return reply.status(result.ok ? 200 : httpStatusOf[result.error.code]).send(result);
    };
    app.get('/api/data-sync/sender/config', (_req, reply) => answer('sender.config.get', {}, reply));
    app.post('/api/data-sync/sender/config', (req, reply) => answer('sender.config.update', req.body ?? {}, reply));
  };
}

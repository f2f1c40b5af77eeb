import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '../../../preload/contract/result.js';
import type { Logger } from '../log/logger.js';
import { bearerOf, tokenMatches } from './admin-token.js';

/** What every admin route answers without the token (401). */
export const UNAUTHORIZED: Result<never> = {
  ok: false,
  error: {
    code: 'unauthorized',
    message: 'Missing or wrong admin token (Authorization: Bearer <DIR/admin-token>).',
    reason: 'unauthorized',
  },
};

/**
 * Whether a request carries the admin token (DIR/admin-token): `Authorization: Bearer <token>`,
 * or `?token=` where a browser cannot set headers (the event WebSocket passes its query).
 */
export function isAdmin(adminToken: string, authorization: string | undefined, queryToken?: string): boolean {
  return tokenMatches(bearerOf(authorization) ?? queryToken, adminToken);
}

export type AdminHook = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The one admin-auth hook of the control server: its API (`control-server.ts`) and the aliases
 * kept for scripts (`sender/control-routes.ts`, `receiver/control-routes.ts`) all add it as
 * `onRequest`, so a route is refused before its body is read.
 */
export function requireAdmin(adminToken: string, log?: Logger): AdminHook {
  return async (req, reply) => {
    if (isAdmin(adminToken, req.headers.authorization)) return;
    // The path only: a query could carry a token.
    log?.warn(`refused ${req.method} ${req.url.split('?')[0]} from ${req.ip}: missing or wrong admin token`);
    return reply.status(401).send(UNAUTHORIZED);
  };
}

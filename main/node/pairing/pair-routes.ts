import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SenderHttpError } from '../wire/sender-errors.js';
import { PAIR_PREFIX } from '../wire/sender-paths.js';
import type { PairingHost } from './pairing-host.js';

function pairingCaller(req: FastifyRequest) {
  const c = req.senderCaller;
  if (c?.kind !== 'pairing') throw new SenderHttpError('bad_input', 'Pairing needs TLS with a client certificate.');
  return c;
}

export function registerPairRoutes(app: FastifyInstance, host: PairingHost): void {
  const opts = { config: { access: 'pairing' as const } };
  app.get(`${PAIR_PREFIX}/hello`, opts, async () => host.hello());
  app.post(`${PAIR_PREFIX}/start`, opts, async (req) => host.handleStart(pairingCaller(req), req.body));
  app.post(`${PAIR_PREFIX}/confirm`, opts, async (req) => host.handleConfirm(pairingCaller(req), req.body));
}

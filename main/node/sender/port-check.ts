import net from 'node:net';
import { HandlerError } from '../../../preload/contract/result.js';

/** Whether a port can be bound on host now (a probe: bound and released at once). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Refuses a sender port the node cannot use, with a sentence, before anything is saved: a port
 * this node already uses for something else (the control port), or one another program holds.
 */
export async function checkSenderPort(o: {
  port: number;
  host: string;
  reserved: ReadonlyMap<number, string>;
  /** The port the sender itself holds now: choosing it again is fine. */
  current: number | null;
}): Promise<void> {
  if (o.port === 0 || o.port === o.current) return;
  const why = o.reserved.get(o.port);
  if (why) {
    throw new HandlerError('bad_input', `Port ${o.port} is this node's ${why}; choose another port for the sender. Nothing was changed.`, {
      reason: 'sender.port_reserved',
      params: { port: o.port },
    });
  }
  if (!(await portFree(o.host, o.port))) {
    throw new HandlerError(
      'conflict',
      `Port ${o.port} is already in use on this machine (another program or node listens on it); choose another port. Nothing was changed.`,
      { reason: 'sender.port_in_use', params: { port: o.port } },
    );
  }
}

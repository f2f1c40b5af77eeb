import type http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import { errorJson } from '../wire/sender-errors.js';

/** A client that opens a connection and sends nothing is dropped after this long. */
const FIRST_BYTE_MS = 10_000;
/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export interface SenderListener {
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  tlsServer: https.Server;
  plainServer: http.Server;
  host: string;
  port: number;
  /** Plain HTTP from loopback is served (the setting); elsewhere it never is. */
  plainAllowed: () => boolean;
  /** A plain-HTTP connection that was answered with the HTTPS-only sentence. */
  onRefused: (address: string, message: string) => void;
}

/**
 * One port, two protocols: the first byte of a connection tells a TLS handshake from plain HTTP.
 * TLS goes to the HTTPS server; plain HTTP is served only from loopback while the setting allows
 * it, and is otherwise answered with one JSON sentence saying to use https:// (so a script or an
 * older peer learns why, instead of seeing a reset).
 */
export async function listenSender(o: ListenOptions): Promise<SenderListener> {
  const sockets = new Set<net.Socket>();
  let port = o.port;
  // pauseOnConnect + one 'readable': the first bytes are looked at without the socket ever
  // flowing, so nothing is read past them before the TLS or HTTP server takes the socket over.
  const front = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_MS, () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return void socket.destroy();
      socket.unshift(first);
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      if (first[0] === TLS_HANDSHAKE) return void o.tlsServer.emit('connection', socket);
      if (isLoopback(socket.remoteAddress) && o.plainAllowed()) return void o.plainServer.emit('connection', socket);
      socket.on('error', () => socket.destroy());
      const message =
        `This sender speaks HTTPS (TLS 1.3) only: use https:// on port ${port}. ` +
        'Another Coin Sync Node pairs with it in Sync › Receiver › Pair; plain HTTP is served only to this machine, and only when "Plain HTTP on loopback" is on.';
      const body = errorJson('bad_input', message);
      o.onRefused(socket.remoteAddress ?? 'unknown', message);
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen({ host: o.host, port: o.port }, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address();
  if (typeof address === 'object' && address) port = address.port;
  // The HTTP servers never listen themselves (the front does): their connection tracking
  // (header/request timeouts, idle-connection closing) starts on 'listening', so start it here.
  o.tlsServer.emit('listening');
  o.plainServer.emit('listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const srv of [o.tlsServer, o.plainServer]) {
          srv.closeAllConnections();
          srv.emit('close');
        }
        for (const s of sockets) s.destroy();
        sockets.clear();
      }),
  };
}

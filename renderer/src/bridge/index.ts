import type { CoinSyncApi } from '../../../preload/contract';
import { createConnectionSignal, type ConnectionSignal } from './connection';
import { createHttpBridge } from './http-bridge';
import { captureTokenFromUrl, getToken } from './token';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a plain browser. */
    coinSync?: CoinSyncApi;
  }
}

export type { ConnectionState, ConnectionSignal } from './connection';

let api: CoinSyncApi | null = null;
let connection: ConnectionSignal = createConnectionSignal('connecting');

/** Call once before rendering: picks the transport and captures a `#token=` from the URL. */
export function initBridge(): { ready: true } | { ready: false; reason: 'no-token' } {
  if (window.coinSync) {
    api = window.coinSync;
    // IPC to our own main process cannot drop; it is live as long as the window exists.
    connection = createConnectionSignal('live');
    return { ready: true };
  }
  captureTokenFromUrl();
  const token = getToken();
  if (!token) return { ready: false, reason: 'no-token' };
  const bridge = createHttpBridge({ base: window.location.origin, token });
  api = bridge;
  connection = bridge.connection;
  return { ready: true };
}

/** The one API the renderer talks to, whichever bridge sits behind it. */
export function getApi(): CoinSyncApi {
  if (!api) throw new Error('The bridge is not initialised: call initBridge() first.');
  return api;
}

export function getConnection(): ConnectionSignal {
  return connection;
}

/**
 * The transport's connection state, as a tiny observable the status bar and the app frame read.
 * Kept outside the CoinSyncApi contract because only the renderer cares how the bytes travel.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface ConnectionSignal {
  get(): ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

export function createConnectionSignal(initial: ConnectionState): ConnectionSignal & { set(s: ConnectionState): void } {
  let state = initial;
  const listeners = new Set<(s: ConnectionState) => void>();
  return {
    get: () => state,
    set(next) {
      if (next === state) return;
      state = next;
      for (const l of listeners) l(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

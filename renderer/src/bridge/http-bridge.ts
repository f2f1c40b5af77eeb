import type { CoinSyncApi, EventMap, EventName, HandlerInput, HandlerName, HandlerOutput, Result } from '../../../preload/contract';
import { createConnectionSignal, type ConnectionSignal } from './connection';

type AnyListener = (payload: unknown) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A body is a Result when it has `ok: true` + value or `ok: false` + error{code,message}. */
function asResult<T>(body: unknown): Result<T> | null {
  if (!isObject(body) || typeof body.ok !== 'boolean') return null;
  if (body.ok) return 'value' in body ? (body as Result<T>) : null;
  const e = body.error;
  return isObject(e) && typeof e.code === 'string' && typeof e.message === 'string' ? (body as Result<T>) : null;
}

const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];

/**
 * The browser bridge to a headless node: the same CoinSyncApi as the Electron preload, over
 * `POST /api/control/<name>` and one shared event WebSocket that reconnects with backoff.
 */
export function createHttpBridge(opts: { base: string; token: string }): CoinSyncApi & { connection: ConnectionSignal } {
  const connection = createConnectionSignal('connecting');
  const listeners = new Map<string, Set<AnyListener>>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const wsUrl = () => {
    const u = new URL('/api/control/events', opts.base);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', opts.token);
    return u.toString();
  };

  const connect = () => {
    clearTimeout(retryTimer);
    const ws = new WebSocket(wsUrl());
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      connection.set('live');
    };
    ws.onmessage = (msg) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(msg.data));
      } catch {
        return; // not ours: the server only sends JSON envelopes
      }
      if (!isObject(parsed) || typeof parsed.event !== 'string') return;
      for (const l of listeners.get(parsed.event) ?? []) {
        try {
          l(parsed.payload);
        } catch (e) {
          console.error(`listener for ${parsed.event} failed`, e);
        }
      }
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      // 4401: the server refused the token; retrying cannot help.
      if (ev.code === 4401) {
        connection.set('unauthorized');
        return;
      }
      connection.set('reconnecting');
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 8_000;
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    };
  };

  return {
    transport: 'http',
    connection,
    async call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<Result<HandlerOutput<K>>> {
      let res: Response;
      try {
        res = await fetch(new URL(`/api/control/${encodeURIComponent(name)}`, opts.base), {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        return {
          ok: false,
          error: { code: 'unavailable', message: `The node cannot be reached (${(e as Error).message}).`, reason: 'node_unreachable' },
        };
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // fall through: a non-JSON answer is reported below with its HTTP status
      }
      if (res.status === 401) connection.set('unauthorized');
      return (
        asResult<HandlerOutput<K>>(body) ?? {
          ok: false,
          error: {
            code: 'internal',
            message: `The node answered HTTP ${res.status} without a readable result.`,
            reason: 'bad_answer',
            params: { status: res.status },
          },
        }
      );
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as AnyListener;
      set.add(l);
      if (!socket && connection.get() !== 'unauthorized') connect();
      return () => set.delete(l);
    },
  };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, HandlerInput, HandlerName, HandlerOutput, Result } from '../../../preload/contract';
import { getApi } from './index';

/** An API error as a thrown Error: `message` is the node's English sentence, `error` the whole answer (reason, issues). */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }

  get code(): string {
    return this.error.code;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(result.error);
}

/** Calls a handler and returns its value, or throws ApiCallError. */
export async function callApi<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>> {
  return unwrap(await getApi().call(name, input));
}

export interface CallState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs a query on mount (and when `key` changes); stale answers are dropped. */
export function useCall<K extends HandlerName>(name: K, input: HandlerInput<K>, key = ''): CallState<HandlerOutput<K>> {
  const [state, setState] = useState<{ data?: HandlerOutput<K>; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    callApi(name, inputRef.current).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) =>
        live && setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [name, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

import { useEffect, useRef } from 'react';
import type { EventMap, EventName } from '../../../preload/contract';
import { getApi } from '../bridge';

/** Subscribes to one node event for the component's lifetime; the latest listener is always called. */
export function useNodeEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => getApi().on(event, (p) => ref.current(p)), [event]);
}

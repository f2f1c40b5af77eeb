import { EventEmitter } from 'node:events';
import type { EventMap, EventName } from '../../../preload/contract.js';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * The node's one event channel. UIs subscribe to everything (`onAny`) and forward it over IPC or
 * the control WebSocket; components subscribe to the events they care about.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly any = new Set<AnyEventListener>();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emitter.emit(event, payload);
    for (const l of this.any) {
      try {
        l(event, payload);
      } catch {
        // A broken subscriber (a closed socket) must not break the emitter's caller.
      }
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  onAny(listener: AnyEventListener): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }
}

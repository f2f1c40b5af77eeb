/**
 * Lets the event loop run (IPC, sockets, timers) between two slices of long synchronous work:
 * setImmediate runs after pending I/O callbacks, unlike a resolved promise.
 */
export const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

import type { EventEnvelope, EventMap, EventName, LogLine } from '../../preload/contract.js';

export interface ForwarderOptions {
  /** Sends one envelope to the window (webContents.send on IPC_EVENT_CHANNEL). */
  send(envelope: EventEnvelope): void;
  /** log.line envelopes sent at once per interval; the rest wait for the next interval. */
  logBurst?: number;
  intervalMs?: number;
  /** log.line envelopes kept waiting at most; beyond that they are dropped and counted. */
  logQueueMax?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?(): void };
}

export interface EventForwarder {
  forward<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Stops the timer and drops what is waiting (the window is gone). */
  close(): void;
  readonly dropped: number;
}

/**
 * Forwards every bus event to the window. Log lines can come in bursts of thousands (a failing
 * loop, a backfill at debug level); sending each over IPC would flood the renderer, so they are
 * rate-limited: `logBurst` per `intervalMs`, a bounded queue, then dropped with one warning line
 * telling the user the Logs screen (logs.tail) has them all. Other events pass straight through.
 */
export function createEventForwarder(opts: ForwarderOptions): EventForwarder {
  const burst = opts.logBurst ?? 100;
  const intervalMs = opts.intervalMs ?? 250;
  const queueMax = opts.logQueueMax ?? 1_000;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let sentThisInterval = 0;
  let timer: { unref?(): void } | undefined;
  let queue: LogLine[] = [];
  let droppedSinceNotice = 0;
  let lastDroppedId = 0;
  let droppedTotal = 0;
  let closed = false;

  const sendLog = (line: LogLine) => {
    sentThisInterval++;
    opts.send({ event: 'log.line', payload: line });
  };

  const tick = () => {
    timer = undefined;
    if (closed) return;
    sentThisInterval = 0;
    while (queue.length && sentThisInterval < burst) sendLog(queue.shift()!);
    if (droppedSinceNotice && sentThisInterval < burst) {
      sendLog({
        id: lastDroppedId,
        ts: Date.now(),
        level: 'warn',
        source: 'shell',
        message: `${droppedSinceNotice} log lines were not shown live during a burst; the Logs screen has them all.`,
      });
      droppedSinceNotice = 0;
    }
    if (queue.length || sentThisInterval > 0) arm();
  };

  const arm = () => {
    if (timer || closed) return;
    timer = setTimer(tick, intervalMs);
    timer.unref?.();
  };

  return {
    forward(event, payload) {
      if (closed) return;
      if (event !== 'log.line') {
        opts.send({ event, payload } as EventEnvelope);
        return;
      }
      const line = payload as LogLine;
      if (sentThisInterval < burst && queue.length === 0) {
        sendLog(line);
        arm();
      } else if (queue.length < queueMax) {
        queue.push(line);
        arm();
      } else {
        droppedSinceNotice++;
        droppedTotal++;
        lastDroppedId = line.id;
      }
    },
    close() {
      closed = true;
      queue = [];
    },
    get dropped() {
      return droppedTotal;
    },
  };
}

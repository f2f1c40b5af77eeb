/**
 * Waits for `work` at most `ms`: 'done' when it settled in time, 'late' when the deadline came
 * first. The work itself goes on (nothing here can cancel it); a failure after the deadline is
 * dropped rather than left unhandled, a failure before it is thrown to the caller. This is how the
 * node stops a part that waits on the network (create-node.ts, the collector's repair, the OKX
 * WebSocket's close handshake) without letting it hold up quitting.
 */
export async function withinDeadline(work: void | Promise<unknown>, ms: number): Promise<'done' | 'late'> {
  const guarded = Promise.resolve(work);
  guarded.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([guarded.then(() => 'done' as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

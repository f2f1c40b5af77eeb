/**
 * The WS host pool's failure counting: sockets cut together by one event are one failure, but a
 * host that accepts a socket and drops it at once, again and again, reaches "down" and the
 * sockets move to the next host. The pool's own clock; its probes never come due in the test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WsHostPool } from '../../main/node/okx/ws-host-pool.js';

const A = 'ws://127.0.0.1:9/a';
const B = 'ws://127.0.0.1:9/b';
const pools: WsHostPool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.close();
});

function pool() {
  let t = 1_000_000;
  const p = new WsHostPool({ hosts: () => [A, B], downAfter: 2, probeMs: 3_600_000, maxProbeMs: 3_600_000, now: () => t });
  pools.push(p);
  // A socket asks for its host before it connects; the pool learns its hosts then.
  expect(p.current()).toBe(A);
  return { p, at: (ms: number) => (t = ms), state: (u: string) => p.health().find((h) => h.url === u)!.state };
}

describe('WsHostPool failures', () => {
  it('counts sockets cut by one event once: the host is degraded, not down', () => {
    const { p, at, state } = pool();
    at(1_000_000);
    p.opened(A, 5);
    p.opened(A, 5);
    at(1_010_000);
    p.dropped(A, 10_000, 'restart');
    at(1_010_020);
    p.dropped(A, 10_020, 'restart');
    expect(state(A)).toBe('degraded');
    expect(p.current()).toBe(A);
  });

  it('a host that accepts and drops at once, twice, is down and the sockets go to the next one', () => {
    const { p, at, state } = pool();
    at(2_000_000);
    p.opened(A, 5);
    at(2_000_050);
    p.dropped(A, 50, 'closed by the server');
    at(2_000_060);
    p.opened(A, 5);
    at(2_000_110);
    p.dropped(A, 50, 'closed by the server');
    expect(state(A)).toBe('down');
    expect(p.current()).toBe(B);
  });
});

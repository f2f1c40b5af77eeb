// A derivatives stream's mode from its sockets and pushes (market/derivs/stream-mode.ts).
import { describe, expect, it } from 'vitest';
import { nextMode } from '../../main/node/market/derivs/stream-mode.js';

const W = 1_000_000;
const base = { current: 'ws' as const, hasRest: true, openedWalls: [W - 60_000], lastPushWall: W - 1_000, silenceMs: 15_000, wall: W };

describe('nextMode', () => {
  it('stays on WS while pushes are recent, goes to REST when they stop or a socket is down', () => {
    expect(nextMode(base)).toEqual({ mode: 'ws', up: true, fresh: true });
    expect(nextMode({ ...base, lastPushWall: W - 20_000 })).toEqual({ mode: 'rest', up: true, fresh: false });
    expect(nextMode({ ...base, openedWalls: [W - 60_000, null] })).toEqual({ mode: 'rest', up: false, fresh: false });
    expect(nextMode({ ...base, openedWalls: [] }).mode).toBe('rest');
  });

  it('gives a just-opened socket a silence to bring its first push; a down stream waits for a poll to succeed', () => {
    expect(nextMode({ ...base, current: 'rest', openedWalls: [W - 2_000], lastPushWall: W - 30_000 }).mode).toBe('ws');
    expect(nextMode({ ...base, current: 'rest', openedWalls: [W - 20_000], lastPushWall: W - 30_000 }).mode).toBe('rest');
    expect(nextMode({ ...base, current: 'down', openedWalls: [null] }).mode).toBe('down');
  });

  it('a stream without REST (liquidations) is WS while its socket is up, whatever the silence, else down', () => {
    const liq = { ...base, hasRest: false, silenceMs: null, lastPushWall: null };
    expect(nextMode(liq).mode).toBe('ws');
    expect(nextMode({ ...liq, openedWalls: [null] }).mode).toBe('down');
  });
});

import { describe, expect, it } from 'vitest';
import { BACKFILL_BARS } from '../../preload/contract/backfill.js';
import { barCeil, endpointFor, expectedOpens, splitWindows } from '../../main/node/okx/candle-pages.js';
import { OKX_BAR_NAMES } from '../../main/node/okx/bars.js';
import { SlotPacer } from '../../main/node/okx/pacer.js';

const H = 3_600_000;
const M30 = 30 * 60_000;
const T0 = Date.UTC(2026, 0, 3, 16); // 2026-01-04 00:00 UTC+8

describe('backfill page maths', () => {
  it('accepts exactly the OKX bar sizes the client knows', () => {
    expect([...BACKFILL_BARS].sort()).toEqual([...OKX_BAR_NAMES].sort());
  });

  it('splits a range into windows of at most 300 bars on the bar grid, covering it once', () => {
    const ws = splitWindows('BTC', '30m', T0 + 10 * 60_000, T0 + 14 * 24 * H);
    expect(ws[0]!.start).toBe(T0 + M30); // the first bar opening at or after `from`
    expect(ws.map((w) => (w.end - w.start) / M30)).toEqual([300, 300, 71]);
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.start).toBe(ws[i - 1]!.end);
    expect(ws.at(-1)!.end).toBe(T0 + 14 * 24 * H);
    // 1D bars open at 00:00 UTC+8, 1Dutc at 00:00 UTC.
    expect(barCeil('1D', T0 + 1)).toBe(T0 + 24 * H);
    expect(barCeil('1Dutc', T0)).toBe(T0 + 8 * H);
  });

  it('uses /market/candles only inside its 1,440-bar reach (less a safety margin), history beyond', () => {
    const now = T0 + 100 * 24 * H;
    expect(endpointFor('30m', now - 10 * 24 * H, now)).toBe('candles');
    expect(endpointFor('30m', now - 28 * 24 * H, now)).toBe('candles');
    expect(endpointFor('30m', now - 30 * 24 * H + M30, now)).toBe('historyCandles');
    expect(endpointFor('1H', now - 57 * 24 * H, now)).toBe('candles');
    expect(endpointFor('1m', now - 25 * H, now)).toBe('historyCandles');
  });

  it('expects bars from the listing bar on and up to the bar open now, never later ones', () => {
    const w = { coin: 'TAO', bar: '30m' as const, start: T0, end: T0 + 10 * M30 };
    expect(expectedOpens(w, null, T0 + 100 * H)).toHaveLength(10);
    // Listed at 02:10: the bar that opened at 02:00 exists, the four before it do not.
    expect(expectedOpens(w, T0 + 2 * H + 10 * 60_000, T0 + 100 * H)[0]).toBe(T0 + 4 * M30);
    // At 03:05 only the bars up to the one that opened at 03:00 can exist.
    expect(expectedOpens(w, null, T0 + 3 * H + 5 * 60_000)).toHaveLength(7);
  });
});

describe('SlotPacer', () => {
  it('never lets more than `cap` requests start within a window of any earlier answer, whatever the latency', async () => {
    const pacer = new SlotPacer(3, 150);
    const starts: number[] = [];
    const answers: number[] = [];
    const latencies = [5, 60, 5, 90, 5, 5, 40, 5, 5, 70];
    await Promise.all(
      latencies.map(async (ms) => {
        const slot = await pacer.acquire();
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, ms));
        answers.push(Date.now());
        pacer.release(slot);
      }),
    );
    starts.sort((a, b) => a - b);
    // Any 4 consecutive starts span more than one window: at most 3 per window at the receiver.
    for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThanOrEqual(150);
    expect(answers).toHaveLength(10);
  });

  it('rejects waiters when closed', async () => {
    const pacer = new SlotPacer(1, 10_000);
    await pacer.acquire();
    const waiting = pacer.acquire();
    expect(pacer.waiting).toBe(1);
    pacer.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
  });
});

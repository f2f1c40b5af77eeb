import { describe, expect, it } from 'vitest';
import {
  compact,
  contracts,
  depthFractions,
  fundingCountdown,
  fundingPct,
  oiChangePct,
  spreadOf,
  withPct,
} from '../../renderer/src/screens/coin/coin-format.js';

describe('Coin screen figures', () => {
  it('shows funding as a signed percent with four decimals', () => {
    expect(fundingPct(0.0001)).toBe('+0.0100');
    expect(fundingPct(-0.00003125)).toBe('−0.0031');
    expect(fundingPct(0)).toBe('0.0000');
    expect(fundingPct(null)).toBe('—');
    expect(withPct(fundingPct(0.0001))).toBe('+0.0100%');
    expect(withPct(fundingPct(null))).toBe('—');
  });

  it('counts down to the next funding as hh:mm:ss and stops at zero', () => {
    const next = Date.UTC(2026, 11, 3, 16, 0, 0);
    expect(fundingCountdown(next, next - (4 * 3600 + 5 * 60 + 9) * 1000)).toBe('04:05:09');
    expect(fundingCountdown(next, next - 999)).toBe('00:00:00');
    expect(fundingCountdown(next, next + 5_000)).toBe('00:00:00');
    expect(fundingCountdown(null, next)).toBeNull();
  });

  it('computes the 24 h OI change from a day-old value', () => {
    expect(oiChangePct(110, 100)).toBeCloseTo(10, 10);
    expect(oiChangePct(90, 100)).toBeCloseTo(-10, 10);
    expect(oiChangePct(100, 0)).toBeNull();
    expect(oiChangePct(null, 100)).toBeNull();
  });

  it('formats contracts and large amounts in the UI language', () => {
    expect(contracts(1_234_567.891)).toBe('1,234,567.89');
    expect(contracts(undefined)).toBe('—');
    expect(compact(12_300_000, 'en')).toBe('12.3M');
    expect(compact(12_300_000, 'zh-CN')).toBe('1230万');
  });

  it('takes the spread and depth bars from the top of the book', () => {
    const book = {
      bids: [
        { px: 99, sz: 1 },
        { px: 98, sz: 3 },
      ],
      asks: [
        { px: 101, sz: 2 },
        { px: 102, sz: 6 },
      ],
    };
    expect(spreadOf(book)).toEqual({ abs: 2, pct: 2 });
    expect(spreadOf({ bids: [], asks: book.asks })).toBeNull();
    // Cumulative: bids 1, 4; asks 2, 8 → fractions of 8.
    expect(depthFractions(book)).toEqual({ bids: [0.125, 0.5], asks: [0.25, 1] });
    expect(depthFractions({ bids: [], asks: [] })).toEqual({ bids: [], asks: [] });
  });
});

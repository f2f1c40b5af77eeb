import { describe, expect, it } from 'vitest';
import { DEFAULT_COINS } from '../../preload/contract/coins';
import { PRICE_TICKS, decimalsOfTick, priceDecimals } from '../../preload/contract/price-decimals';
import { defaultInstruments } from '../../main/node/simulator/instruments';
import { price, signClass, signedPct } from '../../renderer/src/lib/market-format';

describe('price decimals', () => {
  it('has the tick size of every default coin, equal to the instruments the simulator lists', () => {
    const sim = new Map(defaultInstruments().map((i) => [i.instId, i.tickSz]));
    for (const coin of DEFAULT_COINS) expect(PRICE_TICKS[coin], coin).toBe(sim.get(`${coin}-USDT-SWAP`));
  });

  it('keeps trailing zeros to the tick size', () => {
    expect(decimalsOfTick('0.001')).toBe(3);
    expect(decimalsOfTick('1')).toBe(0);
    expect(price(3, 'TON')).toBe('3.000');
    expect(price(100, 'SOL')).toBe('100.00');
    expect(price(95_000, 'BTC')).toBe('95,000.0');
    expect(price(0.2, 'DOGE')).toBe('0.20000');
  });

  it('derives decimals from the price for a coin without a known tick', () => {
    expect(priceDecimals('PEPE', 0.00001234)).toBe(8);
    expect(priceDecimals(undefined, 2.5)).toBe(4);
    expect(price(null, 'BTC')).toBe('—');
  });

  it('shows a change that rounds to zero as neutral zero', () => {
    expect(signedPct(-0.001)).toBe('0.00');
    expect(signClass(-0.001)).toBe('');
    expect(signClass(0)).toBe('');
    expect(signClass(0.01)).toBe('up');
    expect(signClass(-0.01)).toBe('down');
  });
});

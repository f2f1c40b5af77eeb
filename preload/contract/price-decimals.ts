/**
 * Price tick sizes (OKX /public/instruments `tickSz`) of the default coins' USDT perpetuals, so
 * every screen shows a price with the decimals the exchange quotes it in ("3.200", not "3.2").
 * tests/unit/price-decimals.test.ts keeps this table equal to the simulator's instruments.
 */
export const PRICE_TICKS: Readonly<Record<string, string>> = {
  BTC: '0.1',
  ETH: '0.01',
  XRP: '0.0001',
  BNB: '0.01',
  SOL: '0.01',
  LTC: '0.01',
  DOGE: '0.00001',
  SUI: '0.0001',
  TRX: '0.00001',
  TON: '0.001',
  ETC: '0.001',
  BCH: '0.01',
  HBAR: '0.00001',
  XLM: '0.00001',
  FIL: '0.001',
  LINK: '0.001',
  CRO: '0.00001',
  DOT: '0.001',
  UNI: '0.001',
  NEAR: '0.001',
  APT: '0.001',
  CFX: '0.00001',
  CRV: '0.0001',
  STX: '0.0001',
  LDO: '0.0001',
  TAO: '0.01',
  AAVE: '0.01',
};

/** Decimals of a tick size string: '0.001' → 3, '1' → 0. */
export const decimalsOfTick = (tick: string): number => (tick.includes('.') ? tick.length - tick.indexOf('.') - 1 : 0);

/**
 * The decimals a coin's price is shown with: its tick size when known, else about five significant
 * digits from the price itself (OKX's ticks are roughly 1/10,000 of the price).
 */
export function priceDecimals(coin: string | undefined, price: number): number {
  const tick = coin === undefined ? undefined : PRICE_TICKS[coin];
  if (tick !== undefined) return decimalsOfTick(tick);
  const abs = Math.abs(price);
  if (!Number.isFinite(abs) || abs === 0) return 2;
  return Math.min(8, Math.max(1, 4 - Math.floor(Math.log10(abs))));
}

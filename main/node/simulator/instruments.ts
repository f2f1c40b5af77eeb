/**
 * The simulator's instrument list: our 27 coins as `<COIN>-USDT-SWAP`, plus a few others OKX also
 * lists (two inverse swaps, two extra linear ones) so consumers have to filter, as with the real
 * `/market/tickers?instType=SWAP`. Contract sizes and tick sizes follow the recorded 2022/2025
 * instrument payloads where we have them; the rest, and the centre prices, are loosely realistic.
 */
export interface SimInstrument {
  instId: string;
  /** Base coin (ctValCcy for linear swaps). */
  coin: string;
  ctType: 'linear' | 'inverse';
  settleCcy: string;
  ctValCcy: string;
  ctVal: string;
  tickSz: string;
  lotSz: string;
  lever: string;
  /** Listing time (ms). No candles, tickers or instrument row exist before it. */
  listTime: number;
  /** Price the fractal walk wanders around (its geometric centre). */
  centerPrice: number;
  /** Standard deviation of the 1-minute log return, roughly. */
  sigma: number;
  /** Typical traded value per minute in USD, for volumes. */
  usdPerMinute: number;
  instIdCode: number;
}

const T2019 = 1573557408000; // BTC/ETH-USDT-SWAP listTime in the 2025 fixture
const T2021 = 1611916828000; // most 2022-fixture rows
const d = (iso: string): number => Date.parse(iso);

type Row = [coin: string, ctVal: string, tickSz: string, lotSz: string, listTime: number, center: number, sigma: number, usdPerMin: number];

// coin, ctVal, tickSz, lotSz, listTime, centre price, 1m sigma, USD per minute
const LINEAR: Row[] = [
  ['BTC', '0.01', '0.1', '0.01', T2019, 95_000, 0.0006, 6_000_000],
  ['ETH', '0.1', '0.01', '0.01', T2019, 3_400, 0.0008, 3_000_000],
  ['XRP', '100', '0.0001', '1', T2021, 2.3, 0.001, 600_000],
  ['BNB', '0.01', '0.01', '1', d('2022-09-06T08:00:00Z'), 640, 0.0008, 150_000],
  ['SOL', '1', '0.01', '1', T2021, 170, 0.001, 900_000],
  ['LTC', '1', '0.01', '1', T2021, 95, 0.001, 120_000],
  ['DOGE', '1000', '0.00001', '1', T2021, 0.2, 0.0011, 500_000],
  ['SUI', '1', '0.0001', '1', d('2023-05-03T10:00:00Z'), 3.4, 0.0012, 300_000],
  ['TRX', '1000', '0.00001', '1', T2021, 0.25, 0.0007, 80_000],
  ['TON', '1', '0.001', '1', d('2022-06-16T08:00:00Z'), 3.2, 0.0011, 100_000],
  ['ETC', '10', '0.001', '1', T2021, 20, 0.001, 60_000],
  ['BCH', '0.1', '0.01', '1', T2021, 430, 0.001, 70_000],
  ['HBAR', '100', '0.00001', '1', d('2022-07-21T08:00:00Z'), 0.2, 0.0012, 60_000],
  ['XLM', '100', '0.00001', '1', T2021, 0.33, 0.001, 50_000],
  ['FIL', '0.1', '0.001', '1', T2021, 3, 0.0011, 60_000],
  ['LINK', '1', '0.001', '1', T2021, 17, 0.001, 150_000],
  ['CRO', '10', '0.00001', '1', 1617872003000, 0.1, 0.0011, 30_000],
  ['DOT', '1', '0.001', '1', T2021, 4.2, 0.001, 80_000],
  ['UNI', '1', '0.001', '1', T2021, 8, 0.0011, 60_000],
  ['NEAR', '10', '0.001', '1', T2021, 2.7, 0.0011, 70_000],
  ['APT', '1', '0.001', '1', d('2022-10-19T08:00:00Z'), 5, 0.0012, 60_000],
  ['CFX', '10', '0.00001', '1', 1615542950000, 0.14, 0.0013, 30_000],
  ['CRV', '1', '0.0001', '1', T2021, 0.7, 0.0013, 50_000],
  ['STX', '10', '0.0001', '1', d('2023-03-30T08:00:00Z'), 0.7, 0.0013, 20_000],
  ['LDO', '1', '0.0001', '1', d('2022-06-14T08:00:00Z'), 1.1, 0.0013, 40_000],
  ['TAO', '0.1', '0.01', '1', d('2024-04-11T08:00:00Z'), 400, 0.0014, 60_000],
  ['AAVE', '0.1', '0.01', '1', T2021, 270, 0.0012, 80_000],
  // Not in our coin list: present so consumers must filter by instId.
  ['ADA', '100', '0.0001', '1', T2021, 0.7, 0.0011, 120_000],
  ['AVAX', '1', '0.001', '1', T2021, 25, 0.0012, 100_000],
];

function buildInstruments(): SimInstrument[] {
  const list: SimInstrument[] = LINEAR.map(([coin, ctVal, tickSz, lotSz, listTime, centerPrice, sigma, usdPerMinute], i) => ({
    instId: `${coin}-USDT-SWAP`,
    coin,
    ctType: 'linear',
    settleCcy: 'USDT',
    ctValCcy: coin,
    ctVal,
    tickSz,
    lotSz,
    lever: coin === 'BTC' || coin === 'ETH' ? '100' : '50',
    listTime,
    centerPrice,
    sigma,
    usdPerMinute,
    instIdCode: 10459 + i * 3,
  }));
  // Inverse (coin-margined) swaps: ctVal in USD, settled in the coin.
  list.push(
    {
      instId: 'BTC-USD-SWAP',
      coin: 'BTC',
      ctType: 'inverse',
      settleCcy: 'BTC',
      ctValCcy: 'USD',
      ctVal: '100',
      tickSz: '0.1',
      lotSz: '1',
      lever: '100',
      listTime: 1535424203000,
      centerPrice: 95_000,
      sigma: 0.0006,
      usdPerMinute: 1_000_000,
      instIdCode: 10458,
    },
    {
      instId: 'ETH-USD-SWAP',
      coin: 'ETH',
      ctType: 'inverse',
      settleCcy: 'ETH',
      ctValCcy: 'USD',
      ctVal: '10',
      tickSz: '0.01',
      lotSz: '1',
      lever: '100',
      listTime: 1535424203000,
      centerPrice: 3_400,
      sigma: 0.0008,
      usdPerMinute: 500_000,
      instIdCode: 10460,
    },
  );
  return list;
}

/** A fresh copy of the default instrument list (callers may change listTime etc.). */
export function defaultInstruments(): SimInstrument[] {
  return buildInstruments();
}

/** Accepts a coin ("BTC" → BTC-USDT-SWAP) or a full instId. */
export function toInstId(coinOrInstId: string): string {
  return coinOrInstId.includes('-') ? coinOrInstId : `${coinOrInstId}-USDT-SWAP`;
}

/** Roughly how many USDT-margined perpetuals OKX lists (2025): what OKX001 has to carry. */
export const OKX_USDT_SWAPS = 250;

/** Deterministic [0, 1) from a name (FNV-1a), so the same list comes back on every start. */
const unit = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 4294967296;
};

/**
 * The default list plus synthetic `<NAME>-USDT-SWAP` instruments up to `usdtSwaps` USDT swaps, for
 * OKX001 at the real exchange's breadth. No recording of OKX's full SWAP tickers or instruments is
 * available (shared/fixtures/okx/SOURCES.md: the 2022 instruments body was trimmed to 19 rows), so
 * the extra rows are made up: names `Z000`…, prices log-uniform from 0.0001 to 500 with a tick of
 * about 1/10,000 of the price, and smaller volumes than the majors, as the long tail is.
 */
export function marketInstruments(usdtSwaps = OKX_USDT_SWAPS): SimInstrument[] {
  const list = buildInstruments();
  const have = list.filter((i) => i.instId.endsWith('-USDT-SWAP')).length;
  for (let n = 0; n < usdtSwaps - have; n++) {
    const coin = `Z${n.toString().padStart(3, '0')}`;
    const centerPrice = Number((10 ** (-4 + unit(`${coin}|px`) * 6.7)).toPrecision(4));
    const decimals = Math.max(0, Math.min(8, 4 - Math.floor(Math.log10(centerPrice))));
    list.push({
      instId: `${coin}-USDT-SWAP`,
      coin,
      ctType: 'linear',
      settleCcy: 'USDT',
      ctValCcy: coin,
      ctVal: String(10 ** Math.max(0, Math.round(-Math.log10(centerPrice)) + 1)),
      tickSz: decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`,
      lotSz: '1',
      lever: '50',
      listTime: T2021 + Math.floor(unit(`${coin}|list`) * 4 * 365) * 86_400_000,
      centerPrice,
      sigma: 0.0012 + unit(`${coin}|sigma`) * 0.001,
      usdPerMinute: Math.round(2_000 * 10 ** (unit(`${coin}|vol`) * 2)),
      instIdCode: 20_000 + n,
    });
  }
  return list;
}

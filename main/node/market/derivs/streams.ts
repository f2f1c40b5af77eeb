/**
 * The six derivatives streams: what each subscribes to, how it reads a push item, how it falls
 * back to REST and how often (okx-v5.md §3.4–3.8, §4.1, §4.6–4.7). A spec is data plus pure
 * handlers; DerivsCollector runs them.
 */
import type { DerivStreamName } from '../../../../preload/contract/market.js';
import { coinOfInstId, instIdOf } from '../../../../preload/contract/coins.js';
import type { z } from 'zod';
import {
  OkxBookSchema,
  OkxFundingRateSchema,
  OkxLiquidationSchema,
  OkxMarkPriceSchema,
  OkxOpenInterestSchema,
} from '../../okx/deriv-schemas.js';
import type { OkxDerivRest } from '../../okx/deriv-rest.js';
import type { OkxRestClient } from '../../okx/rest-client.js';
import { OkxTickerSchema, type OkxWsAnyArg, type OkxWsSubArg } from '../../okx/schemas.js';
import type { DerivsSink } from './derivs-sink.js';

export interface StreamContext {
  sink: DerivsSink;
  rest: OkxRestClient;
  deriv: OkxDerivRest;
  /** The coins in settings. */
  coins(): readonly string[];
  /** Every USDT swap OKX lists (for OKX001), or the coins' instIds until the list is known. */
  swaps(): readonly string[];
}

export interface StreamSpec {
  name: DerivStreamName;
  channel: string;
  args(ctx: StreamContext): OkxWsSubArg[];
  /** No push for this long (socket up) means silent: REST takes over. Null: no REST source. */
  silenceMs: number | null;
  /** REST poll period while in fallback. */
  pollMs: number;
  /** Reads one push's data items; returns how many were malformed (each is dropped). */
  onPush(ctx: StreamContext, arg: OkxWsAnyArg, data: unknown[]): number;
  /** One REST poll (throws OkxError). */
  poll?(ctx: StreamContext): Promise<void>;
}

/** Parses each item; valid ones go to `use`, the rest are counted. */
function each<S extends z.ZodType>(schema: S, data: unknown[], use: (v: z.output<S>) => void): number {
  let bad = data.length === 0 ? 1 : 0; // a push without rows is partial
  for (const item of data) {
    const r = schema.safeParse(item);
    if (r.success) use(r.data);
    else bad++;
  }
  return bad;
}

const wanted = (ctx: StreamContext) => new Set(ctx.coins());
/** The coin of a row if it is one of ours. */
const ours = (ctx: StreamContext, instId: string | undefined): string | null => {
  const c = instId ? coinOfInstId(instId) : null;
  return c && wanted(ctx).has(c) ? c : null;
};
const perCoin = (channel: string) => (ctx: StreamContext) => ctx.coins().map((c) => ({ channel, instId: instIdOf(c) }));

// One writer per stream, shared by its push and its REST poll (the rows have the same shape).
type Row<S extends z.ZodType> = z.output<S>;
const storeMark = (ctx: StreamContext, m: Row<typeof OkxMarkPriceSchema>) => {
  const coin = ours(ctx, m.instId);
  if (coin) ctx.sink.markPrice(coin, m.markPx, m.ts);
};
const storeFunding = (ctx: StreamContext, f: Row<typeof OkxFundingRateSchema>) => {
  const coin = ours(ctx, f.instId);
  if (coin) ctx.sink.funding(coin, f.fundingTime, f.fundingRate, null);
};
const storeOi = (ctx: StreamContext, o: Row<typeof OkxOpenInterestSchema>) => {
  const coin = ours(ctx, o.instId);
  if (coin) ctx.sink.openInterest(coin, o.oi, o.oiCcy ?? null, o.oiUsd ?? null, o.ts);
};

export const STREAM_SPECS: readonly StreamSpec[] = [
  {
    name: 'markPrice',
    channel: 'mark-price',
    args: perCoin('mark-price'),
    // OKX pushes at least every 10 s even when the price stands still.
    silenceMs: 15_000,
    pollMs: 3_000,
    onPush: (ctx, _arg, data) => each(OkxMarkPriceSchema, data, (m) => storeMark(ctx, m)),
    async poll(ctx) {
      for (const m of await ctx.deriv.markPrices()) storeMark(ctx, m);
    },
  },
  {
    name: 'fundingRate',
    channel: 'funding-rate',
    args: perCoin('funding-rate'),
    // Pushes come every 30–90 s.
    silenceMs: 120_000,
    pollMs: 60_000,
    onPush: (ctx, _arg, data) => each(OkxFundingRateSchema, data, (f) => storeFunding(ctx, f)),
    async poll(ctx) {
      for (const f of await ctx.deriv.fundingRates()) storeFunding(ctx, f);
    },
  },
  {
    name: 'openInterest',
    channel: 'open-interest',
    args: perCoin('open-interest'),
    // Pushed every 3 s when it changes; a minute without any change across a coin is unusual.
    silenceMs: 60_000,
    pollMs: 30_000,
    onPush: (ctx, _arg, data) => each(OkxOpenInterestSchema, data, (o) => storeOi(ctx, o)),
    async poll(ctx) {
      for (const o of await ctx.deriv.openInterest()) storeOi(ctx, o);
    },
  },
  {
    name: 'books5',
    channel: 'books5',
    args: perCoin('books5'),
    // OKX resends an unchanged book every 60 s; busy books push several times a second.
    silenceMs: 15_000,
    pollMs: 3_000,
    onPush: (ctx, arg, data) =>
      each(OkxBookSchema, data, (b) => {
        const coin = ours(ctx, b.instId ?? arg.instId);
        if (coin) ctx.sink.book(coin, b.ts, b.bids, b.asks);
      }),
    async poll(ctx) {
      // One call per coin (40 per 2 s): the paced queue spreads them.
      await Promise.all(
        ctx.coins().map(async (coin) => {
          const b = await ctx.deriv.books(instIdOf(coin), 5);
          if (b) ctx.sink.book(coin, b.ts, b.bids, b.asks);
        }),
      );
    },
  },
  {
    name: 'liquidations',
    channel: 'liquidation-orders',
    // One arg by instType covers every perpetual; rows of other coins are dropped.
    args: () => [{ channel: 'liquidation-orders', instType: 'SWAP' }],
    // Liquidations can be rare for minutes, and OKX documents no REST source (§3.9).
    silenceMs: null,
    pollMs: 0,
    onPush: (ctx, _arg, data) =>
      each(OkxLiquidationSchema, data, (l) => {
        const coin = ours(ctx, l.instId);
        if (!coin) return;
        for (const d of l.details) ctx.sink.liquidation(coin, d.ts, d.side, d.bkPx, d.sz, d.posSide ?? null, d.bkLoss ?? null);
      }),
  },
  {
    name: 'swapTickers',
    channel: 'tickers',
    args: (ctx) => ctx.swaps().map((instId) => ({ channel: 'tickers', instId })),
    silenceMs: 15_000,
    pollMs: 5_000,
    // The socket client already parses tickers pushes (a bad one arrives as malformed); this reads raw rows.
    onPush: (ctx, _arg, data) =>
      each(OkxTickerSchema, data, (t) => {
        if (t.instId.endsWith('-USDT-SWAP')) ctx.sink.swapTicker(t);
      }),
    async poll(ctx) {
      for (const t of await ctx.rest.tickers('SWAP')) if (t.instId.endsWith('-USDT-SWAP')) ctx.sink.swapTicker(t);
    },
  },
];

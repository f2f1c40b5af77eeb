import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { BaselineMismatch, CoinFreshness, LiveRow, StoredPrice } from '../../../../preload/contract';
import { CoinFilter, coinMatches, coinWords } from '../../components/CoinFilter';
import { SortableHeaderRows } from '../../components/SortableHeader';
import { useT } from '../../i18n';
import { age, price, signClass, signedPct, utc8DateTime, utc8Time } from '../../lib/market-format';
import { useSortedTable } from '../../components/use-sorted-table';
import { hrefOf } from '../../router';
import { contracts, fundingPct, withPct } from '../coin/coin-format';
import type { Derivs } from './use-derivatives';

/** A tick older than this is shown as stale (the collector falls back to REST well before). */
const STALE_MS = 30_000;

interface Props {
  coins: string[];
  rows: ReadonlyMap<string, LiveRow>;
  /** Stored PT001 (synced from peers): shown for a coin with no live tick on this node. */
  stored: ReadonlyMap<string, StoredPrice>;
  freshness: ReadonlyMap<string, CoinFreshness>;
  mismatches: ReadonlyMap<string, BaselineMismatch>;
  /** Funding rate and open interest per coin (market.coin), when the node collects them. */
  derivs: ReadonlyMap<string, Derivs>;
  /** Local now minus the exchange clock offset: ages are measured on the exchange's clock. */
  exchangeNow: number;
}

interface Row {
  coin: string;
  live: LiveRow | undefined;
  /** The stored row, for a coin without a live tick here. */
  st: StoredPrice | undefined;
  r: LiveRow | StoredPrice | undefined;
  f: CoinFreshness | undefined;
  m: BaselineMismatch | undefined;
  d: Derivs | undefined;
  ageMs: number | undefined;
}

const col = createColumnHelper<Row>();
/** Sort keys; undefined (no value yet) sorts last in both directions. */
const num = (v: number | null | undefined): number | undefined => (v === null ? undefined : v);
const NUMERIC = { sortUndefined: 'last', sortDescFirst: false } as const;

/** Funding as a signed percent, coloured by sign at the four decimals shown. */
const fundingCell = (rate: number | null | undefined) => withPct(fundingPct(rate));
const fundingClass = (rate: number | null | undefined) => signClass(rate === null || rate === undefined ? null : rate * 100, 4);

/** Header cells that hold numbers are right-aligned like their cells. */
const NUM_COLS = new Set(['price', 'change', 'age', 'funding', 'oi']);

/**
 * One row per selected coin: live price and change %, how fresh it is, and its baseline check;
 * sortable, filtered by coin. A coin with no live tick here shows its stored row instead (price,
 * change %, baseline synced from a peer).
 */
export function CoinTable({ coins, rows, stored, freshness, mismatches, derivs, exchangeNow }: Props) {
  const t = useT();
  const [filter, setFilter] = useState('');
  const words = useMemo(() => coinWords(filter), [filter]);

  const data = useMemo<Row[]>(
    () =>
      coins
        .filter((c) => coinMatches(words, c))
        .map((coin) => {
          const live = rows.get(coin);
          const st = live ? undefined : stored.get(coin);
          const r = live ?? st;
          const f = freshness.get(coin);
          const tickTs = r?.ts ?? f?.lastTickTs ?? null;
          return {
            coin,
            live,
            st,
            r,
            f,
            m: mismatches.get(coin),
            d: derivs.get(coin),
            ageMs: tickTs === null ? undefined : exchangeNow - tickTs,
          };
        }),
    [coins, words, rows, stored, freshness, mismatches, derivs, exchangeNow],
  );

  const columns = useMemo(
    () => [
      col.accessor('coin', { header: () => t('ov.col.coin') }),
      col.accessor((x) => num(x.r?.price), { id: 'price', header: () => t('ov.col.price'), ...NUMERIC }),
      col.accessor((x) => num(x.r?.changePct), { id: 'change', header: () => t('ov.col.change'), ...NUMERIC }),
      col.accessor('ageMs', { id: 'age', header: () => t('ov.col.age'), ...NUMERIC }),
      col.accessor((x) => x.r?.source ?? x.f?.source ?? undefined, {
        id: 'source',
        header: () => t('ov.col.source'),
        sortUndefined: 'last',
      }),
      col.accessor((x) => num(x.f?.lastGridTs), { id: 'lastGrid', header: () => t('ov.col.lastGrid'), ...NUMERIC }),
      col.accessor((x) => num(x.m ? x.m.computed : x.r?.baseline), { id: 'baseline', header: () => t('ov.col.baseline'), ...NUMERIC }),
      col.accessor((x) => num(x.d?.fundingRate), { id: 'funding', header: () => t('ov.col.funding'), ...NUMERIC }),
      col.accessor((x) => num(x.d?.openInterest), { id: 'oi', header: () => t('ov.col.oi'), ...NUMERIC }),
    ],
    [t],
  );
  const { table: table } = useSortedTable({ data: data, columns, getRowId: (x) => x.coin });

  return (
    <section className="panel">
      <div className="table-head">
        <h2>{t('ov.coins')}</h2>
        <CoinFilter value={filter} onChange={setFilter} testId="coin-filter" />
      </div>
      <div className="coin-table-wrap">
        <table className="table coin-table" data-testid="coin-table">
          <thead>
            <SortableHeaderRows
              groups={table.getHeaderGroups()}
              testIdPrefix="coin-sort"
              className={(id) => (NUM_COLS.has(id) ? 'num' : undefined)}
            />
          </thead>
          <tbody>
            {table.getRowModel().rows.map(({ original: { coin, live, st, r, f, m, d, ageMs } }) => (
              <tr key={coin} data-testid={`coin-row-${coin}`} data-coin={coin} data-origin={live ? 'live' : st ? 'stored' : 'none'}>
                <td className="coin">
                  <a className="coin-link" href={hrefOf('coin', coin)} title={t('coin.open', { coin })} data-testid={`coin-link-${coin}`}>
                    {coin}
                  </a>
                </td>
                <td className="num mono">{price(r?.price, coin)}</td>
                <td className={`num mono ${signClass(r?.changePct)}`}>{signedPct(r?.changePct)}</td>
                <td className={`num${ageMs !== undefined && ageMs > STALE_MS ? ' warn-text' : ''}`}>{age(ageMs)}</td>
                {st ? (
                  <td
                    className="muted"
                    data-testid={`coin-source-${coin}`}
                    title={t('ov.storedAt', { time: utc8DateTime(st.updatedAt), source: st.source })}
                  >
                    {st.peer ? t('ov.fromPeer', { name: st.peer.name }) : st.local ? t('ov.storedLocal') : t('ov.fromPeerUnknown')}
                  </td>
                ) : (
                  <td className="muted">{r?.source ?? f?.source ?? '—'}</td>
                )}
                <td className="muted" title={f?.lastGridTs ? utc8DateTime(f.lastGridTs) : undefined}>
                  {f?.lastGridTs ? utc8Time(f.lastGridTs) : '—'}
                </td>
                <td>
                  {m ? (
                    <span
                      className="badge badge-error"
                      data-testid={`mismatch-${coin}`}
                      title={t('ov.mismatch', {
                        computed: price(m.computed, coin),
                        sod: price(m.sodUtc8, coin),
                        diff: signedPct(m.diffPct, 3),
                      })}
                    >
                      ⚠ {t('ov.mismatchShort')} {price(m.computed, coin)} / {price(m.sodUtc8, coin)} ({signedPct(m.diffPct, 3)}%)
                    </span>
                  ) : (
                    <span className="muted" title={live?.baselineSource === 'sodUtc8' ? t('ov.baselineSod') : undefined}>
                      {price(r?.baseline, coin)}
                      {live?.baselineSource === 'sodUtc8' ? ' *' : ''}
                    </span>
                  )}
                </td>
                <td className={`num mono ${fundingClass(d?.fundingRate)}`} data-testid={`coin-funding-${coin}`}>
                  {fundingCell(d?.fundingRate)}
                </td>
                <td
                  className="num mono"
                  data-testid={`coin-oi-${coin}`}
                  title={
                    d?.oiChange24hPct !== null && d?.oiChange24hPct !== undefined
                      ? t('coin.oiChange', { pct: signedPct(d.oiChange24hPct) })
                      : undefined
                  }
                >
                  {contracts(d?.openInterest)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.length === 0 && coins.length > 0 && (
          <p className="muted pad" data-testid="coin-no-match">
            {t('table.noCoinMatch', { filter })}
          </p>
        )}
      </div>
    </section>
  );
}

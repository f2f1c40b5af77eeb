import { createColumnHelper } from '@tanstack/react-table';
import { memo, useMemo } from 'react';
import type { DayTable } from '../../../../preload/contract';
import { SortableHeaderRows } from '../../components/SortableHeader';
import { useT, type MessageKey } from '../../i18n';
import { price, signClass, signedPct, tint } from '../../lib/market-format';
import { useSortedTable } from '../../components/use-sorted-table';
import { hrefOf } from '../../router';

interface Props {
  table: DayTable;
  coins: string[];
  mode: 'change' | 'price';
}

type DayRow = DayTable['rows'][number];
const col = createColumnHelper<DayRow>();
/** Sort keys; a missing value sorts last in both directions. */
const num = (v: number | null | undefined): number | undefined => (v === null ? undefined : v);
const NUMERIC = { sortUndefined: 'last', sortDescFirst: false } as const;

/** A tint as an image over the cell's opaque colour, so a pinned cell hides what scrolls beneath it. */
const overlay = (c: string | undefined) => (c ? { backgroundImage: `linear-gradient(${c}, ${c})` } : undefined);

/**
 * 48 rows × coins + coverage + sum, sortable by any column (time ascending until a header is
 * clicked). The header, the Time column (left) and the Sum column (right) stay put while scrolling.
 */
export const HistoryTable = memo(function HistoryTable({ table, coins, mode }: Props) {
  const t = useT();
  const cols = useMemo(() => coins.map((c) => table.coins.indexOf(c)).filter((i) => i >= 0), [coins, table]);
  // Colour intensity scales with the day's largest move, so a calm day still shows its shape.
  const scale = useMemo(() => {
    let m = 0;
    for (const r of table.rows) for (const v of r.changes) if (v !== null && Math.abs(v) > m) m = Math.abs(v);
    return m;
  }, [table]);
  const sumScale = useMemo(() => Math.max(0, ...table.rows.map((r) => Math.abs(r.sum ?? 0))), [table]);

  const columns = useMemo(
    () => [
      col.accessor('ts', { id: 'time', header: () => t('hist.time'), sortDescFirst: false }),
      ...cols.map((i) =>
        col.accessor((r) => num(mode === 'change' ? r.changes[i] : r.prices[i]), {
          id: `coin-${table.coins[i] ?? i}`,
          header: () => table.coins[i],
          ...NUMERIC,
        }),
      ),
      col.accessor('covered', { id: 'coverage', header: () => t('hist.coverage'), ...NUMERIC }),
      col.accessor((r) => num(r.sum), { id: 'sum', header: () => t('hist.sum'), ...NUMERIC }),
    ],
    [t, cols, mode, table],
  );
  const { table: rt } = useSortedTable({ data: table.rows, columns, getRowId: (r) => String(r.ts) });

  const headClass = (id: string) => (id === 'time' ? 'sticky-col' : id === 'sum' ? 'sum-col' : undefined);
  const headTitle = (id: string) => {
    const i = id.startsWith('coin-') ? table.coins.indexOf(id.slice(5)) : -1;
    return i >= 0 ? `${t('hist.baseline')}: ${price(table.baselines[i], table.coins[i])}` : undefined;
  };

  // A coin column links to that coin's screen beside its sort button (a link inside a button is not allowed).
  const headLink = (id: string) => {
    const coin = id.startsWith('coin-') ? id.slice(5) : null;
    return coin ? (
      <a
        className="hist-coin-link"
        href={hrefOf('coin', coin)}
        title={t('coin.open', { coin })}
        aria-label={t('coin.open', { coin })}
        data-testid={`hist-open-${coin}`}
      >
        ↗
      </a>
    ) : null;
  };

  return (
    <div className="hist-wrap">
      <table className="hist-table" data-testid="hist-table">
        <thead>
          <SortableHeaderRows
            groups={rt.getHeaderGroups()}
            testIdPrefix="hist-sort"
            className={headClass}
            title={headTitle}
            after={headLink}
          />
        </thead>
        <tbody>
          {rt.getRowModel().rows.map(({ original: r }) => (
            <tr key={r.ts} data-testid="hist-row" data-ts={r.ts}>
              <th className="sticky-col mono">{r.time}</th>
              {cols.map((i) => {
                const reason = r.missing[i];
                if (reason || r.prices[i] === null) {
                  const why = t(`missing.${reason ?? 'not_collected'}` as MessageKey);
                  return (
                    <td key={i} className="missing" title={t('missing.title', { reason: why })} data-missing={reason ?? 'not_collected'}>
                      ·
                    </td>
                  );
                }
                const ch = r.changes[i] ?? null;
                return (
                  <td
                    key={i}
                    className={mode === 'change' ? signClass(ch) : ''}
                    style={{ background: tint(ch, scale) }}
                    title={`${table.coins[i]} ${r.time} · ${price(r.prices[i], table.coins[i])} · ${signedPct(ch)}%`}
                  >
                    {mode === 'change' ? signedPct(ch) : price(r.prices[i], table.coins[i])}
                  </td>
                );
              })}
              <td className={r.complete ? 'muted' : 'warn-text'}>
                {r.covered}/{r.total}
              </td>
              <td className={`sum-col ${signClass(r.sum)}`} style={overlay(tint(r.sum, sumScale))} data-testid="hist-sum">
                {signedPct(r.sum)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

import { memo, useMemo } from 'react';
import type { DayTable } from '../../../../preload/contract';
import { useT, type MessageKey } from '../../i18n';
import { price, signClass, signedPct, tint } from '../../lib/market-format';

interface Props {
  table: DayTable;
  coins: string[];
  mode: 'change' | 'price';
}

/** 48 rows × coins + sum + coverage; header and time column stay put while scrolling. */
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

  return (
    <div className="hist-wrap">
      <table className="hist-table" data-testid="hist-table">
        <thead>
          <tr>
            <th className="sticky-col">{t('hist.time')}</th>
            {cols.map((i) => (
              <th key={table.coins[i]} title={`${t('hist.baseline')}: ${price(table.baselines[i], table.coins[i])}`}>
                {table.coins[i]}
              </th>
            ))}
            <th className="sum-col">{t('hist.sum')}</th>
            <th>{t('hist.coverage')}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
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
              <td className={`sum-col ${signClass(r.sum)}`} style={{ background: tint(r.sum, sumScale) }} data-testid="hist-sum">
                {signedPct(r.sum)}
              </td>
              <td className={r.complete ? 'muted' : 'warn-text'}>
                {r.covered}/{r.total}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

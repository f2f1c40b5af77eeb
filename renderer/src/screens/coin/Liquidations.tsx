import type { LiquidationList } from '../../../../preload/contract';
import { useT } from '../../i18n';
import { price, utc8Time } from '../../lib/market-format';
import { contracts } from './coin-format';

/** At most this many rows: the panel is a glance, not a log. */
const SHOWN = 12;

/** The coin's liquidations of the last 24 h, newest first; 'sell' closes a long, 'buy' a short. */
export function Liquidations({ coin, list }: { coin: string; list: LiquidationList | null }) {
  const t = useT();
  const rows = list?.rows.slice(0, SHOWN) ?? [];
  return (
    <section className="panel coin-liq" data-testid="coin-liq" data-rows={list?.rows.length ?? 0}>
      <h2>{t('coin.liq')}</h2>
      {list && rows.length === 0 ? (
        <p className="muted">{t('coin.liq.empty', { coin })}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('coin.liq.time')}</th>
              <th>{t('coin.liq.side')}</th>
              <th className="num">{t('coin.liq.px')}</th>
              <th className="num">{t('coin.liq.sz')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l, i) => (
              <tr key={`${l.ts}-${i}`} data-testid="liq-row">
                <td className="mono">{utc8Time(l.ts)}</td>
                <td className={l.side === 'sell' ? 'down' : 'up'}>{t(l.side === 'sell' ? 'coin.liq.long' : 'coin.liq.short')}</td>
                <td className="num mono">{price(l.px, coin)}</td>
                <td className="num mono">{contracts(l.sz)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

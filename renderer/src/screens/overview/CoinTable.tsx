import type { BaselineMismatch, CoinFreshness, LiveRow } from '../../../../preload/contract';
import { useT } from '../../i18n';
import { age, price, signClass, signedPct, utc8DateTime, utc8Time } from '../../lib/market-format';

/** A tick older than this is shown as stale (the collector falls back to REST well before). */
const STALE_MS = 30_000;

interface Props {
  coins: string[];
  rows: ReadonlyMap<string, LiveRow>;
  freshness: ReadonlyMap<string, CoinFreshness>;
  mismatches: ReadonlyMap<string, BaselineMismatch>;
  /** Local now minus the exchange clock offset: ages are measured on the exchange's clock. */
  exchangeNow: number;
}

/** One row per selected coin: live price and change %, how fresh it is, and its baseline check. */
export function CoinTable({ coins, rows, freshness, mismatches, exchangeNow }: Props) {
  const t = useT();
  return (
    <section className="panel">
      <h2>{t('ov.coins')}</h2>
      <div className="coin-table-wrap">
        <table className="table coin-table" data-testid="coin-table">
          <thead>
            <tr>
              <th>{t('ov.col.coin')}</th>
              <th className="num">{t('ov.col.price')}</th>
              <th className="num">{t('ov.col.change')}</th>
              <th className="num">{t('ov.col.age')}</th>
              <th>{t('ov.col.source')}</th>
              <th>{t('ov.col.lastGrid')}</th>
              <th>{t('ov.col.baseline')}</th>
            </tr>
          </thead>
          <tbody>
            {coins.map((coin) => {
              const r = rows.get(coin);
              const f = freshness.get(coin);
              const m = mismatches.get(coin);
              const tickTs = r?.ts ?? f?.lastTickTs ?? null;
              const ageMs = tickTs === null ? null : exchangeNow - tickTs;
              return (
                <tr key={coin} data-testid={`coin-row-${coin}`}>
                  <td className="coin">{coin}</td>
                  <td className="num mono">{price(r?.price, coin)}</td>
                  <td className={`num mono ${signClass(r?.changePct)}`}>{signedPct(r?.changePct)}</td>
                  <td className={`num${ageMs !== null && ageMs > STALE_MS ? ' warn-text' : ''}`}>{age(ageMs)}</td>
                  <td className="muted">{r?.source ?? f?.source ?? '—'}</td>
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
                      <span className="muted" title={r?.baselineSource === 'sodUtc8' ? t('ov.baselineSod') : undefined}>
                        {price(r?.baseline, coin)}
                        {r?.baselineSource === 'sodUtc8' ? ' *' : ''}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

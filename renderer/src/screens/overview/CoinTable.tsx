import type { BaselineMismatch, CoinFreshness, LiveRow, StoredPrice } from '../../../../preload/contract';
import { useT } from '../../i18n';
import { age, price, signClass, signedPct, utc8DateTime, utc8Time } from '../../lib/market-format';

/** A tick older than this is shown as stale (the collector falls back to REST well before). */
const STALE_MS = 30_000;

interface Props {
  coins: string[];
  rows: ReadonlyMap<string, LiveRow>;
  /** Stored PT001 (synced from peers): shown for a coin with no live tick on this node. */
  stored: ReadonlyMap<string, StoredPrice>;
  freshness: ReadonlyMap<string, CoinFreshness>;
  mismatches: ReadonlyMap<string, BaselineMismatch>;
  /** Local now minus the exchange clock offset: ages are measured on the exchange's clock. */
  exchangeNow: number;
}

/**
 * One row per selected coin: live price and change %, how fresh it is, and its baseline check. A coin
 * with no live tick here shows its stored row instead (price, change %, baseline synced from a peer).
 */
export function CoinTable({ coins, rows, stored, freshness, mismatches, exchangeNow }: Props) {
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
              const live = rows.get(coin);
              const st = live ? undefined : stored.get(coin);
              const r = live ?? st;
              const f = freshness.get(coin);
              const m = mismatches.get(coin);
              const tickTs = r?.ts ?? f?.lastTickTs ?? null;
              const ageMs = tickTs === null ? null : exchangeNow - tickTs;
              return (
                <tr key={coin} data-testid={`coin-row-${coin}`} data-origin={live ? 'live' : st ? 'stored' : 'none'}>
                  <td className="coin">{coin}</td>
                  <td className="num mono">{price(r?.price)}</td>
                  <td className={`num mono ${signClass(r?.changePct)}`}>{signedPct(r?.changePct)}</td>
                  <td className={`num${ageMs !== null && ageMs > STALE_MS ? ' warn-text' : ''}`}>{age(ageMs)}</td>
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
                        title={t('ov.mismatch', { computed: price(m.computed), sod: price(m.sodUtc8), diff: signedPct(m.diffPct, 3) })}
                      >
                        ⚠ {t('ov.mismatchShort')} {price(m.computed)} / {price(m.sodUtc8)} ({signedPct(m.diffPct, 3)}%)
                      </span>
                    ) : (
                      <span className="muted" title={live?.baselineSource === 'sodUtc8' ? t('ov.baselineSod') : undefined}>
                        {price(r?.baseline)}
                        {live?.baselineSource === 'sodUtc8' ? ' *' : ''}
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

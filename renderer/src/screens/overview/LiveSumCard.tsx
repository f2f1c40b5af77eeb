import { useT } from '../../i18n';
import { signClass, signedPct, utc8Time } from '../../lib/market-format';
import { useDescribeError } from '../../lib/errors';
import type { LiveMarket } from '../../lib/use-live-market';

/** The live sum of change % over the selected coins, large, with its coverage. */
export function LiveSumCard({ live }: { live: LiveMarket }) {
  const t = useT();
  const describe = useDescribeError();
  const s = live.sum;
  return (
    <section className="panel live-sum-card">
      <h2>{t('ov.liveSum')}</h2>
      {live.error !== null && <p className="error-text">{t('common.loadFailed', { message: describe(live.error) })}</p>}
      {!s || s.sum === null ? (
        <p className="muted">{t('ov.noLive')}</p>
      ) : (
        <>
          <div className={`live-sum ${signClass(s.sum)}`} data-testid="live-sum" data-ticks={live.ticks}>
            {signedPct(s.sum)}
            <span className="unit">%</span>
          </div>
          <div className="live-sum-meta">
            <span className={s.complete ? 'badge badge-running' : 'badge badge-warn'} data-testid="live-coverage">
              {t('mkt.coverage', { n: s.covered, total: s.total })}
            </span>
            {!s.complete && <span className="warn-text">{t('mkt.incomplete')}</span>}
            {s.ts !== null && <span className="muted">{t('ov.liveSumAt', { time: utc8Time(s.ts), day: s.day ?? '' })}</span>}
          </div>
        </>
      )}
    </section>
  );
}

import type { StoredPrice } from '../../../../preload/contract';
import { useT } from '../../i18n';
import { signClass, signedPct, utc8Time } from '../../lib/market-format';
import { useDescribeError } from '../../lib/errors';
import type { LiveMarket } from '../../lib/use-live-market';

interface StoredSum {
  sum: number;
  covered: number;
  ts: number;
  day: string;
}

/** Σ change % of the stored rows in the newest row's UTC+8 day (the live sum's rule, on stored rows). */
function storedSum(rows: readonly StoredPrice[]): StoredSum | null {
  const latest = rows.reduce<StoredPrice | null>((a, r) => (!a || r.ts > a.ts ? r : a), null);
  if (!latest) return null;
  const same = rows.filter((r) => r.day === latest.day && r.changePct !== null);
  if (same.length === 0) return null;
  return { sum: same.reduce((a, r) => a + (r.changePct ?? 0), 0), covered: same.length, ts: latest.ts, day: latest.day };
}

interface Props {
  live: LiveMarket;
  /** Stored PT001 rows of the selected coins (synced from peers or written earlier). */
  stored: readonly StoredPrice[];
  /** False on a node without a collector: the note says so instead of waiting for ticks. */
  collecting: boolean;
}

/** The live sum of change % over the selected coins, large, with its coverage; else the stored one. */
export function LiveSumCard({ live, stored, collecting }: Props) {
  const t = useT();
  const describe = useDescribeError();
  const s = live.sum;
  const fallback = !s || s.sum === null ? storedSum(stored) : null;
  const total = s?.total ?? stored.length;
  return (
    <section className="panel live-sum-card">
      <h2>{t('ov.liveSum')}</h2>
      {live.error !== null && <p className="error-text">{t('common.loadFailed', { message: describe(live.error) })}</p>}
      {!collecting && (
        <p className="muted" data-testid="no-collector-note">
          {t('ov.noCollector')}
        </p>
      )}
      {s && s.sum !== null ? (
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
      ) : fallback ? (
        <>
          <div className={`live-sum ${signClass(fallback.sum)}`} data-testid="stored-sum">
            {signedPct(fallback.sum)}
            <span className="unit">%</span>
          </div>
          <div className="live-sum-meta">
            <span className={fallback.covered >= total ? 'badge badge-running' : 'badge badge-warn'}>
              {t('mkt.coverage', { n: fallback.covered, total })}
            </span>
            <span className="muted">{t('ov.storedSumAt', { time: utc8Time(fallback.ts), day: fallback.day })}</span>
          </div>
        </>
      ) : (
        collecting && <p className="muted">{t('ov.noLive')}</p>
      )}
    </section>
  );
}

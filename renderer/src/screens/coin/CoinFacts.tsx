import type { CoinSnapshot, Stamped } from '../../../../preload/contract';
import { useLocale, useT } from '../../i18n';
import { age, price, signClass, signedPct } from '../../lib/market-format';
import { compact, contracts, fundingCountdown, fundingPct, withPct } from './coin-format';

interface Props {
  coin: string;
  snap: CoinSnapshot;
  now: number;
}

/** Mark price, last, funding with its countdown, open interest with its 24 h change, and the 24 h stats. */
export function CoinFacts({ coin, snap, now }: Props) {
  const t = useT();
  const locale = useLocale();
  const stamp = (s: Stamped<unknown>) => (s.updatedAt === null ? t('coin.never') : t('coin.age', { age: age(now - s.updatedAt) }));
  const countdown = fundingCountdown(snap.nextFundingTime.value, now);
  const oiChange = snap.openInterestChange24hPct;
  const change24h =
    snap.last.value !== null && snap.open24h.value ? ((snap.last.value - snap.open24h.value) / snap.open24h.value) * 100 : null;

  return (
    <section className="panel coin-facts" data-testid="coin-facts">
      <dl>
        <div>
          <dt>{t('coin.last')}</dt>
          <dd className="mono big" data-testid="coin-last" title={stamp(snap.last)}>
            {price(snap.last.value, coin)} <span className={`small-num ${signClass(change24h)}`}>{withPct(signedPct(change24h))}</span>
          </dd>
        </div>
        <div>
          <dt>{t('coin.mark')}</dt>
          <dd className="mono" data-testid="coin-mark" data-value={snap.markPx.value ?? ''}>
            {price(snap.markPx.value, coin)}
          </dd>
          <dd className="hint">{stamp(snap.markPx)}</dd>
        </div>
        <div>
          <dt>{t('coin.funding')}</dt>
          <dd
            className={`mono ${signClass(snap.fundingRate.value === null ? null : snap.fundingRate.value * 100, 4)}`}
            data-testid="coin-funding"
            data-value={snap.fundingRate.value ?? ''}
          >
            {withPct(fundingPct(snap.fundingRate.value))}
          </dd>
          <dd className="hint" data-testid="coin-funding-countdown">
            {countdown === null
              ? stamp(snap.fundingRate)
              : countdown === '00:00:00'
                ? t('coin.fundingNow')
                : t('coin.nextFunding', { time: countdown })}
          </dd>
        </div>
        <div>
          <dt>{t('coin.oi')}</dt>
          <dd className="mono" data-testid="coin-oi" data-value={snap.openInterest.value ?? ''}>
            {contracts(snap.openInterest.value)} <span className="hint">{t('coin.contracts')}</span>
          </dd>
          <dd className="hint" data-testid="coin-oi-change">
            {oiChange === null ? (
              t('coin.oiChangeNone')
            ) : (
              <span className={signClass(oiChange)}>{t('coin.oiChange', { pct: signedPct(oiChange) })}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('coin.range24h')}</dt>
          <dd className="mono">
            {price(snap.high24h.value, coin)} / {price(snap.low24h.value, coin)}
          </dd>
        </div>
        <div>
          <dt>{t('coin.vol24h')}</dt>
          <dd className="mono">
            {compact(snap.vol24h.value, locale)} <span className="hint">{t('coin.contracts')}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

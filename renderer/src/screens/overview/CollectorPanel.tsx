import type { MarketStatus, StreamCounters } from '../../../../preload/contract';
import { formatInt } from '../../format';
import { useT, type MessageKey } from '../../i18n';
import { age } from '../../lib/market-format';

const COUNTERS: (keyof StreamCounters)[] = ['wsMessages', 'restCalls', 'reconnects', 'errors', 'malformed', 'rateLimited'];
/** Counters that mean trouble when non-zero get the warning colour. */
const BAD = new Set<keyof StreamCounters>(['errors', 'malformed', 'rateLimited']);

/** Mode, last-message age and counters per collector stream, plus the exchange clock check. */
export function CollectorPanel({ status, sinceMs, collecting = true }: { status: MarketStatus; sinceMs: number; collecting?: boolean }) {
  const t = useT();
  const skew = status.clock.skewMs;
  return (
    <section className="panel" data-testid="collector-panel">
      <h2>
        {t('ov.collector')} · <span className={`cstate cstate-${status.state}`}>{t(`ov.cstate.${status.state}` as MessageKey)}</span>
      </h2>
      {!collecting ? <p className="muted">{t('ov.collectorOff')}</p> : status.detail && <p className="muted">{status.detail}</p>}
      {status.clock.warning && skew !== null && (
        <div className="alert" data-testid="clock-warning">
          {t('ov.clock.warning', { s: (skew / 1000).toFixed(1) })}
        </div>
      )}
      {(collecting || status.streams.length > 0) && (
        <div className="streams-wrap">
          <table className="table streams">
            <thead>
              <tr>
                <th>{t('ov.stream')}</th>
                <th>{t('ov.mode')}</th>
                <th>{t('ov.lastMessage')}</th>
                {COUNTERS.map((c) => (
                  <th key={c} className="num">
                    {t(`ov.counter.${c}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {status.streams.map((s) => (
                <tr
                  key={s.name}
                  data-testid={`stream-${s.name}`}
                  title={s.lastError ? t('ov.lastError', { message: s.lastError }) : undefined}
                >
                  <td>{t(`ov.stream.${s.name}` as MessageKey)}</td>
                  <td>
                    <span className={`mode mode-${s.mode}`}>{t(`ov.mode.${s.mode}` as MessageKey)}</span>
                  </td>
                  <td className="num">{age(s.lastMessageAgeMs === null ? null : s.lastMessageAgeMs + sinceMs)}</td>
                  {COUNTERS.map((c) => (
                    <td key={c} className={`num${BAD.has(c) && s.counters[c] > 0 ? ' warn-text' : ''}`}>
                      {formatInt(s.counters[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {status.streams.map(
        (s) =>
          s.lastError && (
            <p key={s.name} className="muted small">
              {t(`ov.stream.${s.name}` as MessageKey)}
              {t('common.colon')}
              {t('ov.lastError', { message: s.lastError })}
            </p>
          ),
      )}
      <p className="muted small" data-testid="clock-skew">
        {t('ov.clock')}
        {t('common.colon')}
        {skew === null ? t('ov.clock.unchecked') : t('ov.clock.skew', { ms: formatInt(skew) })}
      </p>
    </section>
  );
}

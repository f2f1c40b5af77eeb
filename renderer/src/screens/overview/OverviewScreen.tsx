import { useMemo } from 'react';
import { formatClock } from '../../format';
import { useT } from '../../i18n';
import { sourceName } from '../../lib/component-text';
import { useDescribeError } from '../../lib/errors';
import { useLiveMarket } from '../../lib/use-live-market';
import { useMarketStatus } from '../../lib/use-market-status';
import { useNow } from '../../lib/use-now';
import { useLogsStore } from '../../state/logs-store';
import { useNodeStore } from '../../state/node-store';
import { CoinTable } from './CoinTable';
import { CollectorPanel } from './CollectorPanel';
import { LiveSumCard } from './LiveSumCard';
import { NodePanel } from './NodePanel';
import { useStoredMarket } from './use-stored-market';
import { useDerivatives } from './use-derivatives';
import './overview.css';

/**
 * The node at a glance: the live sum (every tick), the collector's streams and clock check, each
 * coin's freshness and baseline check, the node's facts and recent errors. Everything arrives by
 * events (market.tick / market.sum / market.status / node.status / log.line); nothing polls. Coins
 * without a live tick (a node with no collector) show their stored rows, synced from peers.
 */
export function OverviewScreen() {
  const t = useT();
  const describe = useDescribeError();
  const status = useNodeStore((s) => s.status);
  const statusError = useNodeStore((s) => s.statusError);
  const lines = useLogsStore((s) => s.lines);
  const recent = useMemo(
    () =>
      lines
        .filter((l) => l.level === 'error' || l.level === 'warn')
        .slice(-8)
        .reverse(),
    [lines],
  );
  const live = useLiveMarket();
  const market = useMarketStatus();
  const stored = useStoredMarket();
  const collecting = stored.stored?.collecting ?? true;
  useNow(1_000); // ages keep moving between events
  // Read the clock at render: live ticks re-render every frame, and a clock kept in state would
  // lag behind the ticks it is compared with.
  const now = Date.now();

  const ms = market.status;
  const freshness = useMemo(() => new Map((ms?.coins ?? []).map((c) => [c.coin, c])), [ms]);
  const mismatches = useMemo(() => new Map((ms?.baselineMismatches ?? []).map((m) => [m.coin, m])), [ms]);
  const coins = live.coins.length > 0 ? live.coins : (ms?.coins.map((c) => c.coin) ?? []);
  const sinceStatus = market.receivedAt ? Math.max(0, now - market.receivedAt) : 0;
  const exchangeNow = now + (ms?.clock.skewMs ?? 0);
  const derivs = useDerivatives(coins);

  return (
    <div className="overview">
      <div className="overview-top">
        <LiveSumCard live={live} stored={stored.stored?.rows ?? []} collecting={collecting} />
        {ms ? (
          <CollectorPanel status={ms} sinceMs={sinceStatus} collecting={collecting} />
        ) : (
          <section className="panel">
            <p className={market.error !== null ? 'error-text' : 'muted'}>
              {market.error !== null ? t('ov.marketFailed', { message: describe(market.error) }) : t('mkt.loading')}
            </p>
          </section>
        )}
      </div>
      {ms && ms.baselineMismatches.length > 0 && (
        <div className="alert" data-testid="mismatch-alert">
          {t('ov.mismatches', { n: ms.baselineMismatches.length, tol: ms.mismatchTolerancePct })}
        </div>
      )}
      <div className="overview-main">
        <CoinTable
          coins={coins}
          rows={live.rows}
          stored={stored.rows}
          freshness={freshness}
          mismatches={mismatches}
          derivs={derivs}
          exchangeNow={exchangeNow}
        />
        <div className="stack">
          {status ? (
            <NodePanel status={status} />
          ) : (
            <section className="panel">
              <p className={statusError !== null ? 'error-text' : 'muted'}>
                {statusError !== null ? t('common.loadFailed', { message: describe(statusError) }) : t('app.loading')}
              </p>
            </section>
          )}
          <section className="panel">
            <h2>{t('overview.recentErrors')}</h2>
            {recent.length === 0 ? (
              <p className="muted">{t('overview.noRecentErrors')}</p>
            ) : (
              <ul className="loglist" data-testid="recent-errors">
                {recent.map((l) => (
                  <li key={l.id} className={`lvl-${l.level}`}>
                    <span className="mono muted">{formatClock(l.ts)}</span> <span className="src">{sourceName(t, l.source)}</span>{' '}
                    <span lang="en">{l.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

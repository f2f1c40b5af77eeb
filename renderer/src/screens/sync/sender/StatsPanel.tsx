import type { SenderStats } from '../../../../../preload/contract';
import { formatDateTime, formatDuration, formatInt } from '../../../format';
import { useT } from '../../../i18n';
import { useNow } from '../../../lib/use-now';
import { formatBytes } from './format';

/** Totals and the last request; kept live by the `sender.stats` event (the parent owns the data). */
export function StatsPanel({ stats }: { stats: SenderStats }) {
  const t = useT();
  const now = useNow();
  const { totals, lastRequest } = stats;
  const uptime = stats.startedAt ? now - stats.startedAt : null;
  const item = (key: Parameters<typeof t>[0], value: string, testId?: string, cls?: string) => (
    <div className="stat">
      <div className="stat-label">{t(key)}</div>
      <div className={cls ? `stat-value ${cls}` : 'stat-value'} data-testid={testId}>
        {value}
      </div>
    </div>
  );
  return (
    <section className="panel" data-testid="sender-stats">
      <h2>{t('snd.stats')}</h2>
      <div className="stats-grid">
        {item('snd.stats.requests', formatInt(totals.requests), 'stat-requests')}
        {item('snd.stats.ok', formatInt(totals.ok), 'stat-ok', 'ok-text')}
        {item('snd.stats.failed', formatInt(totals.failed), 'stat-failed', totals.failed > 0 ? 'error-text' : undefined)}
        {item('snd.stats.rows', formatInt(totals.rows), 'stat-rows')}
        {item('snd.stats.bytes', formatBytes(totals.bytes), 'stat-bytes')}
        {item('snd.stats.streams', formatInt(stats.streamClients), 'stat-streams')}
      </div>
      <dl className="kv">
        <div>
          <dt>{t('snd.stats.last')}</dt>
          <dd data-testid="stat-last">
            {lastRequest ? (
              <>
                <span>{formatDateTime(lastRequest.ts)}</span>{' '}
                <span className="mono">
                  {lastRequest.client} {lastRequest.path}
                </span>{' '}
                <span className={lastRequest.status < 400 ? 'ok-text' : 'error-text'}>{lastRequest.status}</span>
              </>
            ) : (
              <span className="muted">{t('snd.stats.noRequests')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('snd.stats.uptime')}</dt>
          <dd data-testid="stat-uptime">{uptime === null ? '—' : formatDuration(uptime, t('common.dayShort'))}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Counters per dataset (a batch counts toward each dataset it touched). */
export function DatasetStatsTable({ stats }: { stats: SenderStats }) {
  const t = useT();
  const rows = Object.entries(stats.datasets).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section className="panel" data-testid="sender-dataset-stats">
      <h2>{t('snd.perDataset')}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('snd.perDataset.none')}</p>
      ) : (
        <table className="table num-table">
          <thead>
            <tr>
              <th>{t('snd.col.dataset')}</th>
              <th>{t('snd.stats.requests')}</th>
              <th>{t('snd.stats.ok')}</th>
              <th>{t('snd.stats.failed')}</th>
              <th>{t('snd.stats.rows')}</th>
              <th>{t('snd.stats.bytes')}</th>
              <th>{t('snd.stats.last')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([code, c]) => (
              <tr key={code} data-testid={`dataset-stat-${code}`}>
                <td className="mono">{code}</td>
                <td>{formatInt(c.requests)}</td>
                <td>{formatInt(c.ok)}</td>
                <td className={c.failed > 0 ? 'error-text' : undefined}>{formatInt(c.failed)}</td>
                <td>{formatInt(c.rows)}</td>
                <td>{formatBytes(c.bytes)}</td>
                <td>{c.lastTs ? formatDateTime(c.lastTs) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

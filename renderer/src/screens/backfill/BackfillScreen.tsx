import { useCallback, useState } from 'react';
import type { BackfillProgress, BackfillStatus, LogLine } from '../../../../preload/contract';
import { DAY_MS, dayStartOf, formatDateTime } from '../../../../preload/contract/grid-time';
import { callApi, useCall } from '../../bridge/use-call';
import { formatDuration, formatInt } from '../../format';
import { useT } from '../../i18n';
import { barName } from '../../lib/bar-names';
import { useDescribeError } from '../../lib/errors';
import { useNodeEvent } from '../../lib/use-event';
import { BackfillLog } from './BackfillLog';
import { CoverageMap } from './CoverageMap';
import { RetryQueue } from './RetryQueue';
import { SourcesPanel } from './SourcesPanel';
import { StartForm } from './StartForm';
import './backfill.css';

const LOG_CAP = 5_000;

/**
 * The backfill monitor: start form, progress (pages, rate against the limit, ETA, current item),
 * stop / resume, retry queue, the job's live log and the coverage heat-map with the missing-list
 * export. Progress and log lines arrive as node events; the status is re-read on state changes.
 */
export function BackfillScreen() {
  const t = useT();
  const status = useCall('backfill.status', {});
  const [progress, setProgress] = useState<BackfillProgress | null>(null);
  const [lines, setLines] = useState<LogLine[] | null>(null);
  const describe = useDescribeError();
  const [actionError, setActionError] = useState<unknown>(null);
  const [acting, setActing] = useState(false);
  const st: BackfillStatus | undefined = status.data;
  const p = progress && st?.job && progress.jobId === st.job.id ? progress : (st?.progress ?? null);
  const log = lines ?? st?.log ?? [];
  const reload = status.reload;

  useNodeEvent('backfill.progress', (next) => {
    setProgress(next);
    if (!st?.job || next.jobId !== st.job.id || next.state !== st.job.state || next.pagesQueued !== st.retryQueue.length) reload();
  });
  useNodeEvent('log.line', (l) => {
    if (l.source !== 'backfill') return;
    setLines((prev) => {
      const base = prev ?? st?.log ?? [];
      if (base.length > 0 && base[base.length - 1]!.id >= l.id) return base;
      const next = [...base, l];
      return next.length > LOG_CAP ? next.slice(next.length - LOG_CAP) : next;
    });
  });

  const act = useCallback(
    async (fn: () => Promise<BackfillStatus>) => {
      setActing(true);
      setActionError(null);
      try {
        await fn();
      } catch (e) {
        setActionError(e);
      } finally {
        setActing(false);
        reload();
      }
    },
    [reload],
  );

  const job = st?.job ?? null;
  const running = p?.state === 'running' || p?.state === 'stopping';
  const resumable = job && (job.state === 'stopped' || job.state === 'interrupted') ? job.id : (st?.resumable[0]?.id ?? null);
  // The heat-map shows the last 30m job's range, else the last 14 days.
  const today = dayStartOf(Date.now()) + DAY_MS;
  const range =
    job && job.bar === '30m'
      ? { from: dayStartOf(job.from), to: Math.max(job.to, dayStartOf(job.from) + DAY_MS) }
      : { from: today - 14 * DAY_MS, to: today };

  return (
    <div className="backfill">
      <StartForm busy={running} onStarted={() => (setProgress(null), setLines(null), reload())} />
      <section className="panel bf-progress" data-testid="bf-progress">
        <div className="toolbar">
          <h3>{t('bf.progress')}</h3>
          {p && (
            <span className={`chip st-${p.state}`} data-testid="bf-state">
              {t(`bf.state.${p.state}`)}
            </span>
          )}
          <span className="spacer" />
          {running && (
            <button
              type="button"
              onClick={() => void act(() => callApi('backfill.stop', {}))}
              disabled={acting || p?.state === 'stopping'}
              data-testid="bf-stop"
            >
              {t('bf.stop')}
            </button>
          )}
          {!running && resumable !== null && (
            <button
              type="button"
              onClick={() => void act(() => callApi('backfill.resume', { jobId: resumable }))}
              disabled={acting}
              data-testid="bf-resume"
            >
              {t('bf.resumeJob', { id: resumable })}
            </button>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={st?.resumeOnStart ?? true}
              onChange={(e) =>
                void callApi('settings.update', { backfillResumeOnStart: e.target.checked }).then(reload, (err: unknown) =>
                  setActionError(err),
                )
              }
              data-testid="bf-resume-on-start"
            />
            {t('bf.resumeOnStart')}
          </label>
        </div>
        {actionError !== null && (
          <div className="alert" role="alert" data-testid="bf-action-error">
            {describe(actionError)}
          </div>
        )}
        {!job || !p ? (
          <p className="muted">{t('bf.noJob')}</p>
        ) : (
          <>
            <p className="small">
              {t('bf.job', {
                id: job.id,
                coins: job.coins.length,
                bar: barName(t, job.bar),
                from: formatDateTime(job.from),
                to: formatDateTime(job.to),
              })}
            </p>
            <div className="bf-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.percent} data-testid="bf-bar">
              <div className="bf-fill" style={{ width: `${p.percent}%` }} />
              <span className="bf-pct" data-testid="bf-percent">
                {p.percent.toFixed(1)} %
              </span>
            </div>
            <div className="bf-figures">
              <span data-testid="bf-pages">{t('bf.pages', { done: formatInt(p.pagesDone), total: formatInt(p.pagesTotal) })}</span>
              <span>{t('bf.rows', { bars: formatInt(p.bars), rows: formatInt(p.rowsWritten) })}</span>
              {running && (
                <span data-testid="bf-rate">{t('bf.rate', { rate: p.requestsPerSec.toFixed(1), limit: p.limitPerSec.toFixed(0) })}</span>
              )}
              {p.etaMs !== null && running && (
                <span data-testid="bf-eta">{t('bf.eta', { eta: formatDuration(p.etaMs, t('common.dayShort')) })}</span>
              )}
              {p.rateLimited > 0 && <span className="warn-text">{t('bf.rateLimited', { n: p.rateLimited })}</span>}
            </div>
            {p.current && running && (
              <p className="small muted" data-testid="bf-current">
                {t('bf.current', { item: p.current })}
              </p>
            )}
            {job.lateListed.map((l) => (
              <p key={l.coin} className="small muted">
                {t('bf.lateListed', { coin: l.coin, date: formatDateTime(l.listTime) })}
              </p>
            ))}
          </>
        )}
      </section>
      <SourcesPanel sources={st?.sources ?? []} recent={st?.recentPages ?? []} requests={p?.requests ?? 0} saved={p?.savedRequests ?? 0} />
      <RetryQueue
        entries={st?.retryQueue ?? []}
        onRetry={(ids) => void act(() => callApi('backfill.retryNow', ids ? { pageIds: ids } : {}))}
        disabled={acting}
      />
      <CoverageMap from={range.from} to={range.to} coins={job?.bar === '30m' ? job.coins : undefined} />
      <BackfillLog lines={log} />
    </div>
  );
}

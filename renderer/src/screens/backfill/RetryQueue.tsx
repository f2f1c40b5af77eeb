import type { RetryEntry } from '../../../../preload/contract';
import { formatDateTime } from '../../../../preload/contract/grid-time';
import { formatClock } from '../../format';
import { useT } from '../../i18n';

/** Failed pages with their attempts, last error and next try; "retry now" per page or for all. */
export function RetryQueue(props: { entries: RetryEntry[]; disabled: boolean; onRetry: (pageIds?: number[]) => void }) {
  const t = useT();
  return (
    <section className="panel bf-queue" data-testid="bf-queue">
      <div className="toolbar">
        <h3>{t('bf.queue.title')}</h3>
        <span className="muted">{props.entries.length}</span>
        <span className="spacer" />
        {props.entries.length > 0 && (
          <button type="button" onClick={() => props.onRetry()} disabled={props.disabled} data-testid="bf-retry-all">
            {t('bf.retryAll')}
          </button>
        )}
      </div>
      {props.entries.length === 0 ? (
        <p className="muted small">{t('bf.queue.empty')}</p>
      ) : (
        <div className="bf-queue-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>{t('bf.queue.page')}</th>
                <th>{t('bf.queue.attempts')}</th>
                <th>{t('bf.queue.error')}</th>
                <th>{t('bf.queue.next')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr key={e.pageId} data-testid="bf-queue-row">
                  <td className="mono">
                    {e.coin} {formatDateTime(e.from)} → {formatDateTime(e.to)}
                  </td>
                  <td>{e.attempts}</td>
                  <td className="err" title={e.lastError}>
                    {e.lastError}
                  </td>
                  <td>{e.nextTryAt === null ? <span className="warn-text">{t('bf.queue.parked')}</span> : formatClock(e.nextTryAt)}</td>
                  <td>
                    <button type="button" onClick={() => props.onRetry([e.pageId])} disabled={props.disabled}>
                      {t('bf.retryNow')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

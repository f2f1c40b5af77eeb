import { useCall } from '../../bridge/use-call';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';

/** Settings › Sources: peers (priority order) and the exchange's REST hosts (failover order), each with its health. */
export function SourcesPanel() {
  const t = useT();
  const st = useCall('sources.status', {});
  const sources = st.data?.sources ?? [];
  return (
    <section className="panel" data-testid="sources-panel">
      <div className="toolbar">
        <h2>{t('src.title')}</h2>
        <span className="spacer" />
        <button type="button" onClick={st.reload}>
          {t('src.refresh')}
        </button>
      </div>
      <p className="muted small">{t('src.hint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('src.col.source')}</th>
            <th>{t('src.col.state')}</th>
            <th className="num">{t('src.col.latency')}</th>
            <th>{t('src.col.lastError')}</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={`${s.kind}:${s.id}`} data-testid="source-row" data-state={s.state}>
              <td>
                {s.priority + 1}. {s.name}{' '}
                <span className="muted small">
                  {t(s.kind === 'peer' ? 'src.kind.peer' : 'src.kind.exchange')}
                  {s.service !== null && ` · ${t(`src.service.${s.service}`)}`}
                  {s.active && ` · ${t('src.active')}`}
                </span>
              </td>
              <td>{t(`src.state.${s.state}`)}</td>
              <td className="num mono">{s.latencyMs === null ? '—' : `${s.latencyMs} ms`}</td>
              <td className="error-text">
                {s.lastError ?? ''}
                {s.lastErrorAt !== null && <span className="muted small"> ({formatDateTime(s.lastErrorAt)})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

import type { BackfillPageSource, BackfillSourceShare } from '../../../../preload/contract';
import { formatDateTime } from '../../../../preload/contract/grid-time';
import { formatInt } from '../../format';
import { useT } from '../../i18n';

/** Where the job's pages came from: each peer (by name) and the exchange host, and the exchange requests peers saved. */
export function SourcesPanel(props: { sources: BackfillSourceShare[]; recent: BackfillPageSource[]; requests: number; saved: number }) {
  const t = useT();
  if (props.sources.length === 0) return null;
  return (
    <section className="panel bf-sources" data-testid="bf-sources">
      <div className="toolbar">
        <h3>{t('bf.sources.title')}</h3>
        <span className="spacer" />
        <span className="small" data-testid="bf-saved">
          {t('bf.sources.saved', { saved: formatInt(props.saved), made: formatInt(props.requests) })}
        </span>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>{t('bf.sources.source')}</th>
            <th>{t('bf.sources.pages')}</th>
            <th>{t('bf.sources.candles')}</th>
            <th>{t('bf.sources.savedCol')}</th>
          </tr>
        </thead>
        <tbody>
          {props.sources.map((s) => (
            <tr key={s.servedBy} data-testid="bf-source-row">
              <td>
                {s.servedBy} <span className="muted small">{t(s.peer ? 'bf.sources.peer' : 'bf.sources.exchange')}</span>
              </td>
              <td>{formatInt(s.pages)}</td>
              <td>{formatInt(s.bars)}</td>
              <td>{formatInt(s.saved)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.recent.length > 0 && (
        <details className="small">
          <summary>{t('bf.sources.recent', { n: props.recent.length })}</summary>
          <ul className="bf-recent" data-testid="bf-recent">
            {props.recent.map((p) => (
              <li key={p.pageId} className="mono">
                {p.coin} {formatDateTime(p.from)} → {formatDateTime(p.to)}: {t('bf.sources.from', { source: p.servedBy, bars: p.bars })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

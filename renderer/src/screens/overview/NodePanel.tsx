import type { NodeStatus } from '../../../../preload/contract';
import { formatDateTime, formatDuration, formatInt, UTC8 } from '../../format';
import { useT } from '../../i18n';
import { componentDetail, sourceName } from '../../lib/component-text';
import { formatFingerprint } from '../../lib/identity-format';

/** The node's own facts (status.get / node.status), compact; the order is what tests read. Names, ids and paths are translate="no". */
export function NodePanel({ status }: { status: NodeStatus }) {
  const t = useT();
  const rows: [string, string, string?][] = [
    [t('overview.nodeName'), status.nodeName, 'raw'],
    [t('overview.nodeId'), status.nodeId, 'mono'],
    [t('overview.version'), status.version],
    [
      t('overview.mode'),
      `${t(status.mode === 'desktop' ? 'overview.mode.desktop' : 'overview.mode.headless')}${status.simulate ? ` · ${t('overview.simulate')}` : ''}`,
    ],
    [t('overview.dataDir'), status.dataDir, 'mono'],
    [t('overview.dbPath'), status.dbPath, 'mono'],
    [t('overview.schemaVersion'), String(status.schemaVersion)],
    [t('overview.maxSeq'), formatInt(status.maxSeq)],
    [t('overview.startedAt'), `${formatDateTime(status.startedAt)} ${UTC8}`],
    [t('overview.uptime'), formatDuration(status.uptimeMs, t('common.dayShort'))],
    [t('overview.errorsHour'), String(status.errorsLastHour)],
    // Last, so the rows above keep the places tests read them at.
    [t('id.fingerprint'), formatFingerprint(status.fingerprint), 'mono small'],
  ];
  return (
    <section className="panel compact">
      <h2>{t('overview.node')}</h2>
      <dl className="kv" data-testid="overview-status">
        {rows.map(([k, v, cls]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={cls} translate={cls && /mono|raw/.test(cls) ? 'no' : undefined}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {status.components.length > 0 && (
        <ul className="components" data-testid="overview-components">
          {status.components.map((c) => (
            <li key={c.name} title={c.detail ?? undefined}>
              <span className={`badge badge-${c.state}`}>{t(`state.${c.state}`)}</span> {sourceName(t, c.name)}
              {componentDetail(t, c) && <span className="muted"> · {componentDetail(t, c)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

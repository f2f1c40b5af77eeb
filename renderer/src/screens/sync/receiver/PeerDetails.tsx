import { useEffect, useMemo, useState } from 'react';
import type { PeerStatus, SyncRun } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { formatDateTime } from '../../../format';
import { useT } from '../../../i18n';
import { recordSentence } from '../../../lib/errors';
import { useNodeEvent } from '../../../lib/use-event';
import { groupRuns, keepRuns } from './run-groups';
import { PeerAsSource } from './PeerAsSource';

const when = (ts: number | null) => (ts ? formatDateTime(ts) : '—');

/** One peer: per-dataset cursor, lag, counters, last error, with sync / resync; and its run history. */
export function PeerDetails(props: { peer: PeerStatus; onError(error: unknown): void }) {
  const t = useT();
  const { peer } = props;
  const [runs, setRuns] = useState<SyncRun[]>([]);
  useEffect(() => {
    let live = true;
    callApi('sync.history', { id: peer.id, limit: 100 }).then(
      (r) => live && setRuns(r.runs),
      (e: unknown) => props.onError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [peer.id]);
  useNodeEvent('sync.run', (run) => {
    if (run.peerId === peer.id) setRuns((prev) => keepRuns([run, ...prev]));
  });
  const groups = useMemo(() => groupRuns(runs), [runs]);
  const act = (name: 'sync.dataset' | 'sync.resync', code: string) =>
    callApi(name, { id: peer.id, code }).catch((e: unknown) => props.onError(e));

  return (
    <div className="peer-details" data-testid="peer-details">
      <h3>{t('rcv.datasetsTitle', { name: peer.name })}</h3>
      <PeerAsSource peerId={peer.id} />
      <table className="table" data-testid="dataset-status">
        <thead>
          <tr>
            <th>{t('rcv.col.code')}</th>
            <th>{t('rcv.col.state')}</th>
            <th className="num">{t('rcv.col.cursor')}</th>
            <th className="num">{t('rcv.col.lag')}</th>
            <th className="num">{t('rcv.col.inserted')}</th>
            <th className="num">{t('rcv.col.updated')}</th>
            <th>{t('rcv.col.lastSync')}</th>
            <th>{t('rcv.col.lastError')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {peer.datasetStatus.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                {t('rcv.noDatasets')}
              </td>
            </tr>
          )}
          {peer.datasetStatus.map((d) => (
            <tr key={d.code} data-testid={`ds-${d.code}`}>
              <td className="mono">{d.code}</td>
              <td>
                <span className={`badge badge-${d.state}`}>{t(`rcv.state.${d.state}`)}</span>
              </td>
              <td className="num mono">{d.cursor}</td>
              <td className="num mono" data-testid="ds-lag">
                {d.lag}
              </td>
              <td className="num">{d.rowsInserted.toLocaleString()}</td>
              <td className="num">{d.rowsUpdated.toLocaleString()}</td>
              <td>{when(d.lastSyncAt)}</td>
              <td className="error-text">{recordSentence(t, d.lastErrorReason, d.lastError)}</td>
              <td className="actions">
                <button type="button" onClick={() => void act('sync.dataset', d.code)} disabled={!peer.enabled}>
                  {t('rcv.syncNow')}
                </button>
                <button type="button" onClick={() => void act('sync.resync', d.code)} disabled={!peer.enabled} title={t('rcv.resync.hint')}>
                  {t('rcv.resync')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('rcv.history')}</h3>
      <table className="table" data-testid="run-history">
        <thead>
          <tr>
            <th>{t('rcv.col.started')}</th>
            <th>{t('rcv.col.trigger')}</th>
            <th className="num">{t('rcv.col.duration')}</th>
            <th className="num">{t('rcv.col.rowsIn')}</th>
            <th className="num">{t('rcv.col.inserted')}</th>
            <th className="num">{t('rcv.col.updated')}</th>
            <th>{t('rcv.col.result')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                {t('rcv.noRuns')}
              </td>
            </tr>
          )}
          {groups.map(({ key, run: r, count }) => (
            <tr key={key} data-testid="run-row" data-count={count}>
              <td>{when(r.startedAt)}</td>
              <td>{count > 1 ? t('rcv.trigger.streamCount', { n: count }) : t(`rcv.trigger.${r.trigger}`)}</td>
              <td className="num">{r.durationMs} ms</td>
              <td className="num">{r.rowsIn.toLocaleString()}</td>
              <td className="num">{r.rowsInserted.toLocaleString()}</td>
              <td className="num">{r.rowsUpdated.toLocaleString()}</td>
              <td className={r.ok ? 'ok-text' : 'error-text'}>{r.ok ? t('rcv.ok') : recordSentence(t, r.errorReason, r.error)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

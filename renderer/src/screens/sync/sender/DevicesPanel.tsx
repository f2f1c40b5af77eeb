import { useCallback, useEffect, useState } from 'react';
import type { PairedDevice } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { formatDateTime, formatInt } from '../../../format';
import { useT } from '../../../i18n';
import { useDescribeError } from '../../../lib/errors';
import { useNodeEvent } from '../../../lib/use-event';
import { ConfirmDialog } from '../../../components/ConfirmDialog';

/** The devices paired with this sender, each with its own token; revoke refuses that one at once. */
export function DevicesPanel({ tick }: { tick: number }) {
  const t = useT();
  const describe = useDescribeError();
  const [devices, setDevices] = useState<PairedDevice[] | null>(null);
  const [asking, setAsking] = useState<PairedDevice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    callApi('devices.list', {}).then(
      (r) => setDevices(r.devices),
      (e: unknown) => setError(describe(e)),
    );
  }, [describe]);
  // Last seen and request counts move with every request: follow the sender's stats ticks.
  useEffect(load, [load, tick]);
  useNodeEvent('devices.changed', (d) => setDevices(d.devices));

  const revoke = async (d: PairedDevice) => {
    setAsking(null);
    try {
      setDevices((await callApi('devices.revoke', { id: d.id })).devices);
    } catch (e) {
      setError(describe(e));
      load();
    }
  };

  return (
    <section className="panel" data-testid="devices-panel">
      <h2>{t('dev.title')}</h2>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      {devices && devices.length === 0 ? (
        <p className="muted" data-testid="devices-empty">
          {t('dev.none')}
        </p>
      ) : (
        <table className="table" data-testid="devices">
          <thead>
            <tr>
              <th>{t('dev.name')}</th>
              <th>{t('id.nodeId')}</th>
              <th>{t('dev.lastSeen')}</th>
              <th>{t('dev.address')}</th>
              <th className="num">{t('dev.requests')}</th>
              <th>{t('dev.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(devices ?? []).map((d) => (
              <tr key={d.id} data-testid="device-row" data-revoked={d.revokedAt !== null} className={d.revokedAt ? 'muted' : ''}>
                <td>{d.name}</td>
                <td className="mono small" title={d.nodeId} data-testid="device-nodeid">
                  {d.nodeId}
                </td>
                <td>{d.lastSeen ? formatDateTime(d.lastSeen) : '—'}</td>
                <td className="mono">{d.lastAddress ?? '—'}</td>
                <td className="num mono" data-testid="device-requests">
                  {formatInt(d.requests)}
                </td>
                <td>{d.revokedAt ? t('dev.revoked') : t('dev.active')}</td>
                <td>
                  {!d.revokedAt && (
                    <button type="button" className="danger" onClick={() => setAsking(d)} data-testid="device-revoke">
                      {t('dev.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asking && (
        <ConfirmDialog
          title={t('dev.revokeTitle', { name: asking.name })}
          confirmLabel={t('dev.revoke')}
          onConfirm={() => void revoke(asking)}
          onCancel={() => setAsking(null)}
          testId="revoke-dialog"
        >
          <p>{t('dev.revokeBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

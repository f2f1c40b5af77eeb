import { useEffect, useState } from 'react';
import type { DiscoveredNode, SyncStatus } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { LoadFailed } from '../../../components/LoadFailed';
import { formatClock, formatDateTime } from '../../../format';
import { useT } from '../../../i18n';
import { reasonSentence, recordSentence, useDescribeError } from '../../../lib/errors';
import { useNodeEvent } from '../../../lib/use-event';
import { PeerDetails } from './PeerDetails';
import { PairDialog, type PairDraft } from './PairDialog';
import { PeerDialog, draftOf, type PeerDraft } from './PeerDialog';
import './receiver.css';

type Dialog = { draft: PeerDraft; editId?: string } | null;

/**
 * Sync › Receiver: the peers this node pulls from, their state, auto-sync, per-dataset status,
 * run history, and the nodes heard on the LAN. Everything shown is the node's `sync.status`,
 * refreshed by its `sync.status` events.
 */
export function ReceiverScreen() {
  const t = useT();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [found, setFound] = useState<{ enabled: boolean; error: string | null; nodes: DiscoveredNode[] }>({
    enabled: false,
    error: null,
    nodes: [],
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [pairing, setPairing] = useState<PairDraft | null>(null);
  const describe = useDescribeError();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [attempt, setAttempt] = useState(0);

  const reload = () => {
    callApi('sync.status', {}).then(setStatus, (e: unknown) => setError(e));
    callApi('discovery.list', {}).then(setFound, () => undefined);
  };
  useEffect(reload, [attempt]);
  useNodeEvent('sync.status', setStatus);
  useNodeEvent('discovery.changed', ({ nodes }) => setFound((f) => ({ ...f, nodes })));

  if (!status) {
    return error !== null ? (
      <LoadFailed error={error} onRetry={() => setAttempt((a) => a + 1)} />
    ) : (
      <p className="muted">{t('app.loading')}</p>
    );
  }

  const guard = async (key: string, fn: () => Promise<unknown>) => {
    setBusy((b) => new Set(b).add(key));
    try {
      setError(null);
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy((b) => {
        const n = new Set(b);
        n.delete(key);
        return n;
      });
      reload();
    }
  };
  const peer = status.peers.find((p) => p.id === selected) ?? null;
  const paused = status.pausedUntil !== null && status.pausedUntil > Date.now();

  return (
    <div className="receiver">
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={status.autoSync}
            onChange={(e) => void guard('auto', () => callApi('sync.auto', { on: e.target.checked, pausedUntil: null }))}
            data-testid="auto-sync"
          />
          {t('rcv.autoSync')}
        </label>
        {paused && <span className="muted">{t('rcv.pausedUntil', { time: formatClock(status.pausedUntil!, false) })}</span>}
        <button type="button" className="primary" onClick={() => setPairing({})} data-testid="peer-pair">
          {t('rp.button')}
        </button>
        <button type="button" onClick={() => setDialog({ draft: draftOf() })} data-testid="peer-add">
          {t('rcv.add')}
        </button>
        <button
          type="button"
          disabled={busy.has('all') || status.peers.length === 0}
          onClick={() => void guard('all', () => callApi('sync.all', {}))}
          data-testid="sync-all"
        >
          {busy.has('all') ? t('rcv.syncing') : t('rcv.syncAll')}
        </button>
        <span className="spacer" />
      </div>
      {error !== null && (
        <div className="alert" role="alert" data-testid="receiver-error">
          {describe(error)}
        </div>
      )}
      <table className="table peers" data-testid="peers">
        <thead>
          <tr>
            <th>{t('rcv.name')}</th>
            <th>{t('rcv.url')}</th>
            <th>{t('rcv.col.state')}</th>
            <th>{t('rcv.col.lastSeen')}</th>
            <th className="num">{t('rcv.col.lag')}</th>
            <th>{t('rcv.col.lastError')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {status.peers.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                {t('rcv.noPeers')}
              </td>
            </tr>
          )}
          {status.peers.map((p) => (
            <tr
              key={p.id}
              className={p.id === selected ? 'selected' : ''}
              onClick={() => setSelected(p.id)}
              data-testid="peer-row"
              data-state={p.state}
            >
              <td>
                <span translate="no">{p.name}</span> {p.streamConnected && <span className="dot" title={t('rcv.live')} />}
              </td>
              <td className="mono">
                {p.url}
                <div className="muted small" data-testid="peer-transport" data-transport={p.transport}>
                  {t(`rp.secure.${p.transport}`)}
                  {p.identity && ` · ${p.identity.nodeId.slice(0, 15)}…`}
                </div>
              </td>
              <td>
                <span className={`badge badge-${p.state}`} data-testid="peer-state">
                  {t(`rcv.state.${p.state}`)}
                </span>
                {(p.state === 'pairing_required' || p.state === 'identity_changed') && (
                  <div className="muted small">{t(`rp.why.${p.state}`)}</div>
                )}
              </td>
              <td>{p.lastSeen ? formatDateTime(p.lastSeen) : '—'}</td>
              <td className="num mono">{p.datasetStatus.reduce((s, d) => s + d.lag, 0)}</td>
              <td className="error-text" data-testid="peer-last-error">
                {recordSentence(t, p.lastErrorReason, p.lastError)}
              </td>
              <td className="actions" onClick={(e) => e.stopPropagation()}>
                {(p.transport !== 'tls' || p.state === 'identity_changed') && (
                  <button
                    type="button"
                    className="primary"
                    onClick={() => setPairing({ url: p.url, peerId: p.id })}
                    data-testid="peer-repair"
                  >
                    {t('rp.repair')}
                  </button>
                )}
                <button
                  type="button"
                  disabled={!p.enabled || busy.has(p.id)}
                  onClick={() => void guard(p.id, () => callApi('sync.peer', { id: p.id }))}
                  data-testid="peer-sync"
                >
                  {busy.has(p.id) ? t('rcv.syncing') : t('rcv.syncNow')}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void guard(`t${p.id}`, async () => {
                      const r = await callApi('peers.test', { id: p.id });
                      if (!r.ok) throw new Error(r.reason ? reasonSentence(t, r.reason, r.params) : r.message);
                    })
                  }
                >
                  {t('rcv.test')}
                </button>
                <button type="button" onClick={() => setDialog({ draft: draftOf(p), editId: p.id })}>
                  {t('rcv.edit')}
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    window.confirm(t('rcv.remove.confirm', { name: p.name })) &&
                    void guard(`r${p.id}`, () => callApi('peers.remove', { id: p.id }))
                  }
                >
                  {t('rcv.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {peer && <PeerDetails peer={peer} onError={setError} />}
      <section className="discovered" data-testid="discovered">
        <h3>{t('rcv.discovered')}</h3>
        <label className="check">
          <input
            type="checkbox"
            checked={status.discovery}
            onChange={(e) => void guard('disc', () => callApi('receiver.config.update', { discovery: e.target.checked }))}
          />
          {t('rcv.discovery')}
        </label>
        <p className="muted">{t('rcv.discovery.hint')}</p>
        {found.error && <p className="error-text">{found.error}</p>}
        {found.nodes.length === 0 ? (
          <p className="muted">{t('rcv.discovered.none')}</p>
        ) : (
          <ul className="found">
            {found.nodes.map((n) => (
              <li key={n.nodeId}>
                <strong>{n.name}</strong> <span className="mono">{n.url}</span>{' '}
                {n.identityNodeId && <span className="mono small muted">{n.identityNodeId}</span>}{' '}
                {n.known ? (
                  <span className="muted">{t('rcv.discovered.known')}</span>
                ) : n.identityNodeId ? (
                  <button type="button" onClick={() => setPairing({ url: n.url, nodeId: n.identityNodeId ?? undefined, name: n.name })}>
                    {t('rp.repair')}
                  </button>
                ) : (
                  <button type="button" onClick={() => setDialog({ draft: draftOf({ name: n.name, url: n.url }) })}>
                    {t('rcv.add')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {pairing && <PairDialog initial={pairing} onClose={() => setPairing(null)} onPaired={reload} />}
      {dialog && (
        <PeerDialog
          initial={dialog.draft}
          editId={dialog.editId}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { SourceOrderSchema, type Settings, type SourceRef, type SourceStatus } from '../../../../preload/contract';
import { callApi, useCall } from '../../bridge/use-call';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { check, issueSentence, recordSentence, useDescribeError } from '../../lib/errors';
import { useSettingsStore } from '../../state/settings-store';

const refOf = (s: SourceStatus): SourceRef => ({ kind: s.kind === 'peer' ? 'peer' : (s.service ?? 'rest'), id: s.id, enabled: s.enabled });
const same = (a: readonly SourceRef[], b: readonly SourceRef[]) => JSON.stringify(a) === JSON.stringify(b);

type Notice = { kind: 'saved' } | { kind: 'error'; error: unknown } | null;

/**
 * Settings › Sources: peers (asked first by backfill) and the exchange's REST, public and business
 * WebSocket hosts (each service fails over in its own order), each with its health. The user moves
 * a source up or down within its kind and switches it on or off; Save stores the order in
 * settings.sourceOrder, which backfill and the host pools read.
 */
export function SourcesPanel() {
  const t = useT();
  const describe = useDescribeError();
  const st = useCall('sources.status', {});
  const sources = st.data?.sources ?? [];
  const byKey = new Map(sources.map((s) => [`${refOf(s).kind} ${s.id}`, s]));
  const current = sources.map(refOf);
  const [draft, setDraft] = useState<SourceRef[] | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const list = draft ?? current;
  const dirty = draft !== null && !same(draft, current);
  // Status refreshed under an untouched form: follow it.
  useEffect(() => {
    if (draft !== null && !dirty) setDraft(null);
  }, [st.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const issues = check(SourceOrderSchema, list);
  const edit = (next: SourceRef[]) => {
    setDraft(next);
    setNotice(null);
  };
  /** Swaps entry i with the nearest one of the same kind in direction `dir`. */
  const move = (i: number, dir: -1 | 1) => {
    let j = i + dir;
    while (j >= 0 && j < list.length && list[j]!.kind !== list[i]!.kind) j += dir;
    if (j < 0 || j >= list.length) return;
    const next = [...list];
    [next[i], next[j]] = [next[j]!, next[i]!];
    edit(next);
  };
  const save = async () => {
    setBusy(true);
    try {
      const next: Settings = await callApi('settings.update', { sourceOrder: list });
      useSettingsStore.getState().setSettings(next);
      setDraft(null);
      setNotice({ kind: 'saved' });
      st.reload();
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    } finally {
      setBusy(false);
    }
  };
  const firstOf = (i: number) => !list.slice(0, i).some((r) => r.kind === list[i]!.kind);
  const lastOf = (i: number) => !list.slice(i + 1).some((r) => r.kind === list[i]!.kind);

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
            <th>{t('src.col.on')}</th>
            <th>{t('src.col.state')}</th>
            <th className="num">{t('src.col.latency')}</th>
            <th>{t('src.col.lastError')}</th>
            <th>{t('src.col.order')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => {
            const s = byKey.get(`${r.kind} ${r.id}`);
            if (!s) return null;
            const rank = list.slice(0, i).filter((x) => x.kind === r.kind).length + 1;
            return (
              <tr key={`${r.kind}:${r.id}`} data-testid="source-row" data-state={s.state} data-kind={r.kind} data-on={r.enabled}>
                <td>
                  {rank}. <span data-testid="source-name">{s.name}</span>{' '}
                  <span className="muted small">
                    {t(s.kind === 'peer' ? 'src.kind.peer' : 'src.kind.exchange')}
                    {s.service !== null && ` · ${t(`src.service.${s.service}`)}`}
                    {s.active && ` · ${t('src.active')}`}
                  </span>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('src.toggle', { name: s.name })}
                    checked={r.enabled}
                    onChange={(e) => edit(list.map((x, k) => (k === i ? { ...x, enabled: e.target.checked } : x)))}
                    data-testid="source-on"
                  />
                </td>
                <td>{r.enabled ? t(`src.state.${s.state}`) : t('src.off')}</td>
                <td className="num mono">{s.latencyMs === null ? '—' : `${s.latencyMs} ms`}</td>
                <td className="error-text" data-testid="source-last-error">
                  {recordSentence(t, s.lastErrorReason, s.lastError)}
                  {s.lastErrorAt !== null && <span className="muted small"> ({formatDateTime(s.lastErrorAt)})</span>}
                </td>
                <td>
                  <button
                    type="button"
                    disabled={firstOf(i)}
                    onClick={() => move(i, -1)}
                    aria-label={t('src.up', { name: s.name })}
                    data-testid="source-up"
                  >
                    ↑
                  </button>{' '}
                  <button
                    type="button"
                    disabled={lastOf(i)}
                    onClick={() => move(i, 1)}
                    aria-label={t('src.down', { name: s.name })}
                    data-testid="source-down"
                  >
                    ↓
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {issues.length > 0 && (
        <div className="field-error" role="alert" data-testid="source-order-error">
          {issueSentence(t, issues[0]!)}
        </div>
      )}
      <div className="toolbar">
        <button type="button" className="primary" disabled={busy || !dirty || issues.length > 0} onClick={save} data-testid="source-save">
          {t('src.save')}
        </button>
        <button type="button" disabled={busy || !dirty} onClick={() => (setDraft(null), setNotice(null))}>
          {t('src.revert')}
        </button>
        {notice?.kind === 'saved' && (
          <span className="ok-text" role="status" data-testid="source-saved">
            {t('src.saved')}
          </span>
        )}
      </div>
      {notice?.kind === 'error' && (
        <div className="alert" role="alert" data-testid="source-save-error">
          {t('src.notSaved', { message: describe(notice.error) })}
        </div>
      )}
    </section>
  );
}

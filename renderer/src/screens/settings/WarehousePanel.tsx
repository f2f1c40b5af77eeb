import { useEffect, useState } from 'react';
import type { WarehouseConfigView, WarehouseStatus, WarehouseTestResult } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { useT, type MessageKey } from '../../i18n';
import { useDescribeError } from '../../lib/errors';

type Notice = { kind: 'saved' } | { kind: 'tested'; result: WarehouseTestResult } | { kind: 'error'; error: unknown } | null;

/** Settings › Warehouse: the PostgreSQL URL, on/off, datasets, "Test connection" and the mirror's status per dataset. */
export function WarehousePanel() {
  const t = useT();
  const describe = useDescribeError();
  const [view, setView] = useState<WarehouseConfigView | null>(null);
  const [status, setStatus] = useState<WarehouseStatus | null>(null);
  const [url, setUrl] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [datasets, setDatasets] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const adopt = (v: WarehouseConfigView) => {
    setView(v);
    setUrl(v.url ?? '');
    setEnabled(v.enabled);
    setDatasets(v.datasets);
  };
  useEffect(() => {
    callApi('warehouse.get', {}).then(adopt, (e: unknown) => setNotice({ kind: 'error', error: e }));
    let live = true;
    const poll = () =>
      callApi('warehouse.status', {}).then(
        (s) => live && setStatus(s),
        () => {},
      );
    void poll();
    const timer = setInterval(() => void poll(), 1_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  if (!view) return null;
  const urlChanged = url.trim() !== (view.url ?? '');
  const save = async () => {
    setBusy('save');
    try {
      adopt(await callApi('warehouse.update', { ...(urlChanged ? { url: url.trim() } : {}), enabled, datasets }));
      setNotice({ kind: 'saved' });
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    } finally {
      setBusy(null);
    }
  };
  const test = async () => {
    setBusy('test');
    try {
      setNotice({ kind: 'tested', result: await callApi('warehouse.test', urlChanged || !view.url ? { url: url.trim() } : {}) });
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    } finally {
      setBusy(null);
    }
  };
  const toggle = (code: string, on: boolean) => {
    const cur = datasets ?? view.syncable;
    const next = on ? [...cur, code] : cur.filter((c) => c !== code);
    setDatasets(view.syncable.every((c) => next.includes(c)) ? null : view.syncable.filter((c) => next.includes(c)));
  };
  const state = status?.state ?? 'off';

  return (
    <section className="panel" data-testid="warehouse-panel">
      <h2>{t('wh.title')}</h2>
      <p className="hint">{t('wh.intro')}</p>
      {view.overridden && <p className="hint">{t('wh.overridden')}</p>}
      <div className="field">
        <label htmlFor="f-wh-url">{t('wh.url')}</label>
        <div className="control">
          <input
            id="f-wh-url"
            className="wide"
            value={url}
            spellCheck={false}
            placeholder="postgres://csn@db.lan:5432/market"
            onChange={(e) => setUrl(e.target.value)}
            data-testid="wh-url"
          />
          <div className="hint">
            {t('wh.url.hint')} {view.hasPassword && !urlChanged ? t('wh.url.savedPassword') : ''}
          </div>
        </div>
      </div>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="wh-enabled" />
          {t('wh.enabled')}
        </label>
      </div>
      <div className="field">
        <label>{t('wh.datasets')}</label>
        <div className="control checks">
          {view.syncable.map((code) => (
            <label className="check" key={code}>
              <input
                type="checkbox"
                checked={(datasets ?? view.syncable).includes(code)}
                onChange={(e) => toggle(code, e.target.checked)}
              />
              {code}
            </label>
          ))}
          {datasets === null && <span className="hint">{t('wh.datasets.all')}</span>}
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void save()} data-testid="wh-save">
          {t('wh.save')}
        </button>
        <button type="button" disabled={busy !== null || url.trim() === ''} onClick={() => void test()} data-testid="wh-test">
          {busy === 'test' ? t('wh.testing') : t('wh.test')}
        </button>
        {notice?.kind === 'saved' && (
          <span className="ok-text" role="status">
            {t('wh.saved')}
          </span>
        )}
      </div>
      {notice?.kind === 'tested' && (
        <div className="ok-text" role="status" data-testid="wh-test-result">
          {t('wh.test.ok', { version: notice.result.serverVersion })}{' '}
          {t(
            notice.result.timescale
              ? 'wh.test.timescale'
              : notice.result.timescaleAvailable
                ? 'wh.test.timescaleAvailable'
                : 'wh.test.noTimescale',
          )}
          {notice.result.missingPrivileges.length > 0 && ` ${t('wh.test.missing', { list: notice.result.missingPrivileges.join(', ') })}`}
        </div>
      )}
      {notice?.kind === 'error' && (
        <div className="alert" role="alert" data-testid="wh-error">
          {describe(notice.error)}
        </div>
      )}
      <p>
        {t('wh.state')}{' '}
        <strong data-testid="wh-state" data-state={state}>
          {t(`wh.state.${state}` satisfies MessageKey)}
        </strong>
        {state === 'error' && status?.lastError && <span className="error-text"> — {status.lastError}</span>}
      </p>
      {status && status.datasets.length > 0 && state !== 'off' && (
        <table className="table" data-testid="wh-datasets">
          <thead>
            <tr>
              <th>{t('wh.col.dataset')}</th>
              <th>{t('wh.col.table')}</th>
              <th>{t('wh.col.lag')}</th>
              <th>{t('wh.col.rows')}</th>
              <th>{t('wh.col.lastWrite')}</th>
            </tr>
          </thead>
          <tbody>
            {status.datasets.map((d) => (
              <tr key={d.code} data-code={d.code}>
                <td>{d.code}</td>
                <td className="mono">{d.table}</td>
                <td data-testid={`wh-lag-${d.code}`}>{d.error ? t('wh.stopped', { message: d.error }) : d.lagRows}</td>
                <td>{d.rows}</td>
                <td>{d.lastWriteAt ? new Date(d.lastWriteAt).toLocaleString() : t('wh.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { CANDLE_BARS, CANDLE_DATASET, type CandleBar, type Settings } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { useT, type MessageKey } from '../../i18n';
import { useDescribeError } from '../../lib/errors';
import { useNodeStore } from '../../state/node-store';
import { useSettingsStore } from '../../state/settings-store';

type Notice = { kind: 'saved' } | { kind: 'error'; error: unknown } | null;

const formatBytes = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`;

/** Text of a retention value in the form: '' = forever. */
const daysText = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/**
 * Settings › Data: the candle timeframes collected (settings.streams.candles), days kept per candle
 * dataset (settings.retention), and the size on disk of every dataset (status.get's storage).
 */
export function DataSection() {
  const t = useT();
  const describe = useDescribeError();
  const saved = useSettingsStore((s) => s.settings);
  const storage = useNodeStore((s) => s.status?.storage);
  const [bars, setBars] = useState<CandleBar[]>([]);
  const [keep, setKeep] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const adopt = (s: Settings) => {
    setBars(s.streams.candles);
    setKeep(Object.fromEntries(CANDLE_BARS.map((b) => [CANDLE_DATASET[b], daysText(s.retention[CANDLE_DATASET[b]])])));
  };
  useEffect(() => {
    if (saved) adopt(saved);
  }, [saved]);
  if (!saved) return null;

  const save = async () => {
    setBusy(true);
    try {
      const retention: Settings['retention'] = { ...saved.retention };
      for (const [code, v] of Object.entries(keep)) {
        if (v.trim() === '') delete retention[code];
        else retention[code] = Number(v);
      }
      const order = CANDLE_BARS.filter((b) => bars.includes(b));
      const next = await callApi('settings.update', { streams: { ...saved.streams, candles: order }, retention });
      useSettingsStore.getState().setSettings(next);
      adopt(next);
      setNotice({ kind: 'saved' });
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    }
    setBusy(false);
  };

  return (
    <section className="panel" data-testid="data-section">
      <h2>{t('data.title')}</h2>
      <p className="hint">{t('data.intro')}</p>
      <div className="field">
        <label>{t('data.candles')}</label>
        <div className="control">
          <div className="checks">
            {CANDLE_BARS.map((b) => (
              <label className="check" key={b}>
                <input
                  type="checkbox"
                  data-testid={`data-bar-${b}`}
                  checked={b === '30m' || bars.includes(b)}
                  disabled={b === '30m'}
                  onChange={(e) => setBars(e.target.checked ? [...bars, b] : bars.filter((x) => x !== b))}
                />
                {t(`bar.${b}` satisfies MessageKey)}
              </label>
            ))}
          </div>
          <div className="hint">{t('data.candles.hint')}</div>
        </div>
      </div>
      <div className="field">
        <label>{t('data.retention')}</label>
        <div className="control">
          {CANDLE_BARS.map((b) => {
            const code = CANDLE_DATASET[b];
            return (
              <div key={code}>
                <label htmlFor={`f-keep-${code}`} className="mono">
                  {code} ({t(`bar.${b}` satisfies MessageKey)})
                </label>{' '}
                <input
                  id={`f-keep-${code}`}
                  data-testid={`data-keep-${code}`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={keep[code] ?? ''}
                  onChange={(e) => setKeep({ ...keep, [code]: e.target.value })}
                />{' '}
                {t('data.retention.days')}
              </div>
            );
          })}
          <div className="hint">{t('data.retention.forever')}</div>
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="data-save">
          {t('data.save')}
        </button>
        {notice?.kind === 'saved' && (
          <span className="ok-text" role="status" data-testid="data-saved">
            {t('data.saved')}
          </span>
        )}
      </div>
      {notice?.kind === 'error' && (
        <div className="alert" role="alert" data-testid="data-error">
          {describe(notice.error)}
        </div>
      )}
      {storage && storage.length > 0 ? (
        <table className="table" data-testid="data-storage">
          <thead>
            <tr>
              <th>{t('data.col.dataset')}</th>
              <th>{t('data.col.rows')}</th>
              <th>{t('data.col.size')}</th>
              <th>{t('data.col.keep')}</th>
            </tr>
          </thead>
          <tbody>
            {storage.map((s) => (
              <tr key={s.code} data-code={s.code}>
                <td className="mono">{s.code}</td>
                <td className="num">{s.rows.toLocaleString()}</td>
                <td className="num">{s.estimated ? t('data.size.estimated', { size: formatBytes(s.bytes) }) : formatBytes(s.bytes)}</td>
                <td>{s.retentionDays === null ? t('data.keep.forever') : t('data.keep.days', { days: s.retentionDays })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">{t('data.storage.none')}</p>
      )}
    </section>
  );
}

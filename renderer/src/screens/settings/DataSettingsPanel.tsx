import { useEffect, useRef, useState } from 'react';
import { CANDLE_BARS, type Settings } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { useT, type MessageKey } from '../../i18n';
import { barName } from '../../lib/bar-names';
import { check, issueSentence, issuesOfError, useDescribeError } from '../../lib/errors';
import { useSettingsStore } from '../../state/settings-store';
import {
  dataDraftOf,
  dataFieldOf,
  dataPatchOf,
  DataSchema,
  INITIAL_BARS,
  RETENTION_CODES,
  sameDraft,
  sectionIssue,
  STREAM_FLAGS,
  type DataDraft,
} from './data-draft';

type Notice = { kind: 'saved' } | { kind: 'error'; error: unknown } | null;

/**
 * Settings › Data: the collector's streams, retention per dataset and the initial history per
 * timeframe. Its own form and Save (like the warehouse panel), sent through settings.update;
 * checked as typed with the contract's schema, and the node's answer shown under each input.
 */
export function DataSettingsPanel() {
  const t = useT();
  const describe = useDescribeError();
  const saved = useSettingsStore((s) => s.settings);
  const [draft, setDraft] = useState<DataDraft | null>(saved ? dataDraftOf(saved) : null);
  const base = useRef<DataDraft | null>(draft);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);

  // Saved settings changed under the form (another window, a reset): take them unless the user has edited.
  useEffect(() => {
    if (!saved) return;
    const next = dataDraftOf(saved);
    // The old base read now: the updater may run after the line below has moved base on.
    const old = base.current;
    setDraft((d) => (d && old && !sameDraft(d, old) ? d : next));
    base.current = next;
  }, [saved]);

  if (!draft || !saved) return null;
  const dirty = !sameDraft(draft, dataDraftOf(saved));
  const patch = dataPatchOf(draft, saved);
  const issues = [...(notice?.kind === 'error' ? issuesOfError(notice.error) : []), ...check(DataSchema, patch)];
  const errors = new Map<string, string>();
  for (const i of issues) {
    const f = dataFieldOf(i.path);
    if (f && !errors.has(f)) errors.set(f, issueSentence(t, sectionIssue(i)));
  }
  const edit = (d: DataDraft) => {
    setDraft(d);
    if (notice?.kind === 'saved') setNotice(null);
  };
  const save = async () => {
    setBusy(true);
    try {
      const next: Settings = await callApi('settings.update', patch);
      useSettingsStore.getState().setSettings(next);
      base.current = dataDraftOf(next);
      setDraft(dataDraftOf(next));
      setNotice({ kind: 'saved' });
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (id: string) =>
    errors.has(id) ? (
      <div className="field-error" data-testid={`data-error-${id}`}>
        {errors.get(id)}
      </div>
    ) : null;
  const days = (id: string, value: string, placeholder: string, onChange: (v: string) => void) => (
    <div className={errors.has(id) ? 'field invalid' : 'field'} key={id} data-field={id}>
      <label htmlFor={`f-${id}`}>{labelOf(t, id)}</label>
      <div className="control">
        <input
          id={`f-${id}`}
          type="number"
          inputMode="numeric"
          min={0}
          value={value}
          placeholder={placeholder}
          aria-invalid={errors.has(id)}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`data-${id}`}
        />{' '}
        <span className="hint">{t('data.days')}</span>
        {fieldError(id)}
      </div>
    </div>
  );

  return (
    <section className="panel" data-testid="data-panel">
      <h2>{t('data.title')}</h2>
      <p className="hint">{t('data.intro')}</p>

      <h3>{t('data.streams')}</h3>
      <div className="field">
        <label>{t('data.candles')}</label>
        <div className="control checks">
          {CANDLE_BARS.map((b) => (
            <label className="check" key={b}>
              <input
                type="checkbox"
                checked={draft.candles.includes(b)}
                onChange={(e) =>
                  edit({ ...draft, candles: CANDLE_BARS.filter((x) => (x === b ? e.target.checked : draft.candles.includes(x))) })
                }
                data-testid={`data-candle-${b}`}
              />
              {barName(t, b)}
            </label>
          ))}
        </div>
      </div>
      <div className="checks">
        {STREAM_FLAGS.map((f) => (
          <label className="check" key={f}>
            <input
              type="checkbox"
              checked={draft.flags[f]}
              onChange={(e) => edit({ ...draft, flags: { ...draft.flags, [f]: e.target.checked } })}
              data-testid={`data-stream-${f}`}
            />
            {t(`data.${f}` satisfies MessageKey)}
          </label>
        ))}
      </div>
      {fieldError('streams')}

      <h3>{t('data.retention')}</h3>
      <p className="hint">{t('data.retention.hint')}</p>
      {RETENTION_CODES.map((c) =>
        days(`retention.${c}`, draft.retention[c], t('data.forever'), (v) => edit({ ...draft, retention: { ...draft.retention, [c]: v } })),
      )}

      <h3>{t('data.initial')}</h3>
      <p className="hint">{t('data.initial.hint')}</p>
      {INITIAL_BARS.map((b) =>
        days(`initialWindows.${b}`, draft.initialWindows[b], '0', (v) =>
          edit({ ...draft, initialWindows: { ...draft.initialWindows, [b]: v } }),
        ),
      )}

      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !dirty || errors.size > 0}
          onClick={() => void save()}
          data-testid="data-save"
        >
          {t('data.save')}
        </button>
        <button
          type="button"
          disabled={busy || !dirty}
          onClick={() => {
            setDraft(dataDraftOf(saved));
            setNotice(null);
          }}
        >
          {t('data.revert')}
        </button>
        {notice?.kind === 'saved' && (
          <span className="ok-text" role="status" data-testid="data-saved">
            {t('data.saved')}
          </span>
        )}
      </div>
      {notice?.kind === 'error' && errors.size === 0 && (
        <div className="alert" role="alert" data-testid="data-error">
          {t('data.notSaved', { message: describe(notice.error) })}
        </div>
      )}
    </section>
  );
}

/** The label of a retention or initial-history input: the dataset's name, or the timeframe's. */
function labelOf(t: ReturnType<typeof useT>, id: string): string {
  const [section, key = ''] = id.split('.');
  if (section === 'retention') return `${t(`data.ds.${key}` as MessageKey)} · ${key}`;
  return barName(t, key);
}

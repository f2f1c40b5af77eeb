import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LanguageSchema, SettingsSchema, type HandlerInput, type Settings } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { check as checkSchema, issuesByField, issuesOfError, useDescribeError } from '../../lib/errors';
import { whenValid } from '../../lib/select-value';
import { useNodeStore } from '../../state/node-store';
import { useSettingsStore } from '../../state/settings-store';
import { UpDownColours } from './UpDownColours';
import { CoinPicker } from './CoinPicker';
import { LeaveGuard } from './LeaveGuard';
import { WarehousePanel } from './WarehousePanel';
import { DataSettingsPanel } from './DataSettingsPanel';
import { SourcesPanel } from './SourcesPanel';
import { changedFields, defaultSettings, draftOf, fieldOfPath, patchOf, rebase, type Draft, type FieldId } from './draft';

type Notice = { kind: 'ok'; key: MessageKey } | { kind: 'error'; error: unknown } | null;

export function SettingsScreen() {
  const t = useT();
  const locale = useLocale();
  const describe = useDescribeError();
  const saved = useSettingsStore((s) => s.settings);
  const loadError = useSettingsStore((s) => s.loadError);
  const dataDir = useNodeStore((s) => s.status?.dataDir);
  const headless = useNodeStore((s) => s.status?.mode === 'headless');
  const simulated = useNodeStore((s) => s.status?.simulate === true);
  const [draft, setDraft] = useState<Draft | null>(saved ? draftOf(saved) : null);
  const base = useRef<Draft | null>(draft);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);

  // Saved settings changed under the form: keep the user's edits, take everything else.
  useEffect(() => {
    if (!saved) return;
    const next = draftOf(saved);
    // The old base read now: the updater may run after the line below has moved base on.
    const old = base.current;
    setDraft((d) => (d && old ? rebase(d, old, next) : next));
    base.current = next;
  }, [saved]);

  if (!draft || !saved) {
    return (
      <p className={loadError !== null ? 'error-text' : 'muted'}>
        {loadError !== null ? t('common.loadFailed', { message: describe(loadError) }) : t('app.loading')}
      </p>
    );
  }
  const dirty = changedFields(draft, draftOf(saved));
  // Checked as typed, with the contract's schema (the node's own rules and sentences); what only the
  // node can check (coins it knows) comes back on save and shows until the next save.
  const typed = issuesByField(t, locale, checkSchema(SettingsSchema, patchOf(draft)), fieldOfPath);
  const errors = { ...(notice?.kind === 'error' ? issuesByField(t, locale, issuesOfError(notice.error), fieldOfPath) : {}), ...typed };

  const edit = <F extends FieldId>(field: F, value: Draft[F]) => {
    setDraft({ ...draft, [field]: value });
    if (notice?.kind === 'ok') setNotice(null);
  };
  const submit = async (patch: HandlerInput<'settings.update'>, okKey: MessageKey) => {
    setBusy(true);
    try {
      const next: Settings = await callApi('settings.update', patch);
      useSettingsStore.getState().setSettings(next);
      base.current = draftOf(next);
      setDraft(draftOf(next));
      setNotice({ kind: 'ok', key: okKey });
    } catch (e) {
      setNotice({ kind: 'error', error: e });
    } finally {
      setBusy(false);
    }
  };

  const field = (id: FieldId, label: ReactNode, control: ReactNode, hint?: string) => (
    <div className={errors[id] ? 'field invalid' : dirty.includes(id) ? 'field changed' : 'field'} data-field={id}>
      <label htmlFor={`f-${id}`}>{label}</label>
      <div className="control">
        {control}
        {hint && <div className="hint">{hint}</div>}
        {errors[id] && (
          <div className="field-error" data-testid={`error-${id}`}>
            {errors[id]}
          </div>
        )}
      </div>
    </div>
  );
  const text = (id: 'nodeName' | 'exchange.rest' | 'exchange.wsPublic' | 'exchange.wsBusiness', wide = true) => (
    <input
      id={`f-${id}`}
      className={wide ? 'wide' : undefined}
      value={draft[id]}
      aria-invalid={Boolean(errors[id])}
      onChange={(e) => edit(id, e.target.value)}
      spellCheck={false}
    />
  );
  const check = (id: 'closeToTray' | 'startAtLogin' | 'notifications', labelKey: MessageKey) => (
    <label className="check" key={id} data-field={id}>
      <input id={`f-${id}`} type="checkbox" checked={draft[id]} onChange={(e) => edit(id, e.target.checked)} />
      {t(labelKey)}
    </label>
  );

  return (
    <>
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(patchOf(draft), 'settings.saved');
        }}
      >
        <LeaveGuard unsaved={dirty.length} />
        <div className="form-actions sticky">
          <button type="submit" className="primary" disabled={busy || dirty.length === 0} data-testid="settings-save">
            {busy ? t('settings.saving') : t('settings.save')}
          </button>
          <button
            type="button"
            disabled={busy || dirty.length === 0}
            onClick={() => {
              setDraft(draftOf(saved));
              setNotice(null);
            }}
          >
            {t('settings.revert')}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void submit({ ...defaultSettings() }, 'settings.resetDone')}
            data-testid="settings-reset"
          >
            {t('settings.reset')}
          </button>
          {dirty.length > 0 && (
            <span className="unsaved" data-testid="settings-unsaved">
              ● {t('settings.unsaved')} ({dirty.length})
            </span>
          )}
          {notice?.kind === 'ok' && (
            <span className="ok-text" role="status" data-testid="settings-notice">
              {t(notice.key)}
            </span>
          )}
        </div>
        {notice?.kind === 'error' && (
          <div className="alert" role="alert" data-testid="settings-error">
            {t('settings.notSaved', { message: describe(notice.error) })}
          </div>
        )}

        <section className="panel">
          <h2>{t('settings.general')}</h2>
          {field(
            'language',
            t('settings.language'),
            <select
              id="f-language"
              value={draft.language}
              onChange={(e) => whenValid(LanguageSchema, e.target.value, (v) => edit('language', v))}
            >
              <option value="system">{t('lang.system')}</option>
              <option value="en">{t('lang.en')}</option>
              <option value="zh-CN">{t('lang.zh-CN')}</option>
            </select>,
          )}
          <UpDownColours />
          {field('nodeName', t('settings.nodeName'), text('nodeName', false), t('settings.nodeName.hint'))}
          {field(
            'coins',
            t('settings.coins'),
            <CoinPicker value={draft.coins} saved={saved.coins} invalid={Boolean(errors.coins)} onChange={(c) => edit('coins', c)} />,
          )}
          <div className="field">
            <label>{t('settings.dataDir')}</label>
            <div className="control">
              <span className="mono">{dataDir ?? '—'}</span>
              <div className="hint">{t('settings.dataDir.hint')}</div>
            </div>
          </div>
        </section>

        <section className="panel">
          <h2>{t('settings.exchange')}</h2>
          {simulated ? (
            <p className="muted" data-testid="settings-exchange-simulated">
              {t('settings.exchange.simulated')}
            </p>
          ) : (
            <>
              {field('exchange.rest', t('settings.exchange.rest'), text('exchange.rest'))}
              {field('exchange.wsPublic', t('settings.exchange.wsPublic'), text('exchange.wsPublic'))}
              {field('exchange.wsBusiness', t('settings.exchange.wsBusiness'), text('exchange.wsBusiness'))}
            </>
          )}
        </section>

        <section className="panel">
          <h2>{t('settings.desktop')}</h2>
          {headless ? (
            <p className="muted" data-testid="settings-desktop-headless">
              {t('settings.desktop.headless')}
            </p>
          ) : (
            <div className="checks">
              {check('closeToTray', 'settings.closeToTray')}
              {check('startAtLogin', 'settings.startAtLogin')}
              {check('notifications', 'settings.notifications')}
            </div>
          )}
        </section>

        <section className="panel">
          <h2>{t('settings.logs')}</h2>
          {field(
            'logBufferLines',
            t('settings.logBufferLines'),
            <input
              id="f-logBufferLines"
              type="number"
              inputMode="numeric"
              value={draft.logBufferLines}
              aria-invalid={Boolean(errors.logBufferLines)}
              onChange={(e) => edit('logBufferLines', e.target.value)}
            />,
            t('settings.logBufferLines.hint'),
          )}
        </section>
      </form>
      <div className="settings">
        <DataSettingsPanel />
        <WarehousePanel />
        <SourcesPanel />
      </div>
    </>
  );
}

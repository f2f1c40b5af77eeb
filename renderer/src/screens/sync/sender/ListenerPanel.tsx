import { useEffect, useState } from 'react';
import type { SenderConfigPatch, SenderConfigView } from '../../../../../preload/contract';
import { useT } from '../../../i18n';
import { CopyButton } from './CopyButton';
import { errorMessage } from './format';

/** On/off, LAN on/off with the addresses peers can use, and the port (applying it re-binds). */
export function ListenerPanel({ view, apply }: { view: SenderConfigView; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const { config } = view;
  const [busy, setBusy] = useState(false);
  /** A switch flips at once while the node applies it; the node's answer then takes over. */
  const [pending, setPending] = useState<SenderConfigPatch>({});
  const [error, setError] = useState<string | null>(null);
  const [port, setPort] = useState(String(config.port));
  const [portError, setPortError] = useState<string | null>(null);
  // A port saved elsewhere (another window, the control API) replaces an untouched field.
  useEffect(() => setPort(String(config.port)), [config.port]);

  const run = async (patch: SenderConfigPatch, onError: (m: string | null) => void) => {
    setBusy(true);
    onError(null);
    setPending(patch);
    try {
      await apply(patch);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setPending({});
      setBusy(false);
    }
  };
  const applyPort = () => {
    const trimmed = port.trim();
    // Only a non-number is caught here; range and whole-number rules are the node's.
    if (trimmed === '' || !Number.isFinite(Number(trimmed))) {
      setPortError(t('snd.port.notNumber'));
      return;
    }
    void run({ port: Number(trimmed) }, setPortError);
  };
  const portDirty = port.trim() !== String(config.port);

  return (
    <section className="panel" data-testid="sender-listener">
      <h2>{t('snd.listener')}</h2>
      <div className="switches">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={pending.enabled ?? config.enabled}
            disabled={busy}
            onChange={(e) => void run({ enabled: e.target.checked }, setError)}
            data-testid="sender-enabled"
          />
          <span>{t('snd.enabled')}</span>
        </label>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={pending.lanEnabled ?? config.lanEnabled}
            disabled={busy}
            onChange={(e) => void run({ lanEnabled: e.target.checked }, setError)}
            data-testid="sender-lan"
          />
          <span>{t('snd.lan')}</span>
        </label>
      </div>
      {error && (
        <div className="field-error" role="alert" data-testid="sender-listener-error">
          {error}
        </div>
      )}
      <p className={config.lanEnabled ? 'note warn-note' : 'note'} data-testid="sender-lan-note">
        {config.lanEnabled ? t('snd.lan.onNote') : t('snd.lan.offNote')}
      </p>

      <div className="field">
        <label htmlFor="snd-port">{t('snd.port')}</label>
        <div className="control">
          <div className="row">
            <input
              id="snd-port"
              className="num"
              inputMode="numeric"
              value={port}
              aria-invalid={Boolean(portError)}
              onChange={(e) => setPort(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && applyPort()}
              data-testid="sender-port"
            />
            <button type="button" disabled={busy || !portDirty} onClick={applyPort} data-testid="sender-port-apply">
              {t('snd.port.apply')}
            </button>
          </div>
          <div className="hint">{t('snd.port.hint', { port: view.listening?.port ?? '—' })}</div>
          {portError && (
            <div className="field-error" data-testid="sender-port-error">
              {portError}
            </div>
          )}
        </div>
      </div>

      <div className="field">
        <label>{t('snd.addresses')}</label>
        <div className="control">
          {view.addresses.length === 0 ? (
            <span className="muted">{t('snd.addresses.none')}</span>
          ) : (
            <ul className="addr-list" data-testid="sender-addresses">
              {view.addresses.map((a) => (
                <li key={a.url}>
                  <span className="mono">{a.url}</span>
                  <span className="muted">{a.interface === 'loopback' ? t('snd.addresses.loopback') : a.interface}</span>
                  <CopyButton text={a.url} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { SenderConfigPatchSchema, type SenderConfigPatch, type SenderConfigView } from '../../../../../preload/contract';
import { useT } from '../../../i18n';
import { check, issueSentence, useDescribeError } from '../../../lib/errors';
import { CopyButton } from './CopyButton';

/** On/off, LAN on/off with the addresses peers can use, and the port (applying it re-binds). */
export function ListenerPanel({ view, apply }: { view: SenderConfigView; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const { config } = view;
  const [busy, setBusy] = useState(false);
  /** A switch flips at once while the node applies it; the node's answer then takes over. */
  const [pending, setPending] = useState<SenderConfigPatch>({});
  const describe = useDescribeError();
  const [error, setError] = useState<unknown>(null);
  const [port, setPort] = useState(String(config.port));
  const [portError, setPortError] = useState<unknown>(null);
  // A port saved elsewhere (another window, the control API) replaces an untouched field.
  useEffect(() => setPort(String(config.port)), [config.port]);

  const run = async (patch: SenderConfigPatch, onError: (e: unknown) => void) => {
    setBusy(true);
    onError(null);
    setPending(patch);
    try {
      await apply(patch);
    } catch (e) {
      onError(e);
    } finally {
      setPending({});
      setBusy(false);
    }
  };
  const trimmed = port.trim();
  const portValue = trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : null;
  // Checked as typed with the contract's rule; a port the node still refuses comes back as its sentence.
  const typedPort = portValue === null ? null : check(SenderConfigPatchSchema, { port: portValue })[0];
  const portMessage =
    portValue === null && trimmed !== ''
      ? t('snd.port.notNumber')
      : typedPort
        ? issueSentence(t, typedPort)
        : portError !== null
          ? describe(portError)
          : null;
  const applyPort = () => {
    if (portValue === null) {
      setPortError(new Error(t('snd.port.notNumber')));
      return;
    }
    if (typedPort) return;
    void run({ port: portValue }, setPortError);
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
      {error !== null && (
        <div className="field-error" role="alert" data-testid="sender-listener-error">
          {describe(error)}
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
              aria-invalid={portMessage !== null}
              onChange={(e) => (setPort(e.target.value), setPortError(null))}
              onKeyDown={(e) => e.key === 'Enter' && applyPort()}
              data-testid="sender-port"
            />
            <button type="button" disabled={busy || !portDirty} onClick={applyPort} data-testid="sender-port-apply">
              {t('snd.port.apply')}
            </button>
          </div>
          <div className="hint">{t('snd.port.hint', { port: view.listening?.port ?? '—' })}</div>
          {portMessage !== null && (
            <div className="field-error" data-testid="sender-port-error">
              {portMessage}
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

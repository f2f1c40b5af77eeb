import { useEffect, useState } from 'react';
import type { PairingState, SenderConfigView } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { IdentityBlock } from '../../../components/IdentityBlock';
import { useT } from '../../../i18n';
import { useDescribeError } from '../../../lib/errors';
import { formatCountdown } from '../../../lib/identity-format';
import { useNodeEvent } from '../../../lib/use-event';
import { useNow } from '../../../lib/use-now';
import { CopyButton } from './CopyButton';

/**
 * Sync › Sender › Pair a device: opens a one-time code (5 minutes, 3 tries) and shows it large,
 * with its countdown and a copyable link; the node's `pairing.changed` events say when a device
 * paired (with its node ID to compare), tried a wrong code, or the code expired.
 */
export function PairingPanel({ view }: { view: SenderConfigView }) {
  const t = useT();
  const describe = useDescribeError();
  const now = useNow(500);
  const [state, setState] = useState<PairingState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    callApi('pairing.status', {}).then(setState, (e: unknown) => setError(describe(e)));
  }, [describe]);
  useNodeEvent('pairing.changed', setState);

  const run = async (fn: () => Promise<PairingState>) => {
    setBusy(true);
    setError(null);
    try {
      setState(await fn());
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  const running = view.state === 'running';
  const open = state?.active && state.expiresAt !== null && state.expiresAt > now ? state : null;
  const last = state?.last;

  return (
    <section className="panel pairing" data-testid="pairing-panel">
      <h2>{t('pair.title')}</h2>
      <IdentityBlock nodeId={view.identity.nodeId} fingerprint={view.identity.fingerprint} testId="sender-identity" />
      <p className="hint">{t('pair.intro')}</p>
      {!running && <p className="note">{t('pair.senderOff')}</p>}
      {running && !view.config.lanEnabled && <p className="note">{t('pair.lanOff')}</p>}
      {open ? (
        <div className="pair-open" data-testid="pairing-open">
          <div className="pair-code-row">
            <span className="muted">{t('pair.code')}</span>
            <code className="pair-code mono" data-testid="pairing-code">
              {open.code}
            </code>
          </div>
          <div className="row">
            <span data-testid="pairing-countdown">{t('pair.expiresIn', { time: formatCountdown(open.expiresAt! - now) })}</span>
            <span className="muted" data-testid="pairing-tries">
              {t('pair.tries', { n: open.attemptsLeft })}
            </span>
          </div>
          <p className="hint">{t('pair.codeHint')}</p>
          {open.addresses.length > 1 && (
            <label className="field">
              <span>{t('pair.address')}</span>
              <select
                value={open.address ?? ''}
                disabled={busy}
                onChange={(e) => void run(() => callApi('pairing.start', { address: e.target.value }))}
                data-testid="pairing-address"
              >
                {open.addresses.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          )}
          {open.link && (
            <div className="token-row">
              <code className="token mono small" data-testid="pairing-link">
                {open.link}
              </code>
              <CopyButton text={open.link} testId="pairing-link-copy" />
            </div>
          )}
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void run(() => callApi('pairing.start', {}))} data-testid="pairing-renew">
              {t('pair.again')}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(() => callApi('pairing.cancel', {}))}
              data-testid="pairing-cancel"
            >
              {t('pair.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={busy || !running}
          onClick={() => void run(() => callApi('pairing.start', {}))}
          data-testid="pairing-start"
        >
          {t('pair.start')}
        </button>
      )}
      {last && (
        <p
          className={last.outcome === 'paired' ? 'ok-text' : 'note'}
          role="status"
          data-testid="pairing-result"
          data-outcome={last.outcome}
        >
          {t(`pair.last.${last.outcome}`, {
            name: last.device?.name ?? '',
            nodeId: last.device?.nodeId ?? '',
            left: state?.attemptsLeft ?? 0,
          })}
        </p>
      )}
      {error && (
        <div className="field-error" role="alert" data-testid="pairing-error">
          {error}
        </div>
      )}
    </section>
  );
}

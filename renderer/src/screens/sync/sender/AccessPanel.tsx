import { useState } from 'react';
import type { SenderConfigPatch, SenderConfigView } from '../../../../../preload/contract';
import { useT } from '../../../i18n';
import { useDescribeError } from '../../../lib/errors';

/** The two ways in for what cannot pair: the shared token, and plain HTTP from this machine. Both off by default. */
export function AccessPanel({ view, apply }: { view: SenderConfigView; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const describe = useDescribeError();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const flip = async (patch: SenderConfigPatch) => {
    setBusy(true);
    setError(null);
    try {
      await apply(patch);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" data-testid="sender-access">
      <h2>{t('acc.title')}</h2>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={view.config.legacyToken}
          disabled={busy}
          onChange={(e) => void flip({ legacyToken: e.target.checked })}
          data-testid="sender-legacy-token"
        />
        <span>{t('acc.legacy')}</span>
      </label>
      <div className="hint">{t('acc.legacyHint')}</div>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={view.config.loopbackHttp}
          disabled={busy}
          onChange={(e) => void flip({ loopbackHttp: e.target.checked })}
          data-testid="sender-loopback-http"
        />
        <span>{t('acc.plain')}</span>
      </label>
      <div className="hint">{t('acc.plainHint')}</div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}

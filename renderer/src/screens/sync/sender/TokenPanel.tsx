import { useState } from 'react';
import type { SenderConfigView } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { useT } from '../../../i18n';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CopyButton } from './CopyButton';
import { useDescribeError } from '../../../lib/errors';

/** The bearer token peers present: masked by default, with reveal, copy and a confirmed rotate. */
export function TokenPanel({ view, onChange }: { view: SenderConfigView; onChange: (v: SenderConfigView) => void }) {
  const t = useT();
  const [revealed, setRevealed] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const describe = useDescribeError();
  const [notice, setNotice] = useState<{ ok: true } | { ok: false; error: unknown } | null>(null);

  const rotate = async () => {
    setAsking(false);
    setBusy(true);
    try {
      onChange(await callApi('sender.token.rotate', {}));
      setNotice({ ok: true });
    } catch (e) {
      setNotice({ ok: false, error: e });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="sender-token-panel">
      <h2>{t('snd.token')}</h2>
      <div className="token-row">
        <code className="token mono" data-testid="sender-token" data-revealed={revealed}>
          {revealed ? view.token : '•'.repeat(24)}
        </code>
        <button type="button" onClick={() => setRevealed((r) => !r)} data-testid="sender-token-reveal" aria-pressed={revealed}>
          {revealed ? t('snd.token.hide') : t('snd.token.reveal')}
        </button>
        <CopyButton text={view.token} testId="sender-token-copy" />
        <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)} data-testid="sender-token-rotate">
          {t('snd.token.rotate')}
        </button>
      </div>
      <div className="hint">{t('snd.token.hint')}</div>
      {notice && (
        <div className={notice.ok ? 'ok-text' : 'field-error'} role="status" data-testid="sender-token-notice">
          {notice.ok ? t('snd.token.rotated') : describe(notice.error)}
        </div>
      )}
      {asking && (
        <ConfirmDialog
          title={t('snd.token.confirmTitle')}
          confirmLabel={t('snd.token.rotate')}
          onConfirm={() => void rotate()}
          onCancel={() => setAsking(false)}
          testId="rotate-dialog"
        >
          <p>{t('snd.token.confirmBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

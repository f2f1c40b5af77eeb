import { useEffect, useRef, useState } from 'react';
import type { PairResult } from '../../../../../preload/contract';
import { parsePairLink } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { useT } from '../../../i18n';
import { useDescribeError } from '../../../lib/errors';

export interface PairDraft {
  /** Prefilled address (a discovered node, or a peer that must pair again). */
  url?: string;
  /** The node ID the sender announced (discovery) or had (pair again). */
  nodeId?: string;
  name?: string;
  /** Pair an existing peer again: it keeps its cursors and history. */
  peerId?: string;
}

/**
 * Sync › Receiver › Pair: a pairing link, or the sender's address plus the code on its screen.
 * The node does the exchange (peers.pair); on success the sender's node ID is shown to compare
 * with the one on the sender's own screen.
 */
export function PairDialog(props: { initial: PairDraft; onClose(): void; onPaired(): void }) {
  const t = useT();
  const describe = useDescribeError();
  const ref = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<'link' | 'code'>(props.initial.url ? 'code' : 'link');
  const [link, setLink] = useState('');
  const [url, setUrl] = useState(props.initial.url?.replace(/^http:/, 'https:') ?? '');
  const [code, setCode] = useState('');
  const [nodeId, setNodeId] = useState(props.initial.nodeId ?? '');
  const [name, setName] = useState(props.initial.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PairResult | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);

  const parsedLink = link.trim() ? parsePairLink(link) : null;
  const codeOk = /^\d{6,10}$/.test(code.replace(/[\s-]/g, ''));
  const ready = mode === 'link' ? parsedLink?.ok === true : url.trim() !== '' && codeOk;
  const pair = async () => {
    setBusy(true);
    setError(null);
    try {
      const extra = { ...(name.trim() && { name: name.trim() }), ...(props.initial.peerId && { peerId: props.initial.peerId }) };
      const r =
        mode === 'link'
          ? await callApi('peers.pair', { link: link.trim(), ...extra })
          : await callApi('peers.pair', { url: url.trim(), code, ...(nodeId.trim() && { nodeId: nodeId.trim() }), ...extra });
      setDone(r);
      props.onPaired();
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="confirm pair-dialog" data-testid="pair-dialog" onCancel={(e) => (e.preventDefault(), props.onClose())}>
      <h2>{t('rp.title')}</h2>
      {done ? (
        <div data-testid="pair-result">
          <p className="ok-text">{t('rp.ok', { name: done.remote.name })}</p>
          <p>
            {t('rp.compare')}
            <code className="mono" data-testid="pair-remote-nodeid">
              {done.remote.nodeId}
            </code>
          </p>
        </div>
      ) : (
        <>
          <div className="row" role="tablist">
            <button type="button" aria-pressed={mode === 'link'} onClick={() => setMode('link')} data-testid="pair-mode-link">
              {t('rp.byLink')}
            </button>
            <button type="button" aria-pressed={mode === 'code'} onClick={() => setMode('code')} data-testid="pair-mode-code">
              {t('rp.byCode')}
            </button>
          </div>
          {mode === 'link' ? (
            <label className="field">
              <span>{t('rp.link')}</span>
              <textarea value={link} rows={3} onChange={(e) => setLink(e.target.value)} data-testid="pair-link" />
              {parsedLink && !parsedLink.ok && <span className="field-error">{t('err.pairing.bad_link')}</span>}
            </label>
          ) : (
            <>
              <label className="field">
                <span>{t('rp.url')}</span>
                <input
                  value={url}
                  placeholder="https://192.168.1.20:17411"
                  onChange={(e) => setUrl(e.target.value)}
                  data-testid="pair-url"
                />
              </label>
              <label className="field">
                <span>{t('rp.code')}</span>
                <input
                  className="pair-code-input mono"
                  value={code}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={12}
                  onChange={(e) => setCode(e.target.value)}
                  data-testid="pair-code"
                />
              </label>
              <label className="field">
                <span>{t('rp.nodeId')}</span>
                <input className="mono" value={nodeId} onChange={(e) => setNodeId(e.target.value)} data-testid="pair-nodeid" />
                <span className="hint">{t('rp.nodeIdHint')}</span>
              </label>
            </>
          )}
          {!props.initial.peerId && (
            <label className="field">
              <span>{t('rp.name')}</span>
              <input value={name} maxLength={64} onChange={(e) => setName(e.target.value)} data-testid="pair-name" />
            </label>
          )}
        </>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="pair-error">
          {error}
        </p>
      )}
      <div className="confirm-actions">
        {done ? (
          <button type="button" className="primary" onClick={props.onClose} data-testid="pair-done">
            {t('rp.done')}
          </button>
        ) : (
          <>
            <button type="button" onClick={props.onClose}>
              {t('snd.cancel')}
            </button>
            <button type="button" className="primary" disabled={!ready || busy} onClick={() => void pair()} data-testid="pair-submit">
              {busy ? t('rp.pairing') : t('rp.pair')}
            </button>
          </>
        )}
      </div>
    </dialog>
  );
}

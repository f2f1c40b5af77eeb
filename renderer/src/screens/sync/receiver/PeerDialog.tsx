import { useEffect, useRef, useState } from 'react';
import type { PeerStatus, PeerTestResult } from '../../../../../preload/contract';
import { issuesOf, PeerInputSchema } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { useLocale, useT } from '../../../i18n';
import { issuesByField, issuesOfError, reasonSentence, useDescribeError } from '../../../lib/errors';

export interface PeerDraft {
  name: string;
  url: string;
  token: string;
  intervalSec: string;
  priority: string;
  enabled: boolean;
  /** Comma-separated codes; empty = all syncable. */
  datasets: string;
}

export const draftOf = (p?: Partial<PeerStatus> & { url?: string; name?: string }): PeerDraft => ({
  name: p?.name ?? '',
  url: p?.url ?? '',
  token: p?.token ?? '',
  intervalSec: String(p?.intervalSec ?? 60),
  priority: String(p?.priority ?? 5),
  enabled: p?.enabled ?? true,
  datasets: (Array.isArray(p?.datasets) ? p.datasets : []).join(', '),
});

/** The draft as handler input, validated with the contract's own schema (same rules as the node). */
function parse(d: PeerDraft) {
  const codes = d.datasets.split(/[\s,]+/).filter(Boolean);
  const input = {
    name: d.name,
    url: d.url,
    token: d.token,
    intervalSec: Number(d.intervalSec),
    priority: Number(d.priority),
    enabled: d.enabled,
    datasets: codes.length ? codes.map((c) => c.toUpperCase()) : null,
  };
  const r = PeerInputSchema.safeParse(input);
  return r.success ? { success: true as const, data: r.data } : { success: false as const, issues: issuesOf(r.error, input) };
}

/** Add or edit a peer: validation as you type, test connection before saving. */
export function PeerDialog(props: { initial: PeerDraft; editId?: string; onClose(): void; onSaved(): void }) {
  const t = useT();
  const locale = useLocale();
  const describe = useDescribeError();
  const ref = useRef<HTMLDialogElement>(null);
  const [d, setD] = useState(props.initial);
  const [test, setTest] = useState<PeerTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  const parsed = parse(d);
  // As typed: the contract's own schema, said in the UI's language; then whatever the node still refused.
  const typed = parsed.success ? [] : parsed.issues;
  const fieldOf = (path: readonly (string | number)[]) => (typeof path[0] === 'string' ? path[0] : null);
  const errors = new Map(Object.entries(issuesByField(t, locale, [...typed, ...issuesOfError(saveError)], fieldOf)));
  const set = (k: keyof PeerDraft) => (e: { target: { value: string; checked?: boolean } }) => {
    setSaveError(null);
    setD({ ...d, [k]: k === 'enabled' ? Boolean(e.target.checked) : e.target.value });
  };

  const runTest = async () => {
    if (!parsed.success) return;
    setTesting(true);
    try {
      setTest(await callApi('peers.test', { url: parsed.data.url, token: parsed.data.token }));
    } catch (e) {
      setTest({
        ok: false,
        outcome: 'error',
        message: describe(e),
        latencyMs: null,
        nodeId: null,
        protocol: null,
        datasets: [],
        senderState: null,
      });
    } finally {
      setTesting(false);
    }
  };
  const save = async () => {
    if (!parsed.success) return;
    try {
      if (props.editId) await callApi('peers.update', { id: props.editId, patch: parsed.data });
      else await callApi('peers.add', parsed.data);
      props.onSaved();
    } catch (e) {
      setSaveError(e);
    }
  };
  const field = (k: keyof PeerDraft, label: string, extra: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input value={String(d[k])} onChange={set(k)} data-testid={`peer-${k}`} aria-invalid={errors.has(k)} {...extra} />
      {errors.has(k) && <span className="field-error">{errors.get(k)}</span>}
    </label>
  );
  return (
    <dialog ref={ref} className="confirm peer-dialog" data-testid="peer-dialog" onCancel={(e) => (e.preventDefault(), props.onClose())}>
      <h2>{props.editId ? t('rcv.edit') : t('rcv.add')}</h2>
      {field('name', t('rcv.name'))}
      {field('url', t('rcv.url'), { placeholder: 'http://192.168.1.20:17411' })}
      {field('token', t('rcv.token'), { type: 'password', autoComplete: 'off' })}
      <div className="row">
        {field('intervalSec', t('rcv.interval'), { inputMode: 'numeric' })}
        {field('priority', t('rcv.priority'), { inputMode: 'numeric' })}
      </div>
      {field('datasets', t('rcv.datasets'), { placeholder: t('rcv.datasets.all') })}
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={set('enabled')} data-testid="peer-enabled" />
        {t('rcv.enabled')}
      </label>
      {test && (
        <p className={test.ok ? 'ok-text' : 'error-text'} data-testid="peer-test-result" data-outcome={test.outcome}>
          {test.ok
            ? t('rcv.test.ok', { ms: test.latencyMs ?? 0, n: test.datasets.length })
            : test.reason
              ? reasonSentence(t, test.reason, test.params)
              : test.message}
        </p>
      )}
      {saveError !== null && issuesOfError(saveError).length === 0 && (
        <p className="error-text" role="alert">
          {describe(saveError)}
        </p>
      )}
      <div className="confirm-actions">
        <button type="button" onClick={props.onClose}>
          {t('snd.cancel')}
        </button>
        <button type="button" disabled={!parsed.success || testing} onClick={() => void runTest()} data-testid="peer-test">
          {testing ? t('rcv.testing') : t('rcv.test')}
        </button>
        <button type="button" className="primary" disabled={!parsed.success} onClick={() => void save()} data-testid="peer-save">
          {t('rcv.save')}
        </button>
      </div>
    </dialog>
  );
}

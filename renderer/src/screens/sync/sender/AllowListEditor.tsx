import { useEffect, useRef, useState } from 'react';
import { AllowEntry, DEFAULT_ALLOW_LIST, type FieldIssue, type SenderConfigPatch } from '../../../../../preload/contract';
import { useT } from '../../../i18n';
import { check, issueSentence, issuesOfError, useDescribeError } from '../../../lib/errors';

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The IP allow-list as chips with add/remove, saved as a whole. Each entry is parsed as it is
 * typed, with the contract's own rule (an address or a CIDR range); whatever the node still
 * refuses comes back as issues naming the entry, and that chip is marked.
 */
export function AllowListEditor({ saved, apply }: { saved: string[]; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const [draft, setDraft] = useState<string[]>(saved);
  const [input, setInput] = useState('');
  const describe = useDescribeError();
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [savedNote, setSavedNote] = useState(false);
  const base = useRef(saved);
  // The saved list changed under the editor: adopt it unless the user has edits of their own.
  useEffect(() => {
    setDraft((d) => (same(d, base.current) ? saved : d));
    base.current = saved;
  }, [saved]);

  const dirty = !same(draft, saved);
  const edit = (next: string[]) => {
    setDraft(next);
    setIssues([]);
    setSaveError(null);
    setSavedNote(false);
  };
  const add = () => {
    // Several entries may be pasted at once, separated by spaces, commas or new lines.
    const fresh = input
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (fresh.length === 0) return;
    // An entry that is not an address or range is refused here, with the sentence, and stays in the box.
    const bad = fresh.flatMap((s) => check(AllowEntry, s).map((i) => ({ ...i, params: { ...i.params, value: s } })));
    if (bad.length > 0) {
      setIssues(bad);
      return;
    }
    edit([...draft, ...fresh.filter((s, i) => !draft.includes(s) && fresh.indexOf(s) === i)]);
    setInput('');
  };
  const save = async () => {
    setBusy(true);
    try {
      await apply({ allowList: draft });
      setIssues([]);
      setSaveError(null);
      setSavedNote(true);
    } catch (e) {
      setIssues(issuesOfError(e));
      setSaveError(issuesOfError(e).length === 0 ? e : null);
      setSavedNote(false);
    } finally {
      setBusy(false);
    }
  };
  const bad = new Set(issues.flatMap((i) => (i.path[0] === 'allowList' && typeof i.path[1] === 'number' ? [i.path[1]] : [])));
  const inputIssues = check(AllowEntry, input.trim());

  return (
    <section className={issues.length > 0 || saveError !== null ? 'panel allow invalid' : 'panel allow'} data-testid="sender-allow">
      <h2>{t('snd.allow')}</h2>
      <p className="hint">{t('snd.allow.hint')}</p>
      {draft.length === 0 ? (
        <p className="warn-note note" data-testid="allow-empty">
          {t('snd.allow.empty')}
        </p>
      ) : (
        <ul className="allow-chips" data-testid="allow-chips">
          {draft.map((entry, i) => (
            <li key={`${entry}-${i}`} className={bad.has(i) ? 'allow-chip bad' : 'allow-chip'} data-testid="allow-entry">
              <span className="mono">{entry}</span>
              <button
                type="button"
                className="link"
                aria-label={t('snd.allow.remove', { entry })}
                title={t('snd.allow.remove', { entry })}
                onClick={() => edit(draft.filter((_, j) => j !== i))}
                data-testid={`allow-remove-${entry}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <input
          className="allow-input"
          value={input}
          placeholder={t('snd.allow.placeholder')}
          aria-label={t('snd.allow.add')}
          spellCheck={false}
          aria-invalid={input.trim() !== '' && !/[\s,;]/.test(input.trim()) && inputIssues.length > 0}
          onChange={(e) => {
            setInput(e.target.value);
            setIssues((cur) => cur.filter((i) => i.path[0] === 'allowList'));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          data-testid="allow-input"
        />
        <button type="button" onClick={add} disabled={!input.trim()} data-testid="allow-add">
          {t('snd.allow.add')}
        </button>
      </div>
      {(issues.length > 0 || saveError !== null) && (
        <ul className="field-error issues" role="alert" data-testid="allow-error">
          {issues.map((i, k) => (
            <li key={k}>{issueSentence(t, i)}</li>
          ))}
          {saveError !== null && <li>{describe(saveError)}</li>}
          {issues.some((i) => i.path[0] === 'allowList') || saveError !== null ? <li className="muted">{t('snd.notSaved')}</li> : null}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy || !dirty} onClick={() => void save()} data-testid="allow-save">
          {t('snd.save')}
        </button>
        <button type="button" disabled={busy || !dirty} onClick={() => edit(saved)} data-testid="allow-revert">
          {t('snd.discard')}
        </button>
        <button type="button" disabled={busy || same(draft, DEFAULT_ALLOW_LIST)} onClick={() => edit([...DEFAULT_ALLOW_LIST])}>
          {t('snd.allow.defaults')}
        </button>
        {dirty && <span className="unsaved">● {t('snd.unsaved')}</span>}
        {savedNote && !dirty && (
          <span className="ok-text" role="status" data-testid="allow-saved">
            {t('snd.saved')}
          </span>
        )}
      </div>
    </section>
  );
}

import { useEffect, useState } from 'react';
import type { SenderConfig, SenderConfigPatch } from '../../../../../preload/contract';
import { useT } from '../../../i18n';
import { errorMessage, splitIssues } from './format';

type LimitField = 'rateLimitPerMinute' | 'maxPageRows';
const FIELDS: LimitField[] = ['rateLimitPerMinute', 'maxPageRows'];

/** Requests a minute per client and the largest page; the node checks the bounds and names the field. */
export function LimitsPanel({ config, apply }: { config: SenderConfig; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const [draft, setDraft] = useState({ rateLimitPerMinute: String(config.rateLimitPerMinute), maxPageRows: String(config.maxPageRows) });
  const [errors, setErrors] = useState<Partial<Record<LimitField | '', string>>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(
    () => setDraft({ rateLimitPerMinute: String(config.rateLimitPerMinute), maxPageRows: String(config.maxPageRows) }),
    [config.rateLimitPerMinute, config.maxPageRows],
  );
  const dirty = FIELDS.some((f) => draft[f].trim() !== String(config[f]));

  const save = async () => {
    const local: Partial<Record<LimitField, string>> = {};
    const patch: SenderConfigPatch = {};
    for (const f of FIELDS) {
      const n = Number(draft[f].trim());
      if (draft[f].trim() === '' || !Number.isFinite(n)) local[f] = t('snd.limits.notNumber');
      else patch[f] = n;
    }
    if (Object.keys(local).length > 0) return setErrors(local);
    setBusy(true);
    try {
      await apply(patch);
      setErrors({});
      setSaved(true);
    } catch (e) {
      const next: Partial<Record<LimitField | '', string>> = {};
      for (const part of splitIssues(errorMessage(e))) {
        const key = (FIELDS as string[]).includes(part.field) ? (part.field as LimitField) : '';
        next[key] = next[key] ? `${next[key]}; ${part.message}` : part.message;
      }
      setErrors(next);
      setSaved(false);
    } finally {
      setBusy(false);
    }
  };

  const input = (f: LimitField, label: string, hint: string) => (
    <div className={errors[f] ? 'field invalid' : 'field'}>
      <label htmlFor={`snd-${f}`}>{label}</label>
      <div className="control">
        <input
          id={`snd-${f}`}
          className="num"
          inputMode="numeric"
          value={draft[f]}
          aria-invalid={Boolean(errors[f])}
          onChange={(e) => {
            setDraft({ ...draft, [f]: e.target.value });
            setSaved(false);
          }}
          data-testid={`sender-${f}`}
        />
        <div className="hint">{hint}</div>
        {errors[f] && (
          <div className="field-error" data-testid={`sender-${f}-error`}>
            {errors[f]}
          </div>
        )}
      </div>
    </div>
  );

  return (
    <section className="panel" data-testid="sender-limits">
      <h2>{t('snd.limits')}</h2>
      {input('rateLimitPerMinute', t('snd.limits.rate'), t('snd.limits.rateHint'))}
      {input('maxPageRows', t('snd.limits.pageRows'), t('snd.limits.pageRowsHint'))}
      {errors[''] && <div className="field-error">{errors['']}</div>}
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy || !dirty} onClick={() => void save()} data-testid="sender-limits-save">
          {t('snd.save')}
        </button>
        {saved && !dirty && (
          <span className="ok-text" role="status">
            {t('snd.saved')}
          </span>
        )}
      </div>
    </section>
  );
}

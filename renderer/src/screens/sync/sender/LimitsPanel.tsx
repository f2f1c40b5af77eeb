import { useEffect, useState } from 'react';
import { SenderConfigPatchSchema, type SenderConfig, type SenderConfigPatch } from '../../../../../preload/contract';
import { useLocale, useT } from '../../../i18n';
import { check, issuesByField, issuesOfError } from '../../../lib/errors';

type LimitField = 'rateLimitPerMinute' | 'maxPageRows';
const FIELDS: LimitField[] = ['rateLimitPerMinute', 'maxPageRows'];

const asNumber = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s.trim())) ? Number(s.trim()) : s);
const fieldOf = (path: readonly (string | number)[]): LimitField | null =>
  (FIELDS as readonly unknown[]).includes(path[0]) ? (path[0] as LimitField) : null;

/** Requests a minute per client and the largest page, checked as typed with the contract's bounds. */
export function LimitsPanel({ config, apply }: { config: SenderConfig; apply: (p: SenderConfigPatch) => Promise<void> }) {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState({ rateLimitPerMinute: String(config.rateLimitPerMinute), maxPageRows: String(config.maxPageRows) });
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(
    () => setDraft({ rateLimitPerMinute: String(config.rateLimitPerMinute), maxPageRows: String(config.maxPageRows) }),
    [config.rateLimitPerMinute, config.maxPageRows],
  );
  const dirty = FIELDS.some((f) => draft[f].trim() !== String(config[f]));
  const patch = { rateLimitPerMinute: asNumber(draft.rateLimitPerMinute), maxPageRows: asNumber(draft.maxPageRows) };
  const typed = check(SenderConfigPatchSchema, patch);
  const errors = issuesByField(t, locale, [...typed, ...issuesOfError(saveError)], fieldOf);

  const save = async () => {
    if (typed.length > 0) return;
    setBusy(true);
    try {
      await apply(patch as SenderConfigPatch);
      setSaveError(null);
      setSaved(true);
    } catch (e) {
      setSaveError(e);
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
            setSaveError(null);
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
        <button
          type="button"
          className="primary"
          disabled={busy || !dirty || typed.length > 0}
          onClick={() => void save()}
          data-testid="sender-limits-save"
        >
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

import { useState } from 'react';
import type { Settings } from '../../../preload/contract';
import { callApi } from '../bridge/use-call';
import { useT } from '../i18n';
import { useDescribeError } from '../lib/errors';
import { useSettingsStore } from '../state/settings-store';

type Language = Settings['language'];
const LANGUAGES: Language[] = ['system', 'en', 'zh-CN'];

/** Header language switch; the choice is a setting, so it is saved on the node and survives restarts. */
export function LanguageSwitch() {
  const t = useT();
  const language = useSettingsStore((s) => s.settings?.language);
  const describe = useDescribeError();
  const [error, setError] = useState<unknown>(null);
  if (!language) return null;
  const choose = (next: Language) => {
    setError(null);
    callApi('settings.update', { language: next }).then(
      (s) => useSettingsStore.getState().setSettings(s),
      (e: unknown) => setError(e),
    );
  };
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          className={l === language ? 'seg active' : 'seg'}
          aria-pressed={l === language}
          onClick={() => choose(l)}
          data-testid={`lang-${l}`}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
      {error !== null && (
        <span className="error-text" role="alert">
          {describe(error)}
        </span>
      )}
    </div>
  );
}

import { translate, resolveLocale } from '../i18n';

/**
 * Shown when the page was opened without the admin token (or the node refused it). There are no
 * settings yet to pick a language from, so the browser's language decides.
 */
export function NoTokenScreen({ rejected }: { rejected: boolean }) {
  const locale = resolveLocale('system');
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  return (
    <main className="notoken" data-testid="no-token">
      <h1>{t('token.title')}</h1>
      {rejected && <p className="error-text">{t('token.rejected')}</p>}
      <p>{t('token.body')}</p>
      <pre>
        node dist/main/headless.js --data-dir DIR --port 0{'\n'}
        {t('token.example')}
      </pre>
      <p>{t('token.file')}</p>
    </main>
  );
}

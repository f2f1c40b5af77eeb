import { useEffect, useState } from 'react';
import { useT } from '../../../i18n';

/**
 * Clipboard API first; a hidden textarea + execCommand as the fallback, because the API can be
 * refused (no focus, no permission) in a plain browser tab opened over http.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

export function CopyButton({ text, testId, label }: { text: string; testId?: string; label?: string }) {
  const t = useT();
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!outcome) return;
    const id = setTimeout(() => setOutcome(null), 2_000);
    return () => clearTimeout(id);
  }, [outcome]);
  return (
    <button
      type="button"
      className={outcome === 'failed' ? 'copy failed' : 'copy'}
      title={outcome === 'failed' ? t('snd.copy.failed') : (label ?? t('snd.copy'))}
      onClick={() => void copyText(text).then((ok) => setOutcome(ok ? 'copied' : 'failed'))}
      data-testid={testId}
    >
      {outcome === 'copied' ? t('snd.copied') : outcome === 'failed' ? t('snd.copy.failedShort') : t('snd.copy')}
    </button>
  );
}

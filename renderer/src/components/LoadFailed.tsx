import { useT } from '../i18n';

/** "Could not load: …" with a Retry button, for a screen whose first call failed (the node may be starting). */
export function LoadFailed(props: { message: string; onRetry: () => void }) {
  const t = useT();
  return (
    <div className="alert" role="alert">
      {t('common.loadFailed', { message: props.message })}{' '}
      <button type="button" onClick={props.onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

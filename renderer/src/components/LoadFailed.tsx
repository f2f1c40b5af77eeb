import { useT } from '../i18n';
import { useDescribeError } from '../lib/errors';

/** "Could not load: …" with a Retry button, for a screen whose first call failed (the node may be starting). */
export function LoadFailed(props: { error: unknown; onRetry: () => void }) {
  const t = useT();
  const describe = useDescribeError();
  return (
    <div className="alert" role="alert">
      {t('common.loadFailed', { message: describe(props.error) })}{' '}
      <button type="button" onClick={props.onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

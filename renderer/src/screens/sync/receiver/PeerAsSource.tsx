import { useCall } from '../../../bridge/use-call';
import { formatDateTime } from '../../../format';
import { useT } from '../../../i18n';
import { recordSentence } from '../../../lib/errors';

/** What this peer did as a backfill source: pages served, rows refused (and why), values the exchange found wrong. */
export function PeerAsSource(props: { peerId: string }) {
  const t = useT();
  const st = useCall('sources.status', {}, props.peerId);
  const s = st.data?.sources.find((x) => x.kind === 'peer' && x.id === props.peerId);
  if (!s) return null;
  return (
    <p className="small" data-testid="peer-as-source">
      {t('src.peerLine', { pages: s.pages, refusals: s.refusals, disagreements: s.disagreements })}
      {s.disagreements > 0 && (
        <span className="warn-text" data-testid="peer-disagreements">
          {' '}
          {t('src.disagreeWarn')}
        </span>
      )}
      {s.refusals > 0 && s.lastError && (
        <span className="muted">
          {' '}
          {t('src.lastRefusal', {
            why: recordSentence(t, s.lastErrorReason, s.lastError),
            at: s.lastErrorAt ? formatDateTime(s.lastErrorAt) : '—',
          })}
        </span>
      )}
    </p>
  );
}

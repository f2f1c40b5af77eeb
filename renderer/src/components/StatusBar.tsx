import { useEffect, useState } from 'react';
import { formatClock, formatDuration, formatInt, UTC8 } from '../format';
import { useT } from '../i18n';
import { useNodeStore } from '../state/node-store';

/** Bottom bar fed by events: transport and its state, uptime, max seq, errors, last event. */
export function StatusBar() {
  const t = useT();
  const { transport, connection, status, statusAt, lastEventAt } = useNodeStore();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  // Uptime ticks locally between the node's 2 s status events.
  const uptime = status ? status.uptimeMs + (now - statusAt) : null;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`conn conn-${connection}`} data-testid="conn-state">
        <span className="dot" aria-hidden="true" />
        {t(transport === 'ipc' ? 'conn.ipc' : 'conn.http')} · {t(`conn.${connection}`)}
      </span>
      <span>
        {t('status.uptime')}
        {t('common.colon')}
        <b>{uptime === null ? '—' : formatDuration(uptime, t('common.dayShort'))}</b>
      </span>
      <span>
        {t('status.maxSeq')}
        {t('common.colon')}
        <b data-testid="status-maxseq">{status ? formatInt(status.maxSeq) : '—'}</b>
      </span>
      <span className={status && status.errorsLastHour > 0 ? 'warn' : undefined}>
        {t('status.errorsHour')}
        {t('common.colon')}
        <b>{status ? status.errorsLastHour : '—'}</b>
      </span>
      <span className="spacer" />
      <span>
        {t('status.lastEvent')}
        {t('common.colon')}
        <b data-testid="status-last-event">{lastEventAt ? `${formatClock(lastEventAt)} ${UTC8}` : t('status.never')}</b>
      </span>
    </footer>
  );
}

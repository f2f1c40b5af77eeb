import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLevel } from '../../../../preload/contract';
import { callApi } from '../../bridge/use-call';
import { formatClock } from '../../format';
import { useT } from '../../i18n';
import { useLogsStore } from '../../state/logs-store';

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];
const ROW_HEIGHT = 22;

/** The node's log: the tail it keeps in memory, then every new line live, filtered here. */
export function LogsScreen() {
  const t = useT();
  const lines = useLogsStore((s) => s.lines);
  const sources = useLogsStore((s) => s.sources);
  const capacity = useLogsStore((s) => s.capacity);
  const [levels, setLevels] = useState<Set<LogLevel>>(() => new Set(LEVELS));
  const [source, setSource] = useState('');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // Fresh tail on open: the buffer may have grown past what the app loaded at start.
  useEffect(() => {
    let live = true;
    callApi('logs.tail', { limit: Math.min(capacity, 10_000) }).then(
      (r) => live && (setLoadError(null), useLogsStore.getState().replace(r.lines, r.sources)),
      (e: unknown) => live && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [capacity, attempt]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return lines.filter(
      (l) =>
        levels.has(l.level) &&
        (!source || l.source === source) &&
        (!needle || l.message.toLowerCase().includes(needle) || l.source.toLowerCase().includes(needle)),
    );
  }, [lines, levels, source, search]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && shown.length > 0) virtual.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [follow, shown.length, virtual]);

  const toggleLevel = (l: LogLevel) =>
    setLevels((prev) => {
      const next = new Set(prev);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next;
    });

  return (
    <div className="logs">
      <div className="toolbar">
        <div className="seg-group" role="group" aria-label={t('logs.level')}>
          {LEVELS.map((l) => (
            <button
              key={l}
              type="button"
              className={levels.has(l) ? `seg active lvl-${l}` : 'seg'}
              aria-pressed={levels.has(l)}
              onClick={() => toggleLevel(l)}
              data-testid={`level-${l}`}
            >
              {t(`level.${l}`)}
            </button>
          ))}
        </div>
        <select aria-label={t('logs.source')} value={source} onChange={(e) => setSource(e.target.value)} data-testid="log-source">
          <option value="">{t('logs.source.all')}</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label={t('logs.search')}
          placeholder={t('logs.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="log-search"
        />
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          {t('logs.follow')}
        </label>
        {(levels.size < LEVELS.length || source || search) && (
          <button
            type="button"
            onClick={() => (setLevels(new Set(LEVELS)), setSource(''), setSearch(''))}
            data-testid="log-clear-filters"
          >
            {t('logs.clearFilters')}
          </button>
        )}
        <span className="spacer" />
        {!follow && shown.length > 0 && <span className="muted">{t('logs.followPaused')}</span>}
        <span className="muted" data-testid="log-count">
          {t('logs.count', { shown: shown.length, total: lines.length })}
        </span>
      </div>
      {loadError && (
        <div className="alert" role="alert">
          {t('common.loadFailed', { message: loadError })}{' '}
          <button type="button" onClick={() => setAttempt((a) => a + 1)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      <div
        className="logview"
        ref={scroller}
        data-testid="log-view"
        onScroll={(e) => {
          // Scrolling up to read pauses following; scrolling back to the end resumes it.
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        {shown.length === 0 ? (
          <p className="muted pad">{t('logs.empty')}</p>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((row) => {
              const l = shown[row.index]!;
              return (
                <div
                  key={l.id}
                  className={`logrow lvl-${l.level}`}
                  style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                  data-testid="log-row"
                  title={l.message}
                >
                  <span className="ts">{formatClock(l.ts, true)}</span>
                  <span className="lvl">{t(`level.${l.level}`)}</span>
                  <span className="src">{l.source}</span>
                  <span className="msg">{l.message}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { callApi } from '../../bridge/use-call';
import { LoadFailed } from '../../components/LoadFailed';
import { LevelButtons, LOG_LEVELS, LogView, useLevelFilter } from '../../components/LogView';
import { useT } from '../../i18n';
import { sourceName } from '../../lib/component-text';
import { useLogsStore } from '../../state/logs-store';

/** The node's log: the tail it keeps in memory, then every new line live, filtered here. */
export function LogsScreen() {
  const t = useT();
  const lines = useLogsStore((s) => s.lines);
  const sources = useLogsStore((s) => s.sources);
  const capacity = useLogsStore((s) => s.capacity);
  const { levels, setLevels, toggle } = useLevelFilter(LOG_LEVELS);
  const [source, setSource] = useState('');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  // Fresh tail on open: the buffer may have grown past what the app loaded at start.
  useEffect(() => {
    let live = true;
    callApi('logs.tail', { limit: Math.min(capacity, 10_000) }).then(
      (r) => live && (setLoadError(null), useLogsStore.getState().replace(r.lines, r.sources)),
      (e: unknown) => live && setLoadError(e),
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

  return (
    <div className="logs">
      <div className="toolbar">
        <LevelButtons levels={levels} onToggle={toggle} testIdPrefix="level-" />
        <select aria-label={t('logs.source')} value={source} onChange={(e) => setSource(e.target.value)} data-testid="log-source">
          <option value="">{t('logs.source.all')}</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {sourceName(t, s)}
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
        {(levels.size < LOG_LEVELS.length || source || search) && (
          <button
            type="button"
            onClick={() => (setLevels(new Set(LOG_LEVELS)), setSource(''), setSearch(''))}
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
      {loadError !== null && <LoadFailed error={loadError} onRetry={() => setAttempt((a) => a + 1)} />}
      <LogView
        lines={shown}
        follow={follow}
        onFollowChange={setFollow}
        empty={t('logs.empty')}
        className="logview"
        testId="log-view"
        rowTestId="log-row"
        showSource
      />
    </div>
  );
}

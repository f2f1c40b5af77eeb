import { useMemo, useState } from 'react';
import type { LogLine } from '../../../../preload/contract';
import { LevelButtons, LogView, useLevelFilter } from '../../components/LogView';
import { useT } from '../../i18n';

/**
 * The job-scoped log, virtualized (a year-long job writes thousands of lines), filtered by level, following the end.
 * The count shows only beside lines; with every line filtered out the empty note says how many are hidden.
 */
export function BackfillLog(props: { lines: LogLine[] }) {
  const t = useT();
  const { levels, toggle } = useLevelFilter(['error', 'warn', 'info']);
  const [follow, setFollow] = useState(true);
  const shown = useMemo(() => props.lines.filter((l) => levels.has(l.level)), [props.lines, levels]);

  return (
    <section className="panel bf-log">
      <div className="toolbar">
        <h3>{t('bf.log.title')}</h3>
        <LevelButtons levels={levels} onToggle={toggle} testIdPrefix="bf-level-" />
        <span className="spacer" />
        {shown.length > 0 && (
          <span className="muted" data-testid="bf-log-count">
            {t('logs.count', { shown: shown.length, total: props.lines.length })}
          </span>
        )}
      </div>
      <LogView
        lines={shown}
        follow={follow}
        onFollowChange={setFollow}
        empty={props.lines.length === 0 ? t('bf.log.empty') : t('bf.log.filtered', { n: props.lines.length })}
        className="logview bf-logview"
        testId="bf-log"
        rowTestId="bf-log-row"
      />
    </section>
  );
}

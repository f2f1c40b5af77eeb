import { useMemo, useState } from 'react';
import type { LogLine } from '../../../../preload/contract';
import { LevelButtons, LogView, useLevelFilter } from '../../components/LogView';
import { useT } from '../../i18n';

/** The job-scoped log, virtualized (a year-long job writes thousands of lines), filtered by level, following the end. */
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
        <span className="muted">{t('logs.count', { shown: shown.length, total: props.lines.length })}</span>
      </div>
      <LogView
        lines={shown}
        follow={follow}
        onFollowChange={setFollow}
        empty={t('bf.log.empty')}
        className="logview bf-logview"
        testId="bf-log"
        rowTestId="bf-log-row"
      />
    </section>
  );
}

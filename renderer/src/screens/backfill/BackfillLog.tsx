import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLevel, LogLine } from '../../../../preload/contract';
import { formatClock } from '../../format';
import { useT } from '../../i18n';

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];
const ROW_HEIGHT = 22;

/** The job-scoped log, virtualized (a year-long job writes thousands of lines), filtered by level, following the end. */
export function BackfillLog(props: { lines: LogLine[] }) {
  const t = useT();
  const [levels, setLevels] = useState<Set<LogLevel>>(() => new Set(['error', 'warn', 'info']));
  const [follow, setFollow] = useState(true);
  const shown = useMemo(() => props.lines.filter((l) => levels.has(l.level)), [props.lines, levels]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

  useEffect(() => {
    if (follow && shown.length > 0) virtual.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [follow, shown.length, virtual]);

  const toggle = (l: LogLevel) =>
    setLevels((prev) => {
      const next = new Set(prev);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next;
    });

  return (
    <section className="panel bf-log">
      <div className="toolbar">
        <h3>{t('bf.log.title')}</h3>
        <div className="seg-group" role="group" aria-label={t('logs.level')}>
          {LEVELS.map((l) => (
            <button key={l} type="button" className={levels.has(l) ? `seg active lvl-${l}` : 'seg'} aria-pressed={levels.has(l)} onClick={() => toggle(l)} data-testid={`bf-level-${l}`}>
              {t(`level.${l}`)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="muted">{t('logs.count', { shown: shown.length, total: props.lines.length })}</span>
      </div>
      <div
        className="logview bf-logview"
        ref={scroller}
        data-testid="bf-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        {shown.length === 0 ? (
          <p className="muted pad">{t('bf.log.empty')}</p>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((row) => {
              const l = shown[row.index]!;
              return (
                <div key={l.id} className={`logrow lvl-${l.level}`} style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }} data-testid="bf-log-row" title={l.message}>
                  <span className="ts">{formatClock(l.ts, true)}</span>
                  <span className="lvl">{t(`level.${l.level}`)}</span>
                  <span className="msg">{l.message}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { LogLevel, LogLine } from '../../../preload/contract';
import { formatClock } from '../format';
import { useT } from '../i18n';
import { sourceName } from '../lib/component-text';

/** Most severe first: the order of the level buttons. */
export const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];
const ROW_HEIGHT = 22;

/** The set of levels shown, with a toggle per level. */
export function useLevelFilter(initial: readonly LogLevel[]) {
  const [levels, setLevels] = useState<Set<LogLevel>>(() => new Set(initial));
  const toggle = (l: LogLevel) =>
    setLevels((prev) => {
      const next = new Set(prev);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next;
    });
  return { levels, setLevels, toggle };
}

/** One pressed/unpressed button per level; test ids are `${testIdPrefix}${level}`. */
export function LevelButtons(props: { levels: Set<LogLevel>; onToggle: (l: LogLevel) => void; testIdPrefix: string }) {
  const t = useT();
  return (
    <div className="seg-group" role="group" aria-label={t('logs.level')}>
      {LOG_LEVELS.map((l) => (
        <button
          key={l}
          type="button"
          className={props.levels.has(l) ? `seg active lvl-${l}` : 'seg'}
          aria-pressed={props.levels.has(l)}
          onClick={() => props.onToggle(l)}
          data-testid={`${props.testIdPrefix}${l}`}
        >
          {t(`level.${l}`)}
        </button>
      ))}
    </div>
  );
}

/**
 * Log lines, virtualized (a long run writes thousands), keeping the end in view while `follow` is on.
 * Scrolling up to read turns following off; scrolling back to the end turns it on again.
 */
export function LogView(props: {
  lines: LogLine[];
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  empty: string;
  className: string;
  testId: string;
  rowTestId: string;
  showSource?: boolean;
}) {
  const t = useT();
  const { lines, follow, onFollowChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && lines.length > 0) virtual.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, lines.length, virtual]);

  return (
    <div
      className={props.className}
      ref={scroller}
      data-testid={props.testId}
      onScroll={(e) => {
        const el = e.currentTarget;
        const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
        if (atEnd !== follow) onFollowChange(atEnd);
      }}
    >
      {lines.length === 0 ? (
        <p className="muted pad">{props.empty}</p>
      ) : (
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((row) => {
            const l = lines[row.index]!;
            return (
              <div
                key={l.id}
                className={`logrow lvl-${l.level}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                data-testid={props.rowTestId}
                title={l.message}
              >
                <span className="ts">{formatClock(l.ts, true)}</span>
                <span className="lvl">{t(`level.${l.level}`)}</span>
                {props.showSource && <span className="src">{sourceName(t, l.source)}</span>}
                <span className="msg" lang="en">
                  {l.message}
                </span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

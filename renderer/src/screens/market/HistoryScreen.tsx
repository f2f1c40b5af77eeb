import { useMemo, useState } from 'react';
import type { CsvKind, DayTable } from '../../../../preload/contract';
import { DAY_MS, dayOf, dayStart, isDay, nextDay } from '../../../../preload/contract/grid-time';
import { callApi, useCall } from '../../bridge/use-call';
import { CoinFilter, coinMatches, coinWords } from '../../components/CoinFilter';
import { useLocale, useT } from '../../i18n';
import { downloadCsv } from '../../lib/download';
import { useDescribeError } from '../../lib/errors';
import { useNodeEvent } from '../../lib/use-event';
import { HistoryTable } from './HistoryTable';
import './market.css';

const prevDay = (d: string) => dayOf(dayStart(d) - DAY_MS);

/**
 * One UTC+8 day: 48 grid rows × the selected coins, with the sum and its coverage; change % or
 * prices; missing cells say why; CSV export (full / sum) of that day in the UI's language.
 */
export function HistoryScreen() {
  const t = useT();
  const locale = useLocale();
  const describe = useDescribeError();
  const today = dayOf(Date.now());
  const [date, setDate] = useState(today);
  const [mode, setMode] = useState<'change' | 'price'>('change');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const words = useMemo(() => coinWords(filter), [filter]);
  // Kept as data, not text, so a language switch re-translates it.
  const [notice, setNotice] = useState<{ ok: true; file: string; rows: number } | { ok: false; error: unknown } | null>(null);
  const valid = isDay(date);
  const day = useCall('market.day', { date: valid ? date : today }, valid ? date : today);

  // A grid change touching this day reloads it (live collection fills today's rows as they come).
  useNodeEvent('market.grid', (g) => {
    if (!valid) return;
    const s = dayStart(date);
    if (g.from < s + DAY_MS && g.to > s) day.reload();
  });

  const table: DayTable | undefined = day.data;
  const shown = useMemo(() => (table ? table.coins.filter((c) => !hidden.has(c) && coinMatches(words, c)) : []), [table, hidden, words]);

  // The export follows the visible columns: a filtered table exports only the coins it shows.
  const exportCsv = async (kind: CsvKind) => {
    const s = dayStart(date);
    const filtered = table !== undefined && shown.length < table.coins.length;
    try {
      const file = await callApi('export.csv', { kind, from: s, to: s + DAY_MS, lang: locale, ...(filtered ? { coins: shown } : {}) });
      downloadCsv(file);
      setNotice({ ok: true, file: file.filename, rows: file.rows });
    } catch (e) {
      setNotice({ ok: false, error: e });
    }
  };

  const summary = useMemo(() => {
    if (!table) return null;
    let missing = 0;
    for (const r of table.rows) for (const m of r.missing) if (m) missing += 1;
    return { complete: table.rows.filter((r) => r.complete).length, points: table.rows.length, missing };
  }, [table]);
  const toggle = (c: string) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(c)) n.delete(c);
      else n.add(c);
      return n;
    });

  return (
    <div className="history">
      <div className="toolbar">
        <button onClick={() => valid && setDate(prevDay(date))} data-testid="hist-prev">
          {t('hist.prev')}
        </button>
        <label className="date-field">
          {t('hist.date')}{' '}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="hist-date" aria-invalid={!valid} />
        </label>
        <button onClick={() => valid && setDate(nextDay(date))} disabled={!valid || date >= today} data-testid="hist-next">
          {t('hist.next')}
        </button>
        <button onClick={() => setDate(today)} disabled={date === today}>
          {t('hist.today')}
        </button>
        <div className="seg-group" role="group">
          <button className={`seg${mode === 'change' ? ' active' : ''}`} onClick={() => setMode('change')} data-testid="hist-mode-change">
            {t('hist.show.change')}
          </button>
          <button className={`seg${mode === 'price' ? ' active' : ''}`} onClick={() => setMode('price')} data-testid="hist-mode-price">
            {t('hist.show.price')}
          </button>
        </div>
        <CoinFilter value={filter} onChange={setFilter} testId="hist-coin-filter" />
        <span className="spacer" />
        <button onClick={() => void exportCsv('full')} disabled={!valid} data-testid="export-full">
          {t('hist.exportFull')}
        </button>
        <button onClick={() => void exportCsv('sum')} disabled={!valid} data-testid="export-sum">
          {t('hist.exportSum')}
        </button>
      </div>
      {notice && (
        <p className={notice.ok ? 'ok-text small' : 'error-text small'} data-testid="export-notice">
          {notice.ok
            ? t('hist.exported', { file: notice.file, rows: notice.rows })
            : t('hist.exportFailed', { message: describe(notice.error) })}
        </p>
      )}
      {day.error && <div className="alert">{t('common.loadFailed', { message: describe(day.error) })}</div>}
      {table && (
        <>
          <details className="overlay-picker">
            <summary>{t('hist.coins.shown', { n: shown.length, total: table.coins.length })}</summary>
            <div className="chips">
              <button className="link" onClick={() => setHidden(new Set())}>
                {t('hist.coins.all')}
              </button>
              <button className="link" onClick={() => setHidden(new Set(table.coins))}>
                {t('hist.coins.none')}
              </button>
              {table.coins.map((c) => (
                <label key={c} className={`chip${hidden.has(c) ? '' : ' on'}`}>
                  <input type="checkbox" checked={!hidden.has(c)} onChange={() => toggle(c)} data-testid={`hist-coin-${c}`} />
                  {c}
                </label>
              ))}
            </div>
          </details>
          {summary && (
            <p className="muted small" data-testid="hist-summary">
              {table.date} · {t('hist.summary', summary)} · {t('mkt.utc8')}
            </p>
          )}
          <HistoryTable table={table} coins={shown} mode={mode} />
        </>
      )}
      {!table && day.loading && <p className="muted">{t('mkt.loading')}</p>}
    </div>
  );
}

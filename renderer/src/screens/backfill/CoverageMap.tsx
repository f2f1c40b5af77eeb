import { useEffect, useRef, useState } from 'react';
import type { CoverageCell } from '../../../../preload/contract';
import { callApi, useCall } from '../../bridge/use-call';
import { formatInt } from '../../format';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { downloadCsv } from '../../lib/download';
import { useDescribeError } from '../../lib/errors';
import { useNodeEvent } from '../../lib/use-event';

const REASONS: { key: keyof CoverageCell; reason: MessageKey }[] = [
  { key: 'notListed', reason: 'missing.not_listed' },
  { key: 'noCandle', reason: 'missing.no_candle' },
  { key: 'queued', reason: 'missing.queued' },
  { key: 'notCollected', reason: 'missing.not_collected' },
  { key: 'disputed', reason: 'missing.disputed' },
];

/** Colour by completeness: green complete, amber partial, red empty; grey when only "not listed" is missing. */
function cellClass(c: CoverageCell): string {
  if (c.expected === 0) return 'cov-none';
  if (c.present === c.expected) return 'cov-full';
  if (c.present + c.notListed === c.expected) return 'cov-unlisted';
  if (c.queued > 0) return 'cov-queued';
  return c.present === 0 ? 'cov-empty' : 'cov-part';
}

/** Days × coins heat-map of the grid, refreshed as pages land; a click tells why a cell is not complete. */
export function CoverageMap(props: { from: number; to: number; coins?: string[] }) {
  const t = useT();
  const locale = useLocale();
  const key = `${props.from}|${props.to}|${props.coins?.join(',') ?? ''}`;
  const cov = useCall('backfill.coverage', { from: props.from, to: props.to, ...(props.coins ? { coins: props.coins } : {}) }, key);
  const [picked, setPicked] = useState<{ day: number; coin: number } | null>(null);
  const describe = useDescribeError();
  const [notice, setNotice] = useState<{ ok: true; file: string; rows: number } | { ok: false; error: unknown } | null>(null);

  // Pages land many times a second: reload at most every 700 ms while the grid changes.
  const pending = useRef<number | undefined>(undefined);
  const reload = cov.reload;
  useNodeEvent('market.grid', (g) => {
    if (g.to <= props.from || g.from >= props.to || pending.current !== undefined) return;
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      reload();
    }, 700);
  });
  useNodeEvent('backfill.progress', (p) => {
    if (p.state !== 'running' && pending.current === undefined) reload();
  });
  useEffect(() => () => window.clearTimeout(pending.current), []);

  const exportMissing = async () => {
    try {
      const file = await callApi('export.csv', { kind: 'missing', from: props.from, to: props.to, lang: locale });
      downloadCsv(file);
      setNotice({ ok: true, file: file.filename, rows: file.rows });
    } catch (e) {
      setNotice({ ok: false, error: e });
    }
  };

  const data = cov.data;
  const cell = data && picked ? data.cells[picked.day]?.[picked.coin] : undefined;
  return (
    <section className="panel bf-cov">
      <div className="toolbar">
        <h3>{t('bf.cov.title')}</h3>
        {data && (
          <span className="muted" data-testid="bf-cov-totals">
            {t('bf.cov.totals', {
              present: formatInt(data.totals.present),
              expected: formatInt(data.totals.expected),
              pct: data.totals.expected ? ((data.totals.present / data.totals.expected) * 100).toFixed(1) : '0.0',
            })}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => void exportMissing()} data-testid="bf-export-missing">
          {t('bf.missing.export')}
        </button>
      </div>
      {notice && (
        <p className="small" data-testid="bf-export-notice">
          {notice.ok ? t('bf.missing.exported', { file: notice.file, rows: formatInt(notice.rows) }) : describe(notice.error)}
        </p>
      )}
      {cov.error && (
        <div className="alert" role="alert">
          {t('common.loadFailed', { message: describe(cov.error) })}
        </div>
      )}
      {data && (
        <div className="cov-wrap">
          <table className="cov-table" data-testid="bf-heatmap">
            <thead>
              <tr>
                <th />
                {data.coins.map((c) => (
                  <th key={c} className="cov-coin">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.days.map((day, i) => (
                <tr key={day}>
                  <th className="cov-day">{day.slice(5)}</th>
                  {data.coins.map((coin, j) => {
                    const c = data.cells[i]![j]!;
                    const sel = picked?.day === i && picked.coin === j;
                    return (
                      <td
                        key={coin}
                        className={`cov-cell ${cellClass(c)}${sel ? ' sel' : ''}`}
                        title={t('bf.cov.cell', { day, coin, present: c.present, expected: c.expected })}
                        onClick={() => setPicked({ day: i, coin: j })}
                        data-testid="bf-cov-cell"
                        data-state={cellClass(c)}
                      />
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="cov-detail" data-testid="bf-cov-detail">
        {!cell || !data || !picked ? (
          <span className="muted">{t('bf.cov.pick')}</span>
        ) : (
          <>
            <b>
              {t('bf.cov.cell', {
                day: data.days[picked.day]!,
                coin: data.coins[picked.coin]!,
                present: cell.present,
                expected: cell.expected,
              })}
            </b>
            {cell.expected === 0 ? (
              <span className="muted"> — {t('bf.cov.none')}</span>
            ) : cell.present === cell.expected ? (
              <span> — {t('bf.cov.complete')}</span>
            ) : (
              <ul>
                {REASONS.filter((r) => (cell[r.key] as number) > 0).map((r) => (
                  <li key={r.key}>{t('bf.cov.reason', { n: cell[r.key] as number, reason: t(r.reason) })}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </section>
  );
}

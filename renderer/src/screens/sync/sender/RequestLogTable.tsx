import { createColumnHelper, flexRender } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { SenderLogOutcomeSchema, type SenderLogEntry } from '../../../../../preload/contract';
import { callApi } from '../../../bridge/use-call';
import { SortableHeaderRows } from '../../../components/SortableHeader';
import { formatDateTime, formatInt } from '../../../format';
import { useT } from '../../../i18n';
import { useDescribeError } from '../../../lib/errors';
import { whenValid } from '../../../lib/select-value';
import { formatBytes } from './format';
import { useSortedTable } from '../../../components/use-sorted-table';

const PAGE = 50;
const col = createColumnHelper<SenderLogEntry>();
/** Every column sorts ascending on the first click; a missing dataset sorts last. */
const ASC = { sortDescFirst: false } as const;

/** The outcome `<select>`: '' (all) or one of the contract's outcomes. */
const OutcomeFilter = z.union([z.literal(''), SenderLogOutcomeSchema]);

interface Filters {
  dataset: string;
  client: string;
  outcome: z.infer<typeof OutcomeFilter>;
}

/**
 * The request log, newest first, filtered and paged on the node (`beforeId` cursors). The first
 * page follows new requests: the parent bumps `tick` on each `sender.stats` event.
 */
export function RequestLogTable({ datasets, tick }: { datasets: string[]; tick: number }) {
  const t = useT();
  const [filters, setFilters] = useState<Filters>({ dataset: '', client: '', outcome: '' });
  const [clientText, setClientText] = useState('');
  /** Cursors of the pages before the current one; the current page starts below `cursor`. */
  const [history, setHistory] = useState<(number | undefined)[]>([]);
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [page, setPage] = useState<{ entries: SenderLogEntry[]; hasMore: boolean } | null>(null);
  const describe = useDescribeError();
  const [error, setError] = useState<unknown>(null);
  /** Sorting orders the rows of the page on screen; paging stays newest first on the node. */

  // New filters start again from the newest entry.
  const applyFilters = (next: Filters) => {
    setFilters(next);
    setHistory([]);
    setCursor(undefined);
  };
  // Typing in the client box filters after a short pause, not per keystroke.
  useEffect(() => {
    const id = setTimeout(() => {
      if (filters.client !== clientText.trim()) applyFilters({ ...filters, client: clientText.trim() });
    }, 300);
    return () => clearTimeout(id);
  }, [clientText, filters]);

  const live = cursor === undefined;
  // `tick` only matters on the live first page; older pages do not change.
  const liveTick = live ? tick : 0;
  useEffect(() => {
    let alive = true;
    callApi('sender.log', {
      limit: PAGE + 1,
      ...(cursor !== undefined ? { beforeId: cursor } : {}),
      ...(filters.dataset ? { dataset: filters.dataset } : {}),
      ...(filters.client ? { client: filters.client } : {}),
      ...(filters.outcome ? { outcome: filters.outcome } : {}),
    }).then(
      (r) => alive && (setError(null), setPage({ entries: r.entries.slice(0, PAGE), hasMore: r.entries.length > PAGE })),
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [cursor, filters, liveTick]);

  const columns = useMemo(
    () => [
      col.accessor('ts', { ...ASC, header: () => t('snd.col.time'), cell: (c) => formatDateTime(c.getValue()) }),
      col.accessor('client', { ...ASC, header: () => t('snd.col.client'), cell: (c) => <span className="mono">{c.getValue()}</span> }),
      col.accessor('path', {
        ...ASC,
        header: () => t('snd.col.path'),
        cell: (c) => (
          <span className="mono path" title={c.row.original.error ?? undefined}>
            {c.row.original.method} {c.getValue()}
          </span>
        ),
      }),
      col.accessor((e) => e.dataset ?? undefined, {
        id: 'dataset',
        ...ASC,
        sortUndefined: 'last',
        header: () => t('snd.col.dataset'),
        cell: (c) => c.getValue() ?? '—',
      }),
      col.accessor('status', {
        ...ASC,
        header: () => t('snd.col.status'),
        cell: (c) => <span className={c.getValue() < 400 ? 'ok-text' : 'error-text'}>{c.getValue()}</span>,
      }),
      col.accessor('rows', { ...ASC, header: () => t('snd.col.rows'), cell: (c) => formatInt(c.getValue()) }),
      col.accessor('bytes', { ...ASC, header: () => t('snd.col.bytes'), cell: (c) => formatBytes(c.getValue()) }),
      col.accessor('durationMs', { ...ASC, header: () => t('snd.col.duration'), cell: (c) => `${c.getValue().toFixed(1)} ms` }),
    ],
    [t],
  );
  const { table: table, sorting, setSorting } = useSortedTable({ data: page?.entries ?? [], columns, getRowId: (r) => String(r.id) });
  const clients = useMemo(() => [...new Set((page?.entries ?? []).map((e) => e.client))], [page]);

  const older = () => {
    const last = page?.entries.at(-1);
    if (!last) return;
    setHistory((h) => [...h, cursor]);
    setCursor(last.id);
  };
  const newer = () => {
    setCursor(history.at(-1));
    setHistory((h) => h.slice(0, -1));
  };

  return (
    <section className="panel" data-testid="sender-log">
      <h2>{t('snd.log')}</h2>
      <div className="toolbar">
        <select
          aria-label={t('snd.col.dataset')}
          value={filters.dataset}
          onChange={(e) => applyFilters({ ...filters, dataset: e.target.value })}
          data-testid="log-filter-dataset"
        >
          <option value="">{t('snd.log.allDatasets')}</option>
          {datasets.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <input
          type="search"
          list="snd-clients"
          aria-label={t('snd.col.client')}
          placeholder={t('snd.log.clientPlaceholder')}
          value={clientText}
          onChange={(e) => setClientText(e.target.value)}
          data-testid="log-filter-client"
        />
        <datalist id="snd-clients">
          {clients.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <select
          aria-label={t('snd.log.outcome')}
          value={filters.outcome}
          onChange={(e) => whenValid(OutcomeFilter, e.target.value, (outcome) => applyFilters({ ...filters, outcome }))}
          data-testid="log-filter-outcome"
        >
          <option value="">{t('snd.log.allOutcomes')}</option>
          <option value="ok">{t('snd.log.ok')}</option>
          <option value="failed">{t('snd.log.failed')}</option>
        </select>
        <span className="spacer" />
        {sorting.length > 0 && (
          <button type="button" className="link" onClick={() => setSorting([])} data-testid="log-sort-reset">
            {t('snd.log.sortReset')}
          </button>
        )}
        <span className="muted" data-testid="log-page-info">
          {live ? t('snd.log.live') : t('snd.log.pageN', { n: history.length + 1 })}
        </span>
        <button type="button" disabled={history.length === 0 && live} onClick={newer} data-testid="log-newer">
          {t('snd.log.newer')}
        </button>
        <button type="button" disabled={!page?.hasMore} onClick={older} data-testid="log-older">
          {t('snd.log.older')}
        </button>
      </div>
      {error !== null && (
        <div className="alert" role="alert">
          {t('common.loadFailed', { message: describe(error) })}
        </div>
      )}
      <div className="table-scroll">
        <table className="table log-table" data-testid="sender-log-table">
          <thead>
            <SortableHeaderRows groups={table.getHeaderGroups()} testIdPrefix="log-sort" className={(id) => `c-${id}`} />
          </thead>
          <tbody>
            {table.getRowModel().rows.map((r) => (
              <tr key={r.id} data-testid="log-entry" className={r.original.status >= 400 ? 'failed' : undefined}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id} className={`c-${c.column.id}`}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.entries.length === 0 && <p className="muted pad">{t('snd.log.empty')}</p>}
      </div>
    </section>
  );
}

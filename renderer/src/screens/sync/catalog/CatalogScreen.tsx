import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type FilterFn,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { DatasetInfo } from '../../../../../preload/contract';
import { useCall } from '../../../bridge/use-call';
import { LoadFailed } from '../../../components/LoadFailed';
import { SortableHeaderRows } from '../../../components/SortableHeader';
import { formatInt } from '../../../format';
import { translate, useLocale, useT, type Locale, type MessageKey } from '../../../i18n';
import { en } from '../../../i18n/en';
import './catalog.css';

/** A UI string for a dataset field when one exists (built-in datasets), else the node's own text. */
function known(locale: Locale, key: string, fallback: string): string {
  return Object.hasOwn(en, key) ? translate(locale, key as MessageKey, {}) : fallback;
}

interface Row {
  info: DatasetInfo;
  name: string;
  category: string;
  description: string;
  /** Everything the search box looks at, in both languages, lower-cased. */
  haystack: string;
}

const col = createColumnHelper<Row>();

const matches: FilterFn<Row> = (row, _id, value: string) => {
  const words = value.toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((w) => row.original.haystack.includes(w));
};

/** Sync › Catalog: every dataset this node serves, searchable in English and Chinese, sortable. */
export function CatalogScreen() {
  const t = useT();
  const locale = useLocale();
  const { data, error, loading, reload } = useCall('sender.catalog', {});
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'code', desc: false }]);

  const rows = useMemo<Row[]>(
    () =>
      (data?.datasets ?? []).map((info) => {
        const descEn = info.description;
        const descZh = known('zh-CN', `cat.desc.${info.code}`, '');
        const catEn = known('en', `cat.category.${info.category}`, info.category);
        const catZh = known('zh-CN', `cat.category.${info.category}`, info.category);
        return {
          info,
          name: locale === 'zh-CN' ? info.nameZh : info.name,
          category: locale === 'zh-CN' ? catZh : catEn,
          description: locale === 'zh-CN' && descZh ? descZh : descEn,
          haystack: [info.code, info.name, info.nameZh, descEn, descZh, info.category, catEn, catZh, info.path].join('\n').toLowerCase(),
        };
      }),
    [data, locale],
  );

  const columns = useMemo(
    () => [
      col.accessor((r) => r.info.code, {
        id: 'code',
        header: () => t('cat.col.code'),
        cell: (c) => <b className="mono">{c.getValue()}</b>,
      }),
      col.accessor('name', { header: () => t('cat.col.name') }),
      col.accessor('category', { header: () => t('cat.col.category') }),
      col.accessor((r) => r.info.path, {
        id: 'path',
        header: () => t('cat.col.path'),
        cell: (c) => <span className="mono">{c.getValue()}</span>,
      }),
      col.accessor((r) => r.info.method, { id: 'method', header: () => t('cat.col.method') }),
      col.accessor('description', {
        header: () => t('cat.col.description'),
        enableSorting: false,
        cell: (c) => <span className="desc">{c.getValue()}</span>,
      }),
      col.accessor((r) => r.info.interval, {
        id: 'interval',
        header: () => t('cat.col.interval'),
        cell: (c) => (c.getValue() === 0 ? t('cat.interval.onChange') : t('cat.interval.seconds', { n: formatInt(c.getValue()) })),
      }),
      col.accessor((r) => r.info.kind, {
        id: 'kind',
        header: () => t('cat.col.kind'),
        cell: (c) => <span className={`badge kind-${c.getValue()}`}>{t(`cat.kind.${c.getValue()}`)}</span>,
      }),
      col.accessor((r) => r.info.rows ?? -1, {
        id: 'rows',
        header: () => t('cat.col.rows'),
        cell: (c) =>
          c.row.original.info.rows === null ? (
            <span className="muted" title={t('cat.rows.view')}>
              —
            </span>
          ) : (
            formatInt(c.getValue())
          ),
      }),
      col.accessor((r) => r.info.maxSeq, { id: 'maxSeq', header: () => t('cat.col.maxSeq'), cell: (c) => formatInt(c.getValue()) }),
    ],
    [t],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: search },
    onSortingChange: setSorting,
    globalFilterFn: matches,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getRowId: (r) => r.info.code,
  });
  const shown = table.getRowModel().rows;

  return (
    <div className="catalog">
      <div className="toolbar">
        <input
          type="search"
          className="catalog-search"
          aria-label={t('cat.search')}
          placeholder={t('cat.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="catalog-search"
        />
        <span className="muted" data-testid="catalog-count">
          {t('cat.count', { shown: shown.length, total: rows.length })}
        </span>
        <span className="spacer" />
        <button type="button" onClick={reload} disabled={loading} data-testid="catalog-refresh">
          {t('cat.refresh')}
        </button>
      </div>
      {error && <LoadFailed error={error} onRetry={reload} />}
      <div className="table-scroll panel flush">
        <table className="table catalog-table" data-testid="catalog-table">
          <thead>
            <SortableHeaderRows groups={table.getHeaderGroups()} testIdPrefix="catalog-sort" className={(id) => `c-${id}`} />
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-testid="catalog-row" data-code={r.original.info.code}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id} className={`c-${c.column.id}`}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && shown.length === 0 && (
          <p className="muted pad" data-testid="catalog-empty">
            {rows.length === 0 ? t('cat.none') : t('cat.noMatch', { search })}
          </p>
        )}
      </div>
    </div>
  );
}

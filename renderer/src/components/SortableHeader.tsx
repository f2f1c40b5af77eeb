import { flexRender, type Header, type HeaderGroup } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import './tables.css';

/** What `aria-sort` says for a column's sort state; absent on an unsorted column. */
export function ariaSort(dir: false | 'asc' | 'desc'): 'ascending' | 'descending' | undefined {
  return dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined;
}

interface Props<T> {
  header: Header<T, unknown>;
  /** `data-testid` of the sort button is `${testIdPrefix}-${column id}`. */
  testIdPrefix: string;
  className?: string | undefined;
  title?: string | undefined;
  /** Shown after the sort button, inside the cell (e.g. a link to the column's coin). */
  after?: ReactNode;
}

/**
 * One `<th>` of a @tanstack/react-table header: a button that toggles ascending / descending,
 * a ▲ / ▼ mark and `aria-sort`. Columns with sorting disabled render their header as is.
 */
export function SortableHeader<T>({ header, testIdPrefix, className, title, after }: Props<T>) {
  const col = header.column;
  const dir = col.getIsSorted();
  const label: ReactNode = flexRender(col.columnDef.header, header.getContext());
  return (
    <th className={className} aria-sort={ariaSort(dir)} title={title}>
      {col.getCanSort() ? (
        <button type="button" className="sort" onClick={col.getToggleSortingHandler()} data-testid={`${testIdPrefix}-${col.id}`}>
          {label}
          <span className="sort-mark" aria-hidden="true">
            {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
          </span>
        </button>
      ) : (
        label
      )}
      {after}
    </th>
  );
}

/** Every header row of a table as SortableHeaders: the one `<thead>` body of each sortable table. */
export function SortableHeaderRows<T>(props: {
  groups: HeaderGroup<T>[];
  testIdPrefix: string;
  className?: (columnId: string) => string | undefined;
  title?: (columnId: string) => string | undefined;
  after?: (columnId: string) => ReactNode;
}) {
  return props.groups.map((g) => (
    <tr key={g.id}>
      {g.headers.map((h) => (
        <SortableHeader
          key={h.id}
          header={h}
          testIdPrefix={props.testIdPrefix}
          className={props.className?.(h.column.id)}
          title={props.title?.(h.column.id)}
          after={props.after?.(h.column.id)}
        />
      ))}
    </tr>
  ));
}

import { getCoreRowModel, getSortedRowModel, useReactTable, type SortingState, type TableOptions } from '@tanstack/react-table';
import { useState } from 'react';

/**
 * A @tanstack/react-table table that sorts by a clicked column (ascending, then descending; never
 * back to unsorted by clicking), with its sort state: the one setup of every sortable data table.
 */
export function useSortedTable<T>(o: { data: T[]; columns: TableOptions<T>['columns']; getRowId: (row: T) => string }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: o.data,
    columns: o.columns,
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: o.getRowId,
  });
  return { table, sorting, setSorting };
}

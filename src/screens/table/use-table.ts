// The state behind one table: filter (the UI slice's), sort (the shell's, per table), selection (by row key, in the
// UI slice), the columns that fit, and the window of rows to draw. Keys for moving, sorting and opening are bound
// here, so every table screen behaves the same.
import { useMemo, useRef } from 'react';
import { useDeck } from '../context.js';
import type { Place } from '../keymap.js';
import type { SortState } from '../../store/shell-store.js';
import { useKeymap } from '../use-keymap.js';
import { layoutColumns, nextSortColumn, sortRows, type Column, type PlacedColumn } from './columns.js';
import { FilterMemo, narrows } from './filter.js';
import { indexOfKey, moveIndex, windowTop, type Move } from './selection.js';

/** What a table screen declares. */
export interface TableSpec<Row> {
  /** Selection and sort key, e.g. `nodes` or `jobs:usage`. */
  id: string;
  place: Place;
  /** Rows in their natural order. */
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey(row: Row): string;
  /** Cells for the columns (the cursor mark is extra) and rows for data (the header is extra). */
  width: number;
  height: number;
  /** Keys are live. */
  active: boolean;
  /** Whether the `/` filter applies to this table (only the focused one of a screen). */
  filtered?: boolean;
  onOpen?(row: Row): void;
}

/**
 * What a table renders: only the rows in the window, so no component receives thousands of rows as a prop (React's
 * development build, which deckhand runs, diffs every changed prop of every render: clearing a filter on 20,000
 * jobs cost about a second for that alone).
 */
export interface TableModel<Row> {
  /** The rows in the window, from `top`. */
  visible: readonly Row[];
  /** Rows that pass the filter. */
  count: number;
  placed: PlacedColumn<Row>[];
  index: number;
  top: number;
  height: number;
  selected?: Row;
  sort?: SortState;
  /** Rows before filtering. */
  total: number;
  filter: string;
}

/** Cells the cursor mark takes in front of each row. */
export const markWidth = 2;

/** Filter, sort, selection and window of a table, with its keys bound. */
export function useTable<Row>(spec: TableSpec<Row>): TableModel<Row> {
  const { useApp, useShell, app, shell } = useDeck();
  const globalFilter = useApp((s) => s.ui.filter);
  const filter = spec.filtered === false ? '' : globalFilter;
  const selectedKey = useApp((s) => s.ui.selection[spec.id]);
  const sort = useShell((s) => s.sorts[spec.id]);
  const placed = useMemo(() => layoutColumns(spec.columns, spec.width - markWidth), [spec.columns, spec.width]);
  const visible = useMemo(() => placed.map((p) => p.column), [placed]);
  // Typing a filter narrows it, so each key filters the previous result rather than every row again. And the memo
  // keeps what each row's steady columns matched while they and the filter stay the same: summaries keep unchanged
  // rows as the same objects, so a watch batch that replaced a few of 20,000 ProwJobs, or a clock tick that rebuilt
  // the volatile columns (ages, usage), prints those few rows' cells or those columns, not every cell of every row.
  const lastFilter = useRef<{ rows: readonly Row[]; columns: readonly Column<Row>[]; filter: string; result: readonly Row[] } | undefined>(undefined);
  const memo = useRef<FilterMemo<Row> | undefined>(undefined);
  const filteredRows = useMemo(() => {
    const last = lastFilter.current;
    const base = last && last.rows === spec.rows && last.columns === visible && narrows(last.filter, filter) ? last.result : spec.rows;
    const result = (memo.current ??= new FilterMemo<Row>()).filter(base, visible, filter);
    lastFilter.current = { rows: spec.rows, columns: visible, filter, result };
    return result;
  }, [spec.rows, visible, filter]);
  const rows = useMemo(() => {
    const column = sort && spec.columns.find((c) => c.id === sort.column);
    return column ? sortRows(filteredRows, column, sort.descending) : filteredRows;
  }, [filteredRows, sort, spec.columns]);

  const lastIndex = useRef(0);
  const lastTop = useRef(0);
  const index = indexOfKey((i) => spec.rowKey(rows[i]!), rows.length, selectedKey, lastIndex.current);
  const top = windowTop(lastTop.current, index, spec.height, rows.length);
  lastIndex.current = index;
  lastTop.current = top;
  const selected = rows[index];

  // Handlers read the stores, not this render's values: several keys can arrive before the next render.
  const move = (m: Move) => {
    const current = indexOfKey((i) => spec.rowKey(rows[i]!), rows.length, app.getState().ui.selection[spec.id], index);
    const next = rows[moveIndex(current, rows.length, m, spec.height - 1)];
    if (next) app.getState().actions.select(spec.id, spec.rowKey(next));
  };
  const currentSort = () => shell.getState().sorts[spec.id];
  const setSort = (value: SortState | undefined) => shell.getState().actions.setSort(spec.id, value);
  useKeymap(
    {
      'move.up': () => move('up'),
      'move.down': () => move('down'),
      'move.page-up': () => move('page-up'),
      'move.page-down': () => move('page-down'),
      'move.top': () => move('top'),
      'move.bottom': () => move('bottom'),
      'sort.next': () => {
        const column = nextSortColumn(visible, currentSort()?.column);
        setSort(column ? { column, descending: false } : undefined);
      },
      'sort.reverse': () => {
        const now = currentSort();
        const column = now?.column ?? nextSortColumn(visible, undefined);
        if (column) setSort({ column, descending: !(now?.descending ?? false) });
      },
      open: () => selected !== undefined && spec.onOpen?.(selected),
    },
    { place: spec.place, active: spec.active },
  );
  return {
    visible: rows.slice(top, top + spec.height), count: rows.length, placed, index, top, height: spec.height,
    ...(selected !== undefined ? { selected } : {}), ...(sort ? { sort } : {}), total: spec.rows.length, filter,
  };
}

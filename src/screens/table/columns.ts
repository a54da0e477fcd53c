// Columns as data (headlamp's `columns`, k9s's render headers): each column says how to print a row, how to sort
// it and what tone a cell has. Layout, filtering and sorting are pure functions over those declarations, shared by
// every table screen.
import { fitColumns } from '../../format/text.js';
import type { Tone } from '../theme.js';

/** One column of a table. */
export interface Column<Row> {
  id: string;
  title: string;
  /** Preferred width in cells; the minimum for flexible columns. */
  width: number;
  /** Share of the width left over once every column has its preferred width. */
  flex?: number;
  align?: 'left' | 'right';
  /** 1 = always shown; when the terminal is narrow, the highest numbers are dropped first. */
  priority?: number;
  /** The cell text (also what the filter matches). */
  text(row: Row): string;
  /** Sort key; default the text. Undefined or NaN sorts last in both directions. */
  sortKey?(row: Row): string | number | undefined;
  tone?(row: Row): Tone | undefined;
  /** False for columns that make no sense to sort (sparklines). */
  sortable?: boolean;
  /**
   * The text reads more than the row (the clock, the latest metrics), so the filter never remembers what it
   * matched. Other columns must print a row object the same way for as long as the column object lives.
   */
  volatile?: boolean;
}

/** A column placed at a width. */
export interface PlacedColumn<Row> {
  column: Column<Row>;
  width: number;
}

/** Cells between two columns. */
export const columnGap = 1;

/** Chooses the columns that fit `total` cells (dropping low-priority ones first) and gives flexible ones the rest. */
export function layoutColumns<Row>(columns: readonly Column<Row>[], total: number): PlacedColumn<Row>[] {
  let shown = [...columns];
  const used = (list: readonly Column<Row>[]) => list.reduce((sum, c) => sum + c.width, 0) + columnGap * Math.max(0, list.length - 1);
  while (used(shown) > total) {
    const worst = shown.reduce<Column<Row> | undefined>((w, c) => ((c.priority ?? 1) > 1 && (!w || (c.priority ?? 1) >= (w.priority ?? 1)) ? c : w), undefined);
    if (!worst) break;
    shown = shown.filter((c) => c !== worst);
  }
  const leftover = total - used(shown);
  if (leftover < 0) {
    const widths = fitColumns(shown.map((c) => c.width), total - columnGap * Math.max(0, shown.length - 1));
    return shown.map((column, i) => ({ column, width: widths[i] ?? 0 }));
  }
  const flexTotal = shown.reduce((sum, c) => sum + (c.flex ?? 0), 0);
  let given = 0;
  const placed = shown.map((column) => {
    const extra = flexTotal > 0 ? Math.floor((leftover * (column.flex ?? 0)) / flexTotal) : 0;
    given += extra;
    return { column, width: column.width + extra };
  });
  // Rounding leaves a few cells: they go to the first flexible column.
  const first = placed.find((p) => (p.column.flex ?? 0) > 0);
  if (first) first.width += leftover - given;
  return placed;
}

/** Rows sorted by a column (stable); missing keys last in both directions. */
export function sortRows<Row>(rows: readonly Row[], column: Column<Row>, descending: boolean): Row[] {
  const key = column.sortKey ?? column.text;
  const keyed = rows.map((row, index) => ({ row, index, key: key(row) }));
  const missing = (k: string | number | undefined) => k === undefined || (typeof k === 'number' && Number.isNaN(k));
  keyed.sort((a, b) => {
    if (missing(a.key) || missing(b.key)) return missing(a.key) === missing(b.key) ? a.index - b.index : missing(a.key) ? 1 : -1;
    const order = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : String(a.key).localeCompare(String(b.key), undefined, { numeric: true });
    return (descending ? -order : order) || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}

/** The column after `current` in the sort cycle: natural order → each sortable column → natural order. */
export function nextSortColumn<Row>(columns: readonly Column<Row>[], current: string | undefined): string | undefined {
  const ids = columns.filter((c) => c.sortable !== false).map((c) => c.id);
  if (current === undefined) return ids[0];
  const index = ids.indexOf(current);
  return index < 0 ? ids[0] : ids[index + 1];
}

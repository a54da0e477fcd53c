// The `/` filter of the tables: terms matched, case-insensitively, against the text of the visible columns (k9s's
// filter, over what is printed). Pure functions, plus a memo that lets a 20,000-row table be filtered again on every
// clock tick without printing every cell again.
import type { Column } from './columns.js';

/** Terms of a filter: `text` matches any visible column, `column:text` only that column (by id or title). */
export function parseFilter(query: string): { column?: string; text: string }[] {
  return query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => {
      const match = /^([a-z0-9%#_-]+):(.+)$/.exec(term);
      return match ? { column: match[1]!, text: match[2]! } : { text: term };
    });
}

/**
 * Whether every row `next` keeps is also kept by `previous` (each earlier term is still there, in the same column,
 * as part of a longer text): typing on narrows, so the new filter can run over the previous result only.
 */
export function narrows(previous: string, next: string): boolean {
  const a = parseFilter(previous);
  const b = parseFilter(next);
  return a.length > 0 && a.length <= b.length && a.every((t, i) => b[i]!.column === t.column && b[i]!.text.includes(t.text));
}

/** One term of a filter and the columns it is looked for in. */
interface Term<Row> {
  text: string;
  columns: readonly Column<Row>[];
}

const columnNames = <Row>(c: Column<Row>) => [c.id.toLowerCase(), c.title.toLowerCase().replace(/\s+/g, '')];

function filterTerms<Row>(columns: readonly Column<Row>[], query: string): Term<Row>[] {
  return parseFilter(query).map((term) => {
    const scoped = term.column ? columns.filter((c) => columnNames(c).includes(term.column!)) : [];
    // A `word:` that names no column is plain text (URLs, "image:tag").
    return scoped.length > 0 ? { columns: scoped, text: term.text } : { columns, text: term.column ? `${term.column}:${term.text}` : term.text };
  });
}

const matches = <Row>(row: Row, columns: readonly Column<Row>[], text: string) => columns.some((c) => c.text(row).toLowerCase().includes(text));

const matchesAll = <Row>(terms: readonly Term<Row>[]) => (row: Row) => terms.every((t) => matches(row, t.columns, t.text));

/** Whether a row's visible columns contain every term of the filter (case-insensitive); undefined for no terms. */
export function rowFilter<Row>(columns: readonly Column<Row>[], query: string): ((row: Row) => boolean) | undefined {
  const terms = filterTerms(columns, query);
  return terms.length === 0 ? undefined : matchesAll(terms);
}

/** The rows whose visible columns contain every term of the filter (case-insensitive). */
export function filterRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], query: string): readonly Row[] {
  const keep = rowFilter(columns, query);
  return keep ? rows.filter(keep) : rows;
}

/** Terms a mask can hold; a longer filter is matched without the memo. */
const maskBits = 30;

/**
 * A filter that remembers, per row object, which terms the row's steady (not volatile) columns matched, for as long
 * as the query and the steady columns stay the same; then only the volatile columns are printed again, and only for
 * rows that still miss a term. The clock's tick rebuilds the jobs columns (ages follow it) and replaces the running
 * jobs' rows: with 20,000 ProwJobs and a filter set, printing every cell of every row again took about 15 ms of
 * each tick, and with the memo about 5 (in-process, after warm-up). The result is always filterRows' own.
 */
export class FilterMemo<Row> {
  private key: { steady: readonly Column<Row>[]; query: string } | undefined;
  private masks = new WeakMap<object, number>();

  filter(rows: readonly Row[], columns: readonly Column<Row>[], query: string): readonly Row[] {
    const terms = filterTerms(columns, query);
    if (terms.length === 0) return rows;
    if (terms.length > maskBits) return rows.filter(matchesAll(terms));
    const steady = columns.filter((c) => !c.volatile);
    const key = this.key;
    if (!key || key.query !== query || key.steady.length !== steady.length || key.steady.some((c, i) => c !== steady[i])) {
      this.key = { steady, query };
      this.masks = new WeakMap();
    }
    const split = terms.map((t) => ({ text: t.text, steady: t.columns.filter((c) => !c.volatile), volatile: t.columns.filter((c) => c.volatile) }));
    const all = (1 << terms.length) - 1;
    const masks = this.masks;
    return rows.filter((row) => {
      // Rows are objects in every table (views and summary rows).
      const object = row as unknown as object;
      let mask = masks.get(object);
      if (mask === undefined) {
        mask = 0;
        for (let i = 0; i < split.length; i++) if (matches(row, split[i]!.steady, split[i]!.text)) mask |= 1 << i;
        masks.set(object, mask);
      }
      if (mask === all) return true;
      for (let i = 0; i < split.length; i++) if (!(mask & (1 << i)) && !matches(row, split[i]!.volatile, split[i]!.text)) return false;
      return true;
    });
  }
}

// The table engine's pure parts: which columns fit, what a filter keeps, sort order, the sort cycle, cursor and
// window arithmetic, and reading ages back for sorting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageMs } from '../../src/screens/table/age.js';
import { layoutColumns, nextSortColumn, sortRows, type Column } from '../../src/screens/table/columns.js';
import { filterRows, FilterMemo, parseFilter } from '../../src/screens/table/filter.js';
import { indexOfKey, moveIndex, windowTop } from '../../src/screens/table/selection.js';

interface Row { name: string; state: string; cpu?: number }
const rows: Row[] = [
  { name: 'prow-md-0-a', state: 'Ready', cpu: 300 },
  { name: 'prow-md-0-b', state: 'NotReady' },
  { name: 'control-plane', state: 'Ready', cpu: 1200 },
];
const columns: Column<Row>[] = [
  { id: 'name', title: 'NAME', width: 10, flex: 1, text: (r) => r.name },
  { id: 'state', title: 'STATUS', width: 8, text: (r) => r.state },
  { id: 'cpu', title: 'CPU', width: 5, priority: 2, text: (r) => (r.cpu === undefined ? '-' : `${r.cpu}m`), sortKey: (r) => r.cpu },
  { id: 'spark', title: 'TREND', width: 6, priority: 3, sortable: false, text: () => '▁▂' },
];

test('layout drops the highest priority numbers first and gives the flexible column what is left', () => {
  assert.deepEqual(layoutColumns(columns, 40).map((p) => [p.column.id, p.width]), [['name', 18], ['state', 8], ['cpu', 5], ['spark', 6]]);
  assert.deepEqual(layoutColumns(columns, 30).map((p) => [p.column.id, p.width]), [['name', 15], ['state', 8], ['cpu', 5]]);
  assert.deepEqual(layoutColumns(columns, 20).map((p) => p.column.id), ['name', 'state']);
  const squeezed = layoutColumns(columns, 12);
  assert.equal(squeezed.reduce((s, p) => s + p.width, 0) + squeezed.length - 1, 12, 'priority-1 columns shrink to fit');
});

test('filter: substrings of the visible columns, all terms, case-insensitive, `column:text` for one column', () => {
  const names = (query: string, cols = columns) => filterRows(rows, cols, query).map((r) => r.name);
  assert.deepEqual(names(''), ['prow-md-0-a', 'prow-md-0-b', 'control-plane']);
  assert.deepEqual(names('READY'), ['prow-md-0-a', 'prow-md-0-b', 'control-plane'], 'NotReady contains ready');
  assert.deepEqual(names('md notready'), ['prow-md-0-b']);
  assert.deepEqual(names('status:ready name:control'), ['control-plane']);
  assert.deepEqual(names('1200m'), ['control-plane'], 'a cell as printed');
  assert.deepEqual(names('1200m', columns.slice(0, 2)), [], 'a column that is not visible is not searched');
  assert.deepEqual(names('image:tag'), [], 'an unknown column name is plain text');
  assert.deepEqual(parseFilter(' State:Pending  repo:org/x '), [{ column: 'state', text: 'pending' }, { column: 'repo', text: 'org/x' }]);
});

test('the filter memo keeps what steady columns matched across ticks and prints volatile columns again', () => {
  interface Job { id: string; job: string; startedMs: number }
  const jobs: Job[] = Array.from({ length: 40 }, (_, i) => ({ id: `j${i}`, job: i % 3 ? `pull-lint-${i}` : `periodic-${i}`, startedMs: i * 10_000 }));
  const printed = { steady: 0, volatile: 0 };
  const idColumn: Column<Job> = { id: 'id', title: 'ID', width: 4, text: (r) => (printed.steady++, r.id) };
  const jobColumn: Column<Job> = { id: 'job', title: 'JOB', width: 10, text: (r) => (printed.steady++, r.job) };
  // The age reads the clock, like the jobs screen's: rebuilt on every tick.
  const at = (nowMs: number): Column<Job>[] => [idColumn, jobColumn, { id: 'age', title: 'AGE', width: 5, volatile: true, text: (r) => (printed.volatile++, `${Math.floor((nowMs - r.startedMs) / 1000)}s`) }];
  const memo = new FilterMemo<Job>();
  const ids = (rows: readonly Job[]) => rows.map((r) => r.id);
  for (const query of ['lint', 'periodic 4', 'age:5s', 'j1 0s', 'nothing', 'job:pull-lint-3']) {
    for (const now of [400_000, 401_000, 455_000, 401_000]) {
      assert.deepEqual(ids(memo.filter(jobs, at(now), query)), ids(filterRows(jobs, at(now), query)), `${query} at ${now}`);
    }
  }
  // Time moves: a row that matches only through its age comes and goes; the steady columns are not printed again.
  memo.filter(jobs, at(400_000), '55s');
  printed.steady = printed.volatile = 0;
  assert.deepEqual(ids(memo.filter(jobs, at(455_000), '55s')), ['j0', 'j10', 'j20', 'j30'], 'started 455, 355, 255 and 155 s ago');
  assert.equal(printed.steady, 0, 'the steady columns were remembered from the last tick');
  assert.equal(printed.volatile, jobs.length, 'each age was printed once');
  assert.deepEqual(ids(memo.filter(jobs, at(456_000), '55s')), []);
  // A row matched by a steady column is kept without printing its age.
  printed.steady = printed.volatile = 0;
  memo.filter(jobs, at(400_000), 'periodic');
  memo.filter(jobs, at(401_000), 'periodic');
  const periodic = jobs.filter((j) => j.job.startsWith('periodic')).length;
  assert.equal(printed.steady, jobs.length * 2, 'both steady columns of each row, once, for the new query');
  assert.equal(printed.volatile, (jobs.length - periodic) * 2, 'ages only for the rows the steady columns missed, on each tick');
  // Other steady columns (a context change rebuilt them): everything is printed again.
  printed.steady = 0;
  const rebuilt: Column<Job>[] = [{ ...idColumn }, jobColumn, at(401_000)[2]!];
  assert.deepEqual(ids(memo.filter(jobs, rebuilt, 'periodic')), ids(filterRows(jobs, rebuilt, 'periodic')));
  assert.ok(printed.steady >= jobs.length, 'a steady column that is another object starts the memo again');
});

test('sort by a column, both directions, missing values last, stable', () => {
  const cpu = columns[2]!;
  assert.deepEqual(sortRows(rows, cpu, false).map((r) => r.name), ['prow-md-0-a', 'control-plane', 'prow-md-0-b']);
  assert.deepEqual(sortRows(rows, cpu, true).map((r) => r.name), ['control-plane', 'prow-md-0-a', 'prow-md-0-b']);
  assert.deepEqual(sortRows(rows, columns[1]!, false).map((r) => r.name), ['prow-md-0-b', 'prow-md-0-a', 'control-plane']);
  const numbered = [{ name: 'n10', state: '' }, { name: 'n9', state: '' }];
  assert.deepEqual(sortRows(numbered, columns[0]!, false).map((r) => r.name), ['n9', 'n10'], 'numeric collation');
});

test('s cycles natural order → each sortable column → natural order', () => {
  assert.equal(nextSortColumn(columns, undefined), 'name');
  assert.equal(nextSortColumn(columns, 'name'), 'state');
  assert.equal(nextSortColumn(columns, 'cpu'), undefined, 'the sparkline is not sortable: back to natural order');
  assert.equal(nextSortColumn(columns, 'gone'), 'name');
});

test('cursor moves clamp, pages move by the page, the window follows the cursor only when it must', () => {
  assert.equal(moveIndex(0, 10, 'up', 5), 0);
  assert.equal(moveIndex(9, 10, 'down', 5), 9);
  assert.equal(moveIndex(2, 10, 'page-down', 5), 7);
  assert.equal(moveIndex(7, 10, 'page-up', 5), 2);
  assert.equal(moveIndex(4, 10, 'bottom', 5), 9);
  assert.equal(moveIndex(4, 0, 'down', 5), 0);
  assert.equal(windowTop(0, 3, 5, 100), 0);
  assert.equal(windowTop(0, 5, 5, 100), 1);
  assert.equal(windowTop(10, 12, 5, 100), 10, 'inside the window: no jump');
  assert.equal(windowTop(10, 4, 5, 100), 4);
  assert.equal(windowTop(90, 19, 5, 20), 15, 'the list shrank: the window is pulled back');
});

test('the selection follows its key, and falls back near its old place when the row is gone', () => {
  const keys = ['a', 'b', 'c', 'd'];
  assert.equal(indexOfKey((i) => keys[i]!, 4, 'c', 0), 2);
  assert.equal(indexOfKey((i) => keys[i]!, 4, 'x', 3), 3);
  assert.equal(indexOfKey((i) => keys[i]!, 4, 'x', 9), 3);
  assert.equal(indexOfKey((i) => keys[i]!, 0, 'a', 2), 0);
});

test('kubectl ages read back for sorting', () => {
  assert.equal(ageMs('90s'), 90_000);
  assert.equal(ageMs('5m30s'), 330_000);
  assert.equal(ageMs('3d4h'), (3 * 24 + 4) * 3_600_000);
  assert.equal(ageMs('<unknown>'), undefined);
  assert.ok(ageMs('2y')! > ageMs('40d')!);
});

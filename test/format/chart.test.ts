import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar, resample, sparkline } from '../../src/format/chart.js';

test('resample averages down and repeats up', () => {
  const cases: [number[], number, number[]][] = [
    [[1, 2, 3, 4], 2, [1.5, 3.5]],
    [[1, 2, 3, 4, 5], 2, [1.5, 4]],
    [[1, 2, 3], 3, [1, 2, 3]],
    [[1, 2], 4, [1, 1, 2, 2]],
    [[1, Number.NaN, 3, 5], 2, [1, 4]],
    [[], 5, []],
    [[1, 2, 3], 0, []],
  ];
  for (const [series, n, expected] of cases) assert.deepEqual(resample(series, n), expected, `${series} → ${n}`);
});

test('sparkline maps min..max onto eight levels', () => {
  const cases: [number[], number | undefined, string][] = [
    [[1, 2, 3, 4, 5, 6, 7, 8], undefined, '▁▂▃▄▅▆▇█'],
    [[], undefined, ''],
    [[5, 5, 5], undefined, '▁▁▁'],
    [[0, 10], undefined, '▁█'],
    [[0, 5, 10], undefined, '▁▅█'],
    [[0, Number.NaN, 10], undefined, '▁ █'],
    [[Number.NaN, Number.NaN], undefined, '  '],
    [[0, 0, 10, 10], 2, '▁█'],
    [[1, 2], 10, '▁█'],
  ];
  for (const [values, width, expected] of cases) assert.equal(sparkline(values, width), expected, `${values}`);
});

test('sparkline copes with long series', () => {
  const long = Array.from({ length: 300_000 }, (_, i) => i);
  assert.equal(sparkline(long).length, 300_000);
  assert.equal(sparkline(long, 4), '▁▃▆█');
});

test('sparkline can use a fixed scale, clamping outliers', () => {
  assert.equal(sparkline([50], undefined, { min: 0, max: 100 }), '▅');
  assert.equal(sparkline([0, 100, 150, -5], undefined, { min: 0, max: 100 }), '▁██▁');
  assert.equal(sparkline([3, 3], undefined, { min: 0 }), '██');
});

test('progressBar fills in proportion, full only when done', () => {
  const cases: [number, number, number, string][] = [
    [0, 8, 8, '░░░░░░░░'],
    [3, 8, 8, '███░░░░░'],
    [8, 8, 8, '████████'],
    [7.99, 8, 8, '███████░'],
    [1, 3, 3, '█░░'],
    [10, 8, 8, '████████'],
    [-1, 8, 8, '░░░░░░░░'],
    [0, 0, 4, '████'],
    [1, 2, 0, ''],
  ];
  for (const [done, total, width, expected] of cases) {
    assert.equal(progressBar(done, total, width), expected, `${done}/${total}@${width}`);
  }
});

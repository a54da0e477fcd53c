import { test } from 'node:test';
import assert from 'node:assert/strict';
import { max, percentile, pushBounded } from '../../src/format/stats.js';

test('percentile uses the nearest-rank method', () => {
  // The worked example on Wikipedia's "Percentile" page, nearest-rank method.
  const sample = [15, 20, 35, 40, 50];
  const cases: [number[], number, number | undefined][] = [
    [sample, 5, 15],
    [sample, 30, 20],
    [sample, 40, 20],
    [sample, 50, 35],
    [sample, 100, 50],
    [sample, 0, 15],
    [[50, 15, 40, 20, 35], 50, 35],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95, 95],
    [[7], 95, 7],
    [[Number.NaN, 3, 1], 100, 3],
    [[], 95, undefined],
  ];
  for (const [values, p, expected] of cases) assert.equal(percentile(values, p), expected, `p${p} of ${values}`);
});

test('percentile rejects p outside 0..100 and leaves its input alone', () => {
  for (const p of [-1, 101, Number.NaN]) assert.throws(() => percentile([1], p), RangeError);
  const values = [3, 1, 2];
  percentile(values, 50);
  assert.deepEqual(values, [3, 1, 2]);
});

test('max ignores NaN and copes with long histories', () => {
  const cases: [number[], number | undefined][] = [
    [[1, 5, 3], 5],
    [[-3, -1], -1],
    [[Number.NaN, 2], 2],
    [[], undefined],
    [Array.from({ length: 200_000 }, (_, i) => i), 199_999],
  ];
  for (const [values, expected] of cases) assert.equal(max(values), expected);
});

test('pushBounded keeps the newest items up to the capacity without mutating', () => {
  const cases: [number[], number, number, number[]][] = [
    [[], 1, 3, [1]],
    [[1, 2], 3, 3, [1, 2, 3]],
    [[1, 2, 3], 4, 3, [2, 3, 4]],
    [[1, 2, 3, 4, 5], 6, 2, [5, 6]],
    [[1, 2], 3, 0, []],
  ];
  for (const [items, value, capacity, expected] of cases) {
    const before = [...items];
    assert.deepEqual(pushBounded(items, value, capacity), expected);
    assert.deepEqual(items, before);
  }
});

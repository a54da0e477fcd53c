import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DurationError,
  ageSince,
  formatCountdown,
  formatGoDuration,
  humanAge,
  parseGoDuration,
} from '../../src/format/duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

test('parseGoDuration reads Go duration strings into milliseconds', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['0s', 0],
    ['10m0s', 600_000],
    ['600s', 600_000],
    ['1h2m3.5s', 3_723_500],
    ['15.04s', 15_040],
    ['300ms', 300],
    ['2h45m', 9_900_000],
    ['-1.5h', -5_400_000],
    ['+5s', 5_000],
    ['.5s', 500],
    ['5.s', 5_000],
    ['1h1h', 7_200_000],
    ['1.5us', 0.0015],
    ['1\u00b5s', 0.001],
    ['1\u03bcs', 0.001],
    ['100ns', 0.0001],
    ['1.000000001s', 1000.000001],
  ];
  for (const [input, expected] of cases) assert.equal(parseGoDuration(input), expected, input);
});

test('invalid Go durations throw with Go\'s own wording', () => {
  const cases: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['.s', 'time: invalid duration ".s"'],
    ['s', 'time: invalid duration "s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1h2', 'time: missing unit in duration "1h2"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['1h 2m', 'time: unknown unit "h " in duration "1h 2m"'],
    ['1.5E-3s', 'time: unknown unit "E-" in duration "1.5E-3s"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseGoDuration(input), (error: unknown) => {
      assert.ok(error instanceof DurationError, input);
      assert.equal(error.message, message);
      return true;
    });
  }
});

test('formatGoDuration prints what Go\'s Duration.String() prints', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [600_000, '10m0s'],
    [20_000, '20s'],
    [HOUR, '1h0m0s'],
    [1_500, '1.5s'],
    [300, '300ms'],
    [1.5, '1.5ms'],
    [0.0015, '1.5\u00b5s'],
    [0.0001, '100ns'],
    [3_723_500, '1h2m3.5s'],
    [15_040, '15.04s'],
    [-1_500, '-1.5s'],
    [25 * HOUR + MINUTE + 1_001, '25h1m1.001s'],
  ];
  for (const [input, expected] of cases) assert.equal(formatGoDuration(input), expected, String(input));
});

test('Go durations round-trip', () => {
  for (const text of ['10m0s', '20s', '1h0m0s', '1.5s', '300ms', '1h2m3.5s', '15.04s', '1.5\u00b5s', '-2m30s']) {
    assert.equal(formatGoDuration(parseGoDuration(text)), text, text);
  }
  assert.equal(formatGoDuration(parseGoDuration('600s')), '10m0s');
  assert.throws(() => formatGoDuration(Number.NaN), RangeError);
});

test('humanAge uses HumanDuration\'s exact thresholds', () => {
  const cases: [number, string][] = [
    [-2 * SECOND, '<invalid>'],
    [-1_999, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [1_500, '1s'],
    [90 * SECOND, '90s'],
    [2 * MINUTE - 1, '119s'],
    [2 * MINUTE, '2m'],
    [5 * MINUTE + 30 * SECOND, '5m30s'],
    [10 * MINUTE - 1, '9m59s'],
    [10 * MINUTE, '10m'],
    [95 * MINUTE, '95m'],
    [3 * HOUR - 1, '179m'],
    [3 * HOUR, '3h'],
    [5 * HOUR + 3 * MINUTE, '5h3m'],
    [8 * HOUR - 1, '7h59m'],
    [8 * HOUR + 30 * MINUTE, '8h'],
    [48 * HOUR - 1, '47h'],
    [48 * HOUR, '2d'],
    [3 * DAY + 4 * HOUR, '3d4h'],
    [8 * DAY - 1, '7d23h'],
    [8 * DAY, '8d'],
    [40 * DAY, '40d'],
    [2 * YEAR - 1, '729d'],
    [2 * YEAR, '2y'],
    [3 * YEAR + 45 * DAY, '3y45d'],
    [8 * YEAR - 1, '7y364d'],
    [8 * YEAR, '8y'],
    [10 * YEAR + 100 * DAY, '10y'],
    [Number.NaN, '<invalid>'],
  ];
  for (const [input, expected] of cases) assert.equal(humanAge(input), expected, String(input));
});

test('ageSince measures from an RFC 3339 timestamp to the given now', () => {
  const now = Date.parse('2026-01-01T00:05:30Z');
  const cases: [string | undefined, string][] = [
    ['2026-01-01T00:00:00Z', '5m30s'],
    ['2025-12-31T23:00:00Z', '65m'],
    ['2026-01-01T00:05:31Z', '0s'],
    ['2026-01-01T00:05:40Z', '<invalid>'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
  ];
  for (const [input, expected] of cases) assert.equal(ageSince(input, now), expected, String(input));
});

test('formatCountdown is short, steady in width, and rounds up', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [-5_000, '0s'],
    [1, '1s'],
    [41_001, '42s'],
    [MINUTE, '1m00s'],
    [4 * MINUTE + 5 * SECOND, '4m05s'],
    [4 * MINUTE + 12 * SECOND, '4m12s'],
    [HOUR + 2 * MINUTE, '1h02m'],
    [2 * DAY + 3 * HOUR, '2d03h'],
  ];
  for (const [input, expected] of cases) assert.equal(formatCountdown(input), expected, String(input));
});

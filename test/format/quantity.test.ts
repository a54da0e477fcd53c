import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QuantityError,
  formatBytesHuman,
  formatCpuHuman,
  formatCpuMilli,
  formatCpuQuantity,
  formatMemoryMi,
  formatMemoryQuantity,
  formatQuantityNanos,
  parseCpu,
  parseMemory,
  parseQuantity,
  parseQuantityNanos,
  percentOf,
} from '../../src/format/quantity.js';

test('parseQuantity accepts the full grammar: signs, decimals, every suffix, exponents', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['1', 1],
    ['250m', 0.25],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['+2', 2],
    ['-2', -2],
    ['007', 7],
    ['5n', 5e-9],
    ['1u', 1e-6],
    ['1k', 1e3],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['1Mi', 1048576],
    ['1Gi', 1073741824],
    ['1Ti', 1099511627776],
    ['1Pi', 1125899906842624],
    ['1Ei', 1152921504606846976],
    ['-1.5Gi', -1610612736],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2e+2', 200],
    ['1.5E-3', 0.0015],
    ['1e-9', 1e-9],
    // Below nano scale rounds up to 1n, as ParseQuantity does with inf.RoundUp.
    ['1e-10', 1e-9],
    ['0.0000000001', 1e-9],
  ];
  for (const [input, expected] of cases) assert.equal(parseQuantity(input), expected, input);
});

test('parseCpu returns millicores, fractional below 1m', () => {
  const cases: [string, number][] = [
    ['123456789n', 123.456789],
    ['250m', 250],
    ['2516m', 2516],
    ['2', 2000],
    ['0.5', 500],
    ['100u', 0.1],
    ['0.1m', 0.1],
    ['1.5e3', 1_500_000],
    ['7773m', 7773],
  ];
  for (const [input, expected] of cases) assert.equal(parseCpu(input), expected, input);
});

test('parseMemory returns whole bytes, rounding fractions up like Quantity.Value()', () => {
  const cases: [string, number][] = [
    ['3702Mi', 3881828352],
    ['1234Ki', 1263616],
    ['1.5Gi', 1610612736],
    ['123Mi', 128974848],
    ['128974848', 128974848],
    ['129e6', 129000000],
    ['129M', 129000000],
    ['1e3', 1000],
    ['0.5', 1],
    ['1500m', 2],
    ['-1500m', -2],
  ];
  for (const [input, expected] of cases) assert.equal(parseMemory(input), expected, input);
});

test('invalid quantities throw QuantityError quoting the input and the reason', () => {
  const cases: [string, RegExp][] = [
    ['', /^"" is not a valid quantity: expected a number/],
    ['abc', /^"abc" is not a valid quantity: expected a number/],
    [' 1', /expected a number/],
    ['+', /expected a number/],
    ['.', /expected a number/],
    ['--1', /expected a number/],
    ['Mi', /expected a number/],
    ['1 ', /unknown suffix " "/],
    ['1.2.3', /unknown suffix "\.3"/],
    ['1ki', /unknown suffix "ki"/],
    ['1K', /unknown suffix "K"/],
    ['1Mib', /unknown suffix "Mib"/],
    ['1e', /unknown suffix "e"/],
    ['1e3.5', /unknown suffix "e3\.5"/],
    ['1e3m', /unknown suffix "e3m"/],
    ['1e401', /exponent 401 is out of range/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseQuantity(input), (error: unknown) => {
      assert.ok(error instanceof QuantityError, input);
      assert.equal(error.input, input);
      assert.match(error.message, message, input);
      return true;
    });
  }
});

test('formatCpuMilli prints MilliValue(), which rounds up, as kubectl top does', () => {
  const cases: [number, string][] = [
    [293, '293m'],
    [7773, '7773m'],
    [123.456789, '124m'],
    [0.000001, '1m'],
    [0, '0m'],
    [2000, '2000m'],
    // Float noise from sums must not round an exact value up: (0.1 + 0.2) * 10 is 3.0000000000000004.
    [(0.1 + 0.2) * 10, '3m'],
  ];
  for (const [input, expected] of cases) assert.equal(formatCpuMilli(input), expected, String(input));
});

test('formatMemoryMi prints Value()/(1024*1024) truncated, as kubectl top does', () => {
  const cases: [number, string][] = [
    [3881828352, '3702Mi'],
    [2906652672, '2772Mi'],
    [1048575, '0Mi'],
    [1048576 * 1.5, '1Mi'],
    [0, '0Mi'],
  ];
  for (const [input, expected] of cases) assert.equal(formatMemoryMi(input), expected, String(input));
});

test('percentOf truncates MilliValue(usage)/MilliValue(allocatable)*100 like kubectl top node', () => {
  const cases: [number, number, number][] = [
    [7773, 8000, 97],
    [8000, 8000, 100],
    [9000, 8000, 112],
    [0, 8000, 0],
    [100, 0, 0],
    [123.456789, 8000, 1],
    // MilliValue() rounds usage up first: 7999.5m counts as 8000m.
    [7999.5, 8000, 100],
    // Memory in bytes: 2772Mi of 7946Mi.
    [2906652672, 8331673600, 34],
    // The same float64 arithmetic as kubectl: 29/100*100 is 28.999999999999996, printed as 28%.
    [29, 100, 28],
  ];
  for (const [usage, allocatable, expected] of cases) {
    assert.equal(percentOf(usage, allocatable), expected, `${usage} of ${allocatable}`);
  }
});

test('formatCpuHuman shows millicores below a core, else cores with one decimal', () => {
  const cases: [number, string][] = [
    [293, '293m'],
    [0, '0m'],
    [7773, '7.8'],
    [8000, '8'],
    [999.5, '1'],
    [12345, '12.3'],
    [16000, '16'],
    [123456, '123'],
  ];
  for (const [input, expected] of cases) assert.equal(formatCpuHuman(input), expected, String(input));
});

test('formatBytesHuman picks the largest binary unit', () => {
  const cases: [number, string][] = [
    [0, '0B'],
    [512, '512B'],
    [1536, '1.5Ki'],
    [512 * 2 ** 20, '512Mi'],
    [1.5 * 2 ** 30, '1.5Gi'],
    [11.3 * 2 ** 30, '11Gi'],
    [9.96 * 2 ** 30, '10Gi'],
    [1023.97 * 1024, '1Mi'],
    [2 ** 60, '1Ei'],
    [-2 * 2 ** 30, '-2Gi'],
  ];
  for (const [input, expected] of cases) assert.equal(formatBytesHuman(input), expected, String(input));
});

test('formatCpuQuantity writes canonical nanocore DecimalSI strings as metrics-server does', () => {
  const cases: [number, string][] = [
    [123.456789, '123456789n'],
    [250, '250m'],
    [2516, '2516m'],
    [2000, '2'],
    [1000, '1'],
    [1500, '1500m'],
    [0, '0'],
    [0.001, '1u'],
    [0.5, '500u'],
    [0.1234, '123400n'],
    [2_000_000, '2k'],
    [-250, '-250m'],
  ];
  for (const [input, expected] of cases) assert.equal(formatCpuQuantity(input), expected, String(input));
});

test('formatMemoryQuantity writes canonical BinarySI strings, falling back to decimal like upstream', () => {
  const cases: [number, string][] = [
    [3881828352, '3702Mi'],
    [1263616, '1234Ki'],
    [1024, '1Ki'],
    [1073741824, '1Gi'],
    [1610612736, '1536Mi'],
    [2 ** 60, '1Ei'],
    [1500, '1500'],
    [1025, '1025'],
    [3_000_000_000, '3000000000'],
    // Below 1024 a BinarySI quantity is printed as DecimalSI, so 1000 bytes is "1k".
    [1000, '1k'],
    [512, '512'],
    [0, '0'],
  ];
  for (const [input, expected] of cases) assert.equal(formatMemoryQuantity(input), expected, String(input));
});

test('formatQuantityNanos matches the upstream doc examples', () => {
  assert.equal(formatQuantityNanos(parseQuantityNanos('1.5'), 'DecimalSI'), '1500m');
  assert.equal(formatQuantityNanos(parseQuantityNanos('1.5Gi'), 'BinarySI'), '1536Mi');
  assert.equal(formatQuantityNanos(parseQuantityNanos('1e3'), 'DecimalSI'), '1k');
  // 10^21 base units: there is no suffix above E, so the mantissa grows instead.
  assert.equal(formatQuantityNanos(10n ** 30n, 'DecimalSI'), '1000E');
});

test('canonical strings round-trip through the parsers', () => {
  for (const text of ['123456789n', '250m', '2516m', '2', '1', '0', '1u', '2k']) {
    assert.equal(formatCpuQuantity(parseCpu(text)), text, text);
  }
  for (const text of ['3702Mi', '1234Ki', '1Gi', '1500', '1k', '512', '0']) {
    assert.equal(formatMemoryQuantity(parseMemory(text)), text, text);
  }
});

test('non-finite numbers cannot be serialised', () => {
  assert.throws(() => formatCpuQuantity(Number.NaN), RangeError);
  assert.throws(() => formatMemoryQuantity(Number.POSITIVE_INFINITY), RangeError);
});

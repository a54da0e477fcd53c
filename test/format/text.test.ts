import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, fitColumns, fitText, padEnd, padStart, truncate } from '../../src/format/text.js';

test('displayWidth counts terminal cells', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['abc', 3],
    ['▁▂▃▄▅▆▇█', 8],
    ['░█', 2],
    ['⠁⣿', 2],
    ['─│┌┐', 4],
    ['…', 1],
    ['日本', 4],
    ['한국', 4],
    ['ｱ', 1],
    ['🚀', 2],
    ['✅', 2],
    ['⚠️', 2],
    ['👩‍💻', 2],
    ['e\u0301', 1],
    ['a\tb', 2],
  ];
  for (const [input, expected] of cases) assert.equal(displayWidth(input), expected, input);
});

test('truncate cuts to a width and marks the cut with an ellipsis', () => {
  const cases: [string, number, string][] = [
    ['hello world', 5, 'hell…'],
    ['hello', 5, 'hello'],
    ['hello', 1, '…'],
    ['hello', 0, ''],
    ['hello', -3, ''],
    ['abc', 2.9, 'a…'],
    ['日本語テキスト', 6, '日本…'],
    ['日本語', 6, '日本語'],
    ['▁▂▃▄▅▆▇█', 4, '▁▂▃…'],
  ];
  for (const [input, width, expected] of cases) assert.equal(truncate(input, width), expected, `${input}@${width}`);
});

test('padEnd and padStart pad by display width and never cut', () => {
  assert.equal(padEnd('ab', 4), 'ab  ');
  assert.equal(padEnd('日本', 6), '日本  ');
  assert.equal(padEnd('abcdef', 3), 'abcdef');
  assert.equal(padStart('7', 3), '  7');
  assert.equal(padStart('█', 3), '  █');
  assert.equal(padStart('日', 1), '日');
});

test('fitText yields exactly the width, cut or padded', () => {
  const cases: [string, number, 'left' | 'right', string][] = [
    ['hello world', 5, 'left', 'hell…'],
    ['hi', 5, 'left', 'hi   '],
    ['hi', 5, 'right', '   hi'],
    ['日本語', 4, 'left', '日… '],
  ];
  for (const [input, width, align, expected] of cases) {
    assert.equal(fitText(input, width, align), expected, input);
    assert.equal(displayWidth(fitText(input, width, align)), width);
  }
});

test('fitColumns caps the widest columns at an equal share', () => {
  const cases: [number[], number, number[]][] = [
    [[10, 20], 100, [10, 20]],
    [[10, 30, 50], 60, [10, 25, 25]],
    [[5, 5, 5], 10, [4, 3, 3]],
    [[3, 40, 40], 20, [3, 9, 8]],
    [[40, 3, 40], 20, [9, 3, 8]],
    [[10, 10], 0, [0, 0]],
    [[], 10, []],
  ];
  for (const [widths, total, expected] of cases) {
    assert.deepEqual(fitColumns(widths, total), expected, `${widths.join(',')} into ${total}`);
  }
});

test('fitColumns never exceeds the total nor a wanted width', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 200; round += 1) {
    const widths = Array.from({ length: 1 + random(8) }, () => random(60));
    const total = random(200);
    const fitted = fitColumns(widths, total);
    const sum = fitted.reduce((a, b) => a + b, 0);
    assert.ok(sum <= Math.max(total, 0), `${widths} into ${total}: ${fitted}`);
    assert.ok(fitted.every((width, i) => width <= (widths[i] ?? 0) && width >= 0));
    const wanted = widths.reduce((a, b) => a + b, 0);
    assert.equal(sum, Math.min(wanted, total), `${widths} into ${total} wastes cells: ${fitted}`);
  }
});

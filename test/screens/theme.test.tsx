// NO_COLOR through the real <App>: with colour forced on, the theme's colours reach the terminal (not-ready nodes in
// red, hot usage in yellow); with NO_COLOR set there is not one colour code, while the selection stays visible
// (inverse and the `›` mark). Ink's chalk decides its colour level when loaded, so it is loaded after FORCE_COLOR.
import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env.FORCE_COLOR = '1';
const { createTheme, themeFromEnv, percentTone } = await import('../../src/screens/theme.js');
const { dash } = await import('./harness.js');

const colourCodes = /\x1b\[(3[0-7]|9[0-7]|4[0-7]|10[0-7])m/;

test('themeFromEnv: NO_COLOR with any non-empty value turns colour off', () => {
  assert.equal(themeFromEnv({}).color, true);
  assert.equal(themeFromEnv({ NO_COLOR: '1' }).color, false);
  assert.equal(themeFromEnv({ NO_COLOR: '' }).color, true, 'an empty NO_COLOR does not count (no-color.org)');
  assert.deepEqual(createTheme(false).style('error'), { bold: true });
  assert.deepEqual(createTheme(true).style('error'), { color: 'red', bold: true });
  assert.equal(percentTone(91), 'warn');
  assert.equal(percentTone(90), undefined);
});

test('coloured: the not-ready row is red and 93% CPU is highlighted; NO_COLOR: no colour codes, selection still inverse', async () => {
  const coloured = dash({ color: true });
  let frame = await coloured.waitFor('prow-md-0-xx8k7');
  assert.match(frame, /\x1b\[31m.*Unknown 4m/);
  assert.match(frame, /\x1b\[33m\s*7\.5 93%/);
  coloured.unmount();
  const plain = dash({ color: false });
  frame = await plain.waitFor('prow-md-0-xx8k7');
  assert.doesNotMatch(frame, colourCodes);
  assert.match(frame, /\x1b\[7m› (\x1b\[1m)?prow-md-0-xx8k7/, 'the selected row is inverse');
  plain.unmount();
});

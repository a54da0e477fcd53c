// `deckhand --help`, per-command help, and usage errors (exit code 2), through the real entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const deckhand = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('--help lists the commands', () => {
  const r = deckhand('--help');
  assert.equal(r.code, 0);
  for (const name of ['sim', 'tunnel']) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
});

test('<command> --help lists its options', () => {
  const r = deckhand('sim', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--scenario NAME/);
  assert.match(r.stdout, /--time-scale N/);
});

test('an unknown command is exit code 2 with a pointer to --help', () => {
  const r = deckhand('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /deckhand --help/);
});

test('an unknown flag is exit code 2 naming the flag', () => {
  const r = deckhand('sim', '--nodez', '3');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown option '--nodez'/);
  assert.match(r.stderr, /deckhand sim --help/);
});

test('invalid values are usage errors before anything starts', () => {
  assert.equal(deckhand('sim', '--scenario', 'nope').code, 2);
  assert.equal(deckhand('sim', '--time-scale', '-1').code, 2);
  assert.equal(deckhand('sim', '--nodes', '3').code, 2);
});

// The terminal hand-back of `deckhand`'s dashboard in a child process: a crash (an uncaught exception) leaves the
// alternate screen and shows the cursor before the error is printed, and the process ends with status 1; a normal
// restore happens once however often it is asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sequences, takeTerminal } from '../../src/cli/ui-terminal.js';

const module = resolve(import.meta.dirname, '../../src/cli/ui-terminal.ts');

test('a crash restores the terminal first, then prints the error, and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-crash-'));
  try {
    const script = join(dir, 'crash.mts');
    writeFileSync(script, `import { takeTerminal } from ${JSON.stringify(module)};\n` +
      `takeTerminal(process.stdout, { logFile: ${JSON.stringify(join(dir, 'log'))} });\n` +
      `setTimeout(() => { throw new Error('boom in a timer'); }, 10);\n`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, sequences.enterAlternate + sequences.hideCursor + sequences.home + sequences.showCursor + sequences.leaveAlternate);
    assert.match(result.stderr, /^deckhand: crashed: Error: boom in a timer\n {4}at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restore writes the hand-back once and detaches its handlers', () => {
  const written: string[] = [];
  const before = process.listenerCount('SIGTERM');
  const session = takeTerminal({ write: (text) => (written.push(text), true) });
  assert.equal(process.listenerCount('SIGTERM'), before + 1);
  session.restore();
  session.restore();
  assert.deepEqual(written, [sequences.enterAlternate + sequences.hideCursor + sequences.home, sequences.showCursor + sequences.leaveAlternate]);
  assert.equal(process.listenerCount('SIGTERM'), before);
});

test('a signal is reported, not acted on, so the dashboard can clean up first', async () => {
  const session = takeTerminal({ write: () => true });
  try {
    process.emit('SIGHUP', 'SIGHUP');
    assert.deepEqual(await session.interrupted, { signal: 'SIGHUP' });
  } finally {
    session.restore();
  }
});

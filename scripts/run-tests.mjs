#!/usr/bin/env node
// Runs every *.test.ts / *.test.tsx under the given folders with node's own test runner,
// loaded through tsx. Node 20's `--test` does not expand globs, so the files are listed here.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = [];
// The real-apiserver suites run with `npm run test:conformance` (they need Go), not in `npm test`.
const separate = new Set([join('test', 'conformance')]);
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (separate.has(path) && !roots.includes(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.tsx?$/.test(name)) files.push(path);
  }
};
for (const root of roots.length ? roots : ['test']) {
  if (!existsSync(root)) continue;
  if (statSync(root).isDirectory()) walk(root);
  else files.push(root);
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.DECKHAND_TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

#!/usr/bin/env node
// `npm run bench`: compiles bench/ (and the src/ it imports) with the project's own compiler settings into
// bench/.work/build, then runs the compiled orchestrator. Compiled JavaScript rather than tsx, because tsx adds
// about half a second of start-up to every process, and cold start is one of the figures being measured.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = Date.now();
const compiled = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
const entry = join(here, '.work', 'build', 'bench', 'main.js');
// tsc still emits on type errors (another engineer's edit in progress); the run goes on, but says so.
if (compiled.status !== 0) console.error(`bench: tsc reported errors (exit ${compiled.status}); running what it emitted`);
if (!existsSync(entry)) {
  console.error(`bench: ${entry} was not produced`);
  process.exit(1);
}
console.error(`bench: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
// Every process measured runs as bin/deckhand.js runs a user's: React's production build unless NODE_ENV says
// otherwise (the development build diffs props and marks every render: bin/deckhand.js).
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' };
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(run.status ?? 1);

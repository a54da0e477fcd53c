#!/usr/bin/env node
// `npm run test:conformance`: builds (or reuses) the real etcd + kube-apiserver and the CRD modules with
// test/k8s/build.sh, then runs the node:test files under test/conformance against real servers, printing how
// long each phase took. Afterwards it checks that no test left an etcd or kube-apiserver behind (issue 7).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cache = process.env.DECKHAND_TEST_CACHE ?? join(homedir(), '.cache', 'deckhand-test');
const timings = [];
const started = Date.now();
const fmt = (ms) => `${(ms / 1000).toFixed(1)}s`;

function phase(name, fn) {
  const t = Date.now();
  console.log(`\n=== conformance: ${name}`);
  const status = fn();
  timings.push([name, Date.now() - t, status]);
  console.log(`=== conformance: ${name} took ${fmt(Date.now() - t)} (exit ${status})`);
  return status;
}

function report() {
  console.log('\nconformance phase timings:');
  for (const [name, ms, status] of timings) console.log(`  ${name.padEnd(44)} ${fmt(ms).padStart(8)}  exit ${status}`);
  console.log(`  ${'total'.padEnd(44)} ${fmt(Date.now() - started).padStart(8)}`);
}

// Every process this run starts inherits this marker, so the leftover check below finds this run's servers and
// watchdogs only: another run on the same machine (a CI job beside a developer's run) shares the binary cache, and
// its processes are not ours to report or to kill.
const runId = `${process.pid}-${randomBytes(6).toString('hex')}`;
const runMarker = `DECKHAND_CONFORMANCE_RUN=${runId}`;

/** Processes of this run still running one of the cached binaries, or the harness's watchdog shells. */
function leftovers() {
  const bin = join(cache, 'bin');
  const found = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // The servers themselves, and the harness's watchdog shells (they name the cluster's deckhand-k8s- dir).
      const watchdog = cmd[0] === '/bin/sh' && cmd.includes('watchdog') && cmd.some((a) => a.includes('deckhand-k8s-'));
      if (!cmd[0]?.startsWith(bin) && !watchdog) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(runMarker)) continue;
      found.push({ pid: Number(pid), cmd: cmd.join(' ').slice(0, 160) });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

// Bounded so a wedged build or test cannot eat CI's whole 90 minutes.
const buildStatus = phase('build (test/k8s/build.sh)', () =>
  spawnSync('bash', [join(root, 'test/k8s/build.sh')], { stdio: 'inherit', timeout: 30 * 60_000 }).status ?? 1);
if (buildStatus !== 0) {
  report();
  process.exit(buildStatus);
}

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.tsx?$/.test(name)) files.push(path);
  }
};
const suite = join(root, 'test/conformance');
if (existsSync(suite)) walk(suite);
if (files.length === 0) {
  console.error('conformance: no test files under test/conformance');
  process.exit(1);
}

// One file per phase, one after the other: each starts its own etcd + apiserver (two cores are all there is), and
// the report then shows what each suite costs. --test-timeout: a hung test fails on its own (and its after() hooks
// stop the servers) instead of waiting for the outer timeout, which could only kill the runner.
const deadline = Date.now() + 25 * 60_000;
let testStatus = 0;
for (const file of files) {
  const name = relative(root, file);
  const status = phase(name, () =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', '--test-reporter=spec', file],
      { stdio: 'inherit', cwd: root, timeout: Math.max(60_000, deadline - Date.now()), env: { ...process.env, DECKHAND_CONFORMANCE: '1', DECKHAND_CONFORMANCE_RUN: runId } },
    ).status ?? 1,
  );
  testStatus ||= status;
}

// The harness kills its process groups on stop() and on exit, and a watchdog covers a killed test process;
// this is the check that all of that worked. The watchdog polls once a second, so allow it a moment.
let left = [];
for (let i = 0; i < 10; i++) {
  left = leftovers();
  if (left.length === 0) break;
  spawnSync('sleep', ['1']);
}
let status = testStatus;
if (left.length > 0) {
  console.error('conformance: processes left behind by the tests (killing them):');
  for (const p of left) {
    console.error(`  ${p.pid} ${p.cmd}`);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  status = status || 1;
} else {
  console.log('conformance: no etcd/kube-apiserver process left behind');
}
report();
process.exit(status);

// The whole program in a real terminal: `deckhand --demo` runs in a tmux pane of 100×30 against the simulated
// cluster, reached through its bastion tunnel; the test switches through screens 1–5 by key, checks each screen's
// content with capture-pane, quits with q and checks that the terminal was restored (the pane shows the shell
// again and tmux reports the alternate screen off). A second run is ended with SIGTERM, which must restore too.
// Every tmux server is private (-L) and killed at the end, whatever happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { command, hasTmux, Pane, root, sandbox } from './tmux-pane.js';

const saveDir = process.env.DECKHAND_CAPTURE_DIR;
/** Keeps a capture for the README when DECKHAND_CAPTURE_DIR is set. */
const save = (name: string, screen: string) => saveDir && writeFileSync(join(saveDir, `${name}.txt`), screen.replace(/\s+$/, '') + '\n');

test('deckhand --demo in tmux: screens 1–5, q quits and the terminal is restored', { skip: !hasTmux && 'tmux is not installed', timeout: 180_000 }, async () => {
  const { dir, env } = sandbox();
  const pane = new Pane(env);
  try {
    await pane.waitFor((s) => s.includes('$'), 'the shell prompt');
    // Everything deckhand writes to the terminal, to check that no frame clears the whole screen (flicker).
    const raw = join(dir, 'raw-output');
    pane.tmux('pipe-pane', '-o', `cat >> ${raw}`);
    pane.type(`${command}; echo "deckhand exited with $?"`);
    pane.keys('Enter');
    const nodes = await pane.waitFor((s) => /prow-md-0-\S+ +Ready +\S+ \d+%/.test(s), 'nodes with usage', 90_000);
    assert.equal(pane.alternateOn(), '1', 'the dashboard runs on the alternate screen');
    const lines = nodes.split('\n');
    assert.match(lines[0]!, /^deckhand {2}ctx sim-via-bastion {2}profile demo/);
    assert.match(lines[2]!, /\[1 Nodes\]/);
    assert.match(nodes, /^Nodes {2}3 · /m);
    assert.match(nodes, /prow-control-pla\S* +Ready/);
    assert.ok(nodes.split('\n').every((l) => l.length <= 100));
    const header = await pane.waitFor((s) => /metrics \d+s ago/.test(s) && / ✓ rtt/.test(s), 'tunnel and metrics in the header');
    assert.match(header.split('\n')[1]!, /^tunnel ubuntu@127\.0\.5\.10:\d+ ✓ rtt \d+ms │ API v[\w.-]+ events \d+s ago │ metrics \d+s ago$/, 'reached through the bastion tunnel');
    save('nodes', pane.capture());

    pane.keys('2');
    const machines = await pane.waitFor((s) => s.includes('[2 Machines]') && /MD +prow-md-0 /.test(s), 'the Machines screen');
    assert.match(machines, /KCP +prow-control-plane +v1\.31\.4 +[█░]{10} \d\/\d up to date/);
    assert.match(machines, /Machines {2}3/);
    assert.match(machines, /prow-md-0-\S+ +Running +md\/prow-md-0/);
    save('machines', machines);

    pane.keys('3');
    const jobs = await pane.waitFor((s) => s.includes('[3 Prow jobs]') && /presubmit/.test(s), 'the Prow jobs screen');
    assert.match(jobs, /^Prow jobs {2}\d+ · .*pending \d+/m);
    assert.match(jobs, /STATE +JOB +TYPE +REPO#PR +AGE DURATION +CPU +MEM/);
    save('jobs', jobs);
    pane.keys('Tab');
    const usage = await pane.waitFor((s) => s.includes('Usage by job name') && /gosec|unit|golangci-lint/.test(s), 'usage by job name');
    assert.match(usage, /JOB +RUNS NOW +CPU +P95/);
    save('usage', usage);

    pane.keys('4');
    const components = await pane.waitFor((s) => s.includes('[4 Prow components]') && s.includes('FailedMount'), 'the components screen');
    assert.match(components, /needs-rebase +0\/1 +\d+ ContainerCreating/);
    assert.match(components, /^ {2}hook +2\/2/m);
    save('components', components);

    pane.keys('5');
    const runbooks = await pane.waitFor((s) => s.includes('[5 Runbooks]') && s.includes('bastion-swap'), 'the Runbooks screen');
    assert.match(runbooks, /recover-node {2}(all 3 nodes ready — nothing to recover|\d nodes? not ready: prow-md-0-\S+)/);
    assert.match(runbooks, /scale-md {6}prow-md-0 at \d\/2, /);
    assert.match(runbooks, /bastion-swap {2}bastion 127\.0\.5\.10 running image ubuntu-22\.04/);
    save('runbooks', runbooks);

    pane.keys('1');
    await pane.waitFor((s) => s.includes('[1 Nodes]'), 'back to Nodes');
    // :ctx reconnects to another context of the kubeconfig: `sim` talks to the API server directly.
    pane.keys(':');
    pane.type('ctx sim');
    pane.keys('Enter');
    const direct = await pane.waitFor((s) => /^deckhand {2}ctx sim {2}/.test(s) && /prow-md-0-\S+ +(Ready|Unknown|NotReady)/.test(s), 'the sim context', 30_000);
    assert.match(direct.split('\n')[1]!, /^no tunnel \(direct\); tunnel ubuntu@127\.0\.5\.10:\d+ connected for the profile's context │ API v/);
    pane.keys('q');
    const after = await pane.waitFor((s) => s.includes('deckhand exited with 0'), 'deckhand to exit', 20_000);
    assert.equal(pane.alternateOn(), '0', 'the alternate screen was left');
    assert.ok(after.includes(`$ ${command}`), 'the shell and the command line are back');
    assert.ok(!after.includes('[1 Nodes]') && !after.includes('tunnel ubuntu@'), 'no dashboard left on the normal screen');
    const output = readFileSync(raw, 'latin1');
    assert.ok(output.includes('\x1b[?1049h') && output.includes('\x1b[?1049l'), 'entered and left the alternate screen');
    // Ink clears the terminal on every frame once its output reaches the terminal's height; the root is one row short.
    assert.equal(output.split('\x1b[2J').length - 1, 0, 'no frame cleared the screen');
    const log = readFileSync(join(dir, 'state', 'deckhand', 'deckhand.log'), 'utf8');
    assert.match(log, /tunnel listening/);
    assert.match(log, /exit 0/);
  } finally {
    pane.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resizes are followed, and SIGTERM restores the terminal too', { skip: !hasTmux && 'tmux is not installed', timeout: 120_000 }, async () => {
  const { dir, env } = sandbox();
  const pane = new Pane(env);
  const pidFile = join(dir, 'pid');
  try {
    await pane.waitFor((s) => s.includes('$'), 'the shell prompt');
    // exec keeps the pid, so the file names deckhand's own process.
    pane.type(`sh -c 'echo $$ > ${pidFile}; exec ${command}'; echo "deckhand exited with $?"`);
    pane.keys('Enter');
    await pane.waitFor((s) => s.includes('[1 Nodes]') && /tunnel ubuntu@\S+ ✓/.test(s), 'the dashboard', 90_000);
    assert.equal(pane.alternateOn(), '1');
    // Resizes are followed: too small says so on one line, a bigger terminal gets a bigger layout.
    pane.tmux('resize-window', '-x', '70', '-y', '20');
    await pane.waitFor((s) => s.startsWith('terminal too small: 70×20, deckhand needs at least 80×24 (q quits)'), 'the too-small line');
    pane.tmux('resize-window', '-x', '130', '-y', '40');
    const big = await pane.waitFor((s) => s.includes('[1 Nodes]') && s.includes(' MACHINE '), 'the wider layout');
    assert.equal(big.split('\n').findIndex((l) => l.startsWith(' Esc back')), 38, 'the footer on row 39 of 40');
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
    await pane.waitFor((s) => s.includes('deckhand exited with 143'), 'deckhand to end on SIGTERM', 20_000);
    assert.equal(pane.alternateOn(), '0');
  } finally {
    pane.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a terminal it points at `deckhand status`', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', '--demo'], { cwd: root, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /needs an interactive terminal/);
  assert.match(result.stderr, /deckhand status/);
  assert.equal(result.stdout, '');
});

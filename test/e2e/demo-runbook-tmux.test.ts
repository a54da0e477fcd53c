// A runbook in the real program: `deckhand --demo` in a tmux pane of 100×30, the Machines screen, `+` on prow-md-0,
// every step confirmed with y/Enter as an operator would (a plan that went stale while we looked is confirmed
// again), then Esc back to the Machines screen, where a third worker machine appears. The journal and the audit log
// in the sandboxed state directory hold the run and its one /scale patch. The tmux server is killed whatever happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { command, hasTmux, Pane, sandbox } from './tmux-pane.js';

/** The screen's lines without the blank row under the dashboard (its root is one row shorter than the pane). */
const rows = (screen: string) => screen.replace(/\s+$/, '').split('\n');
const workers = (screen: string) => screen.split('\n').filter((l) => /^ {2}prow-md-0-\S+ +\w+ +md\/prow-md-0/.test(l));

test('deckhand --demo in tmux: + on prow-md-0, confirm the steps, a third worker machine appears', { skip: !hasTmux && 'tmux is not installed', timeout: 180_000 }, async () => {
  const { dir, env } = sandbox();
  const pane = new Pane(env);
  try {
    await pane.waitFor((s) => s.includes('$'), 'the shell prompt');
    pane.type(`${command}; echo "deckhand exited with $?"`);
    pane.keys('Enter');
    await pane.waitFor((s) => s.includes('[1 Nodes]') && /tunnel ubuntu@\S+ ✓/.test(s), 'the dashboard through the tunnel', 90_000);

    pane.keys('2');
    const machines = await pane.waitFor((s) => s.includes('[2 Machines]') && /MD +prow-md-0 /.test(s) && workers(s).length === 2, 'the Machines screen with two workers');
    assert.match(machines, /Machines {2}3\b/);
    pane.keys('Tab');
    await pane.waitFor((s) => s.includes('▸ Rollouts'), 'the focus on the rollouts');
    pane.keys('j');
    await pane.waitFor((s) => /› MD +prow-md-0 /.test(s), 'prow-md-0 selected');
    pane.keys('+');

    const inspect = await pane.waitFor((s) => s.includes('1. MachineDeployment, nodes and pending pods — waiting for you'), 'the runbook view', 30_000);
    assert.match(inspect, /^Scale a MachineDeployment {2}sim-via-bastion {2}awaiting/m);
    assert.match(inspect, /MachineDeployment default\/prow-md-0: desired 2/);
    assert.match(rows(inspect).at(-1)!, /^ y\/Enter confirm a ack b roll back x abort Esc leave/);
    pane.keys('y');
    const count = await pane.waitFor((s) => s.includes('2. New replica count — waiting for you'), 'the replica count');
    assert.match(count, /prow-md-0: 2 → 3/);
    pane.keys('Enter');
    const scale = await pane.waitFor((s) => s.includes('4. Patch /scale — waiting for you'), 'the /scale patch', 30_000);
    assert.match(scale, /~ spec\.replicas: 2 → 3/);
    // At 30 rows the request line stays in view: the body folds first (the diff says the same).
    assert.match(scale, /^ {2}PATCH \/apis\/cluster\.x-k8s\.io\/v1beta\d\/namespaces\/default\/machinedeployments\/prow-md-0\/scale$/m);
    assert.match(scale, /^ {2}… \d+ lines of request body \(the diff below shows the change\)$/m);
    // The demo's controllers keep writing the MachineDeployment's status; a plan that went stale meanwhile is shown
    // again (never applied as it was), and confirmed again.
    for (let i = 0; i < 5; i++) {
      pane.keys('y');
      const after = await pane.waitFor((s) => /[⧗✔] 5\. Follow machines and nodes|4\. Patch \/scale — waiting for you \(stale plan ×\d\)/.test(s), 'the patch to be applied or previewed again', 30_000);
      if (/[⧗✔] 5\. Follow machines and nodes/.test(after)) break;
    }
    await pane.waitFor((s) => /✔ 4\. Patch \/scale/.test(s), 'the patch applied');

    pane.keys('Escape');
    const rolled = await pane.waitFor((s) => s.includes('▸ Rollouts') && workers(s).length === 3, 'a third worker machine on the Machines screen', 60_000);
    assert.match(rolled, /Machines {2}4\b/);
    assert.match(rolled, /MD +prow-md-0 .* 3 +\d +\d /, 'desired 3 in the rollouts panel');
    assert.match(rows(rolled).at(-2)!, /^runbook scale-md: step [56]\/6 /, 'the status line keeps the run in sight');

    pane.keys('q');
    await pane.waitFor((s) => s.includes('deckhand exited with 0'), 'deckhand to exit', 20_000);
    const state = join(dir, 'state', 'deckhand');
    assert.equal(readdirSync(join(state, 'journal')).filter((f) => f.startsWith('scale-md-')).length, 1, 'one journal for the run');
    const audit = readFileSync(join(state, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: string; code: number; runbook: string });
    assert.deepEqual(audit.filter((e) => e.code === 200).map((e) => `${e.runbook} ${e.step}`), ['scale-md scale']);
  } finally {
    pane.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

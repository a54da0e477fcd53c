// Screen 5 through the real <App>: what each runbook would act on right now, its key recording a request with the
// parameters filled in (and nothing else: no run is faked), the pending request, detail, and read-only mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dash, keys } from './harness.js';

test('the three runbooks and what they would act on right now', async () => {
  const d = dash();
  await d.press('5');
  const frame = await d.waitFor('Runbooks — what each would act on right now');
  const lines = frame.split('\n');
  assert.equal(lines[5], '› R    recover-node  1 node not ready: prow-md-0-xx8k7 — recover?');
  assert.equal(lines[6], '  +/-  scale-md      prow-md-0 at 1/2, 7 jobs pending — scale?');
  assert.equal(lines[7], '  B    bastion-swap  bastion 203.0.113.10 running image ubuntu-22.04');
  assert.match(frame, /Pending request\n {2}none: R, \+\/- or B/);
  d.unmount();
});

test('R, +, - and B record requests with their parameters; the screen shows the pending one and that nothing ran', async () => {
  const d = dash({ size: { columns: 120, rows: 30 } });
  await d.press('5');
  await d.waitFor('Runbooks —');
  const expected = [
    ['R', 'recover-node --node prow-md-0-xx8k7', { node: 'prow-md-0-xx8k7', machine: 'prow-md-0-abc12-xx8k7', namespace: 'default' }],
    ['+', 'scale-md --md prow-md-0 --replicas 3', { md: 'prow-md-0', namespace: 'default', replicas: 3 }],
    ['-', 'scale-md --md prow-md-0 --replicas 1', { md: 'prow-md-0', namespace: 'default', replicas: 1 }],
    ['B', 'bastion-swap --cluster prow --image ubuntu-22.04', { cluster: 'prow', image: 'ubuntu-22.04' }],
  ] as const;
  for (const [key, summary, params] of expected) {
    await d.press(key);
    const frame = await d.waitFor(`requested ${summary} — nothing changed yet`);
    assert.match(frame, new RegExp(`Pending request\\n {2}${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}\\(requested 0s ago\\)`));
    assert.equal(d.stores.shell.getState().pendingRunbook?.summary, summary);
    assert.deepEqual(d.stores.shell.getState().pendingRunbook?.params, params);
  }
  assert.match(d.frame(), /parameters: cluster=prow image=ubuntu-22\.04/);
  assert.match(d.frame(), /waiting for the runbook engine: nothing changed yet; the runbook engine previews each step for confirmation/);
  d.unmount();
});

test('Enter explains a runbook\'s steps and what it would request', async () => {
  const d = dash({ size: { columns: 120, rows: 30 } });
  await d.press('5');
  await d.waitFor('Runbooks —');
  await d.press('j', 'j', keys.enter);
  const frame = await d.waitFor('Runbook bastion-swap');
  assert.match(frame, /Would request: bastion-swap --cluster prow --image ubuntu-22\.04/);
  assert.match(frame, /1\. add your public IP to the API load balancer allow-list/);
  d.unmount();
});

test('with every node ready and no jobs waiting, the runbooks say there is nothing to do', async () => {
  const d = dash({ views: { nodes: [], pods: [] } });
  await d.press('5');
  await d.waitFor('all 0 nodes ready — nothing to recover');
  await d.waitFor('prow-md-0 at 1/2, no jobs pending');
  await d.press('R');
  await d.waitFor('recover-node: all 0 nodes ready — nothing to recover');
  assert.equal(d.stores.shell.getState().pendingRunbook, undefined);
  d.unmount();
});

test('read-only: no runbook key works or is shown, here or in help', async () => {
  const d = dash({ session: { readOnly: true }, size: { columns: 120, rows: 40 } });
  await d.press('5');
  let frame = await d.waitFor('Runbooks —');
  assert.ok(frame.includes('READ-ONLY'));
  assert.doesNotMatch(frame.split('\n').at(-1)!, / R recover| B bastion-swap| \+\/- scale/);
  for (const key of ['R', '+', '-', 'B']) await d.press(key);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(d.stores.shell.getState().pendingRunbook, undefined);
  await d.press('2', '+');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(d.stores.shell.getState().pendingRunbook, undefined);
  await d.press('?', 'G');
  frame = await d.waitFor('Read-only: the runbook keys (R, +, -, B and every key that drives a run) are switched off.');
  assert.ok(!frame.includes('bastion-swap: replace'));
  d.unmount();
});

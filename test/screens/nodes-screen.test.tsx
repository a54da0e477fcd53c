// Screen 1 through the real <App>: not-ready nodes first, usage against allocatable and requests, sparklines,
// `n/a` without metrics (and the header's reason), moving, sorting, the detail pane, and R asking for recover-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dash, keys } from './harness.js';

const row = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(name)) ?? '';

test('nodes: not ready first, usage with % of allocatable, requests, pods, jobs, CPU trend', async () => {
  const d = dash({ size: { columns: 150, rows: 30 } });
  const frame = await d.waitFor('prow-md-0-xx8k7');
  const lines = frame.split('\n');
  assert.equal(lines[3], 'Nodes  3 · 1 not ready');
  assert.match(lines[4]!, /NAME +STATUS +ROLES +VERSION +CPU +CPU REQ +MEM +MEM REQ +PODS JOBS +MACHINE +AGE CPU TREND/);
  assert.match(lines[5]!, /^› prow-md-0-xx8k7 +Unknown 4m +<none> +v1\.31\.4 +- +0m 0% +- +0B 0% +0\/110 +0 prow-md-0-abc12-xx8k7 +10h/);
  assert.match(row(frame, 'prow-md-0-7vfcd'), /Ready +<none> +v1\.31\.4 +7\.5 93% +3 37% +11Gi 68% +6Gi 37% +6\/110 +6 prow-md-0-abc12-7vfcd +10h ▇▇█$/);
  assert.match(row(frame, 'prow-control-plane'), /control-plane +v1\.31\.4 +293m 7% +500m 12% +2\.7Gi 67%/);
  d.unmount();
});

test('nodes at 80 columns keep name, status, usage, pods and jobs', async () => {
  const d = dash({ size: { columns: 80, rows: 24 } });
  const frame = await d.waitFor('prow-md-0-7vfcd');
  assert.match(frame.split('\n')[4]!, /^ {2}NAME +STATUS +CPU +CPU REQ +MEM +PODS JOBS +AGE$/);
  assert.ok(frame.split('\n').every((l) => l.length <= 80));
  d.unmount();
});

test('without the metrics API usage reads n/a (never zero) and the header says why', async () => {
  const d = dash({ metrics: false, size: { columns: 160, rows: 30 } });
  const frame = await d.waitFor('prow-md-0-7vfcd');
  assert.match(frame.split('\n')[1]!, /metrics n\/a: Metrics API is not installed: the API group metrics\.k8s\.io is not served/);
  assert.match(row(frame, 'prow-md-0-7vfcd'), /Ready +<none> +v1\.31\.4 +n\/a +3 37% +n\/a +6Gi 37% +6\/110 +6 prow-md-0-abc12-7vfcd +10h n\/a$/);
  assert.doesNotMatch(row(frame, 'prow-md-0-7vfcd'), / 0%.* 0%/);
  d.unmount();
});

test('moving, sorting by CPU and reversing', async () => {
  const d = dash();
  await d.waitFor('› prow-md-0-xx8k7');
  await d.press('j');
  await d.waitFor('› prow-control-pla');
  await d.press('G');
  await d.waitFor('› prow-md-0-7vfcd');
  await d.press('g');
  await d.waitFor('› prow-md-0-xx8k7');
  await d.press(keys.down, keys.down, keys.up);
  await d.waitFor('› prow-control-pla');
  await d.press('s', 's');
  let frame = await d.waitFor('sorted by STATUS ▲');
  await d.press('s');
  frame = await d.waitFor('sorted by CPU ▲');
  const order = (f: string) => f.split('\n').slice(5, 8).map((l) => l.slice(2).split(' ')[0]);
  assert.deepEqual(order(frame), ['prow-control-pla…', 'prow-md-0-7vfcd', 'prow-md-0-xx8k7'], 'the node without a sample sorts last');
  assert.match(frame.split('\n')[4]!, /CPU▲/);
  await d.press('S');
  frame = await d.waitFor('sorted by CPU ▼');
  assert.deepEqual(order(frame), ['prow-md-0-7vfcd', 'prow-control-pla…', 'prow-md-0-xx8k7']);
  assert.ok(frame.includes('› prow-control-pla'), 'the selection follows its row');
  d.unmount();
});

test('Enter opens the detail pane (conditions with heartbeat, taints, job pods by name, events); Esc goes back', async () => {
  const d = dash({ size: { columns: 120, rows: 40 } });
  await d.waitFor('› prow-md-0-xx8k7');
  await d.press(keys.enter);
  let frame = await d.waitFor('Node prow-md-0-xx8k7');
  assert.match(frame, /Heartbeat: +4m ago/);
  assert.match(frame, /Conditions\n {2}MemoryPressure=Unknown {2}NodeStatusUnknown {2}\(heartbeat 4m ago\)\n {2}DiskPressure=Unknown {2}NodeStatusUnknown {2}\(heartbeat 4m ago\)\n/);
  assert.match(frame, /PIDPressure=Unknown {2}NodeStatusUnknown {2}\(heartbeat 4m ago\)\n {2}Ready=Unknown {2}NodeStatusUnknown: Kubelet stopped posting node status\. {2}\(heartbeat 4m ago\)/);
  assert.match(frame, /node\.kubernetes\.io\/unreachable:NoExecute/);
  assert.match(frame, /Machine: +default\/prow-md-0-abc12-xx8k7 \(by nodeRef\)/);
  assert.match(frame, /4m {2}NodeNotReady {2}node\/prow-md-0-xx8k7: Node is not ready/);
  await d.press(keys.esc);
  await d.waitFor('Nodes  3 · 1 not ready');
  await d.press('G', keys.enter);
  frame = await d.waitFor('Node prow-md-0-7vfcd');
  assert.match(frame, /Prow job pods \(by job name\)\n {2}pull-test-infra-golangci-lint ×2\n {6}test-pods\/run-2 {2}Running {2}presubmit/);
  assert.match(frame, /CPU: +7\.5 \(93% of allocatable\); requested 3 \(37%\) of 8/);
  assert.match(frame, /MemoryPressure=False {2}KubeletHasSufficientMemory {2}\(heartbeat 12s ago\)/, 'every condition, not only the true ones');
  assert.match(frame, /Ready=True {2}KubeletReady {2}\(heartbeat 12s ago\)/);
  d.unmount();
});

test('R on a not-ready node requests recover-node with the node and its machine; on a Ready node it explains', async () => {
  const d = dash();
  await d.waitFor('› prow-md-0-xx8k7');
  await d.press('R');
  await d.waitFor('requested recover-node --node prow-md-0-xx8k7 — nothing changed yet; the runbook engine previews');
  const pending = d.stores.shell.getState().pendingRunbook;
  assert.deepEqual({ id: pending?.id, params: pending?.params }, { id: 'recover-node', params: { node: 'prow-md-0-xx8k7', machine: 'prow-md-0-abc12-xx8k7', namespace: 'default' } });
  await d.press('G', 'R');
  await d.waitFor('prow-md-0-7vfcd is Ready: recover-node is for a node that is not ready');
  assert.equal(d.stores.shell.getState().pendingRunbook?.params.node, 'prow-md-0-xx8k7', 'the refused key changed nothing');
  d.unmount();
});

test('read-only: R does nothing and is not offered', async () => {
  const d = dash({ session: { readOnly: true } });
  const frame = await d.waitFor('› prow-md-0-xx8k7');
  assert.ok(!/ R recover/.test(frame.split('\n').at(-1)!));
  await d.press('R');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(d.stores.shell.getState().pendingRunbook, undefined);
  assert.ok(!d.frame().includes('requested'));
  d.unmount();
});

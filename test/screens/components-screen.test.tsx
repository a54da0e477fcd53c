// Screen 4 through the real <App>: unhealthy components first with their waiting reason and latest Warning (the
// missing secret), the selected component's warnings under the table, the detail pane, sorting, and no Prow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dash, keys } from './harness.js';

test('components: unhealthy first, ready/desired, restarts, waiting, age, the FailedMount message', async () => {
  const d = dash({ size: { columns: 170, rows: 30 } });
  await d.press('4');
  const frame = await d.waitFor('Prow components  5 · 1 unhealthy');
  const lines = frame.split('\n');
  assert.match(lines[4]!, /NAME +READY RESTARTS WAITING +AGE LAST WARNING/);
  assert.match(lines[5]!, /^› needs-rebase +0\/1 +0 ContainerCreating ×1 +10h FailedMount ×7: MountVolume\.SetUp failed for volume "github-token" : secret "github-token" not found$/);
  assert.match(lines[6]!, /^ {2}crier +1\/1 +0 +10h$/);
  assert.match(frame, /Warnings for needs-rebase\n +60s {2}FailedMount ×7 {2}pod\/needs-rebase-5d8f7-abcde: MountVolume\.SetUp failed for volume "github-token" : secret "github-token" not found/);
  await d.press('j');
  await d.waitFor('Warnings for crier\n  no Warning events in the last hour');
  d.unmount();
});

test('sorting by READY puts the least ready first; Enter shows pods and events', async () => {
  const d = dash({ size: { columns: 120, rows: 30 } });
  await d.press('4');
  await d.waitFor('› needs-rebase');
  await d.press('G');
  await d.waitFor('› tide');
  await d.press('s', 's');
  const frame = await d.waitFor('sorted by READY ▲');
  assert.match(frame.split('\n')[5]!, /needs-rebase/);
  await d.press('g', keys.enter);
  const detail = await d.waitFor('Component needs-rebase');
  assert.match(detail, /Ready: +0\/1 \(available 0\)/);
  assert.match(detail, /Pods\n {2}needs-rebase-5d8f7-abcde {2}ContainerCreating {2}on prow-control-plane-kdqx4/);
  assert.match(detail, /Warning events \(last hour\)\n +60s {2}FailedMount ×7/);
  d.unmount();
});

test('without Prow and without Deployments the screen says what is missing', async () => {
  const d = dash({ notInstalled: { prow: 'Prow is not installed: the API group prow.k8s.io is not served' }, views: { deployments: [] } });
  await d.press('4');
  await d.waitFor('Prow is not installed: the API group prow.k8s.io is not served');
  d.unmount();
});

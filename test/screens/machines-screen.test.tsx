// Screen 2 through the real <App>: the rollouts panel (progress bar, old vs new, stalled), the machines table with
// deletion progress, Tab between them, detail panes, +/- asking for scale-md, R on a machine, and no CAPI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dash, keys } from './harness.js';
import { ago, seedViews } from './seed.js';

/** The seeded cluster in the middle of an upgrade of prow-md-0 that stopped moving 20 minutes ago. */
function stalledUpgrade() {
  const views = seedViews();
  const [md] = views.machineDeployments;
  const machineSets = [...views.machineSets, { ...views.machineSets[0]!, name: 'prow-md-0-def34', uid: 'uid-def34', templateHash: 'def34', revision: 2, version: 'v1.32.1' }];
  const fresh = { ...views.machines[1]!, name: 'prow-md-0-def34-n3w00', uid: 'uid-new', templateHash: 'def34', version: 'v1.32.1', nodeName: undefined, providerID: undefined, phase: 'Provisioning', created: ago(20), owner: { kind: 'MachineSet', name: 'prow-md-0-def34' }, conditions: [{ type: 'Ready', status: 'False', reason: 'WaitingForInfrastructure' }] };
  const draining = { ...views.machines[2]!, deleting: ago(21), drainStartedAt: ago(20), nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900 };
  return {
    machineSets,
    machines: [views.machines[0]!, views.machines[1]!, draining, fresh],
    machineDeployments: [{ ...md!, version: 'v1.32.1', desired: 2, replicas: 3, upToDate: 1, ready: 1, available: 1, created: ago(600) }],
  };
}

test('rollouts panel and machines table: progress bar, counters, old→new, state; phase, owner, node, condition', async () => {
  const d = dash({ size: { columns: 130, rows: 30 } });
  await d.press('2');
  const frame = await d.waitFor('Rollouts  2 · all complete');
  const lines = frame.split('\n');
  assert.match(lines[4]!, /KIND ROLLOUT +VERSION +PROGRESS +DES RDY AVL OLD→NEW +STATE/);
  assert.match(lines[5]!, /KCP +prow-control-plane +v1\.31\.4 +██████████ 1\/1 up to date +1 +1 +1 0→1 +complete/);
  assert.match(lines[6]!, /MD +prow-md-0 +v1\.31\.4 +██████████ 2\/2 up to date +2 +1 +1 0→2 +complete/);
  assert.equal(lines[7], '▸ Machines  3');
  assert.match(lines[8]!, /NAME +PHASE +OWNER +NODE +VERSION +AGE CONDITION +PROVIDER ID$/);
  assert.match(frame, /› prow-control-plane-k… Running +kcp\/prow-contr… prow-control-pl… v1\.31\.4 +10h Ready +openstack:\/\/\/prow-c…/);
  assert.match(frame, /prow-md-0-abc12-xx8k7 +Running +md\/prow-md-0 +prow-md-0-xx8k7 +v1\.31\.4 +10h Ready: NodeNotReady: No… +openstack/);
  d.unmount();
});

test('a stalled upgrade: partial bar, old and new machines, STALLED, and deletion progress against the drain timeout', async () => {
  const d = dash({ size: { columns: 200, rows: 30 }, views: stalledUpgrade() });
  await d.press('2');
  const frame = await d.waitFor('1 STALLED');
  assert.match(frame, /MD +prow-md-0 +v1\.32\.1 +█████░░░░░ 1\/2 up to date +2 +1 +1 1→1 -1 +⚠ STALLED: nothing moved for 20m/);
  assert.match(frame, /Machines  4 · 1 deleting/);
  assert.match(frame, /prow-md-0-abc12-xx8k7 +Deleting .*deleting 21m, draining 20m \(timeout 10m, 0s left\)/);
  assert.match(frame, /prow-md-0-def34-n3w00 +Provisioning +md\/prow-md-0 +v1\.32\.1 +20m Ready: WaitingForInfrastructure/);
  await d.press(keys.tab);
  await d.waitFor('▸ Rollouts');
  await d.press('j', keys.enter);
  const detail = await d.waitFor('MachineDeployment prow-md-0');
  assert.match(detail, /State: +⚠ STALLED: nothing moved for 20m/);
  assert.match(detail, /New machines \(match the current spec\)\n {2}prow-md-0-def34-n3w00 {2}Provisioning/);
  assert.match(detail, /Old machines \(to be replaced\)\n {2}prow-md-0-abc12-7vfcd {2}Running {2}prow-md-0-7vfcd\n {2}prow-md-0-abc12-xx8k7 {2}Deleting/);
  d.unmount();
});

test('machine detail: owner and replacement, timeouts, conditions', async () => {
  const d = dash({ size: { columns: 120, rows: 40 }, views: stalledUpgrade() });
  await d.press('2');
  await d.waitFor('▸ Machines');
  await d.press('/');
  await d.type('xx8k7');
  await d.press(keys.enter, keys.enter);
  const frame = await d.waitFor('Machine prow-md-0-abc12-xx8k7');
  assert.match(frame, /Owner: +md\/prow-md-0: a replacement is created when it is deleted/);
  assert.match(frame, /Drain timeout: +10m/);
  assert.match(frame, /Volume detach timeout: +15m/);
  assert.match(frame, /Deletion: +deleting 21m, draining 20m \(timeout 10m, 0s left\)/);
  assert.match(frame, /Ready=False {2}NodeNotReady: Node prow-md-0-xx8k7 is not ready/);
  d.unmount();
});

test('+/- on a MachineDeployment request scale-md; a control plane is refused; R on a machine with a not-ready node', async () => {
  const d = dash();
  await d.press('2');
  await d.waitFor('▸ Machines');
  await d.press('+');
  await d.waitFor('prow-control-plane is a KubeadmControlPlane: scale-md scales MachineDeployments');
  await d.press('j', '+');
  await d.waitFor('requested scale-md --md prow-md-0 --replicas 3');
  assert.deepEqual(d.stores.shell.getState().pendingRunbook?.params, { md: 'prow-md-0', namespace: 'default', replicas: 3 });
  await d.press(keys.tab, 'G', '-');
  await d.waitFor('requested scale-md --md prow-md-0 --replicas 1');
  await d.press(keys.tab, 'R');
  await d.waitFor('node prow-md-0-7vfcd of prow-md-0-abc12-7vfcd is Ready');
  await d.press('G', 'R');
  await d.waitFor('requested recover-node --node prow-md-0-xx8k7');
  assert.equal(d.stores.shell.getState().pendingRunbook?.params.machine, 'prow-md-0-abc12-xx8k7');
  d.unmount();
});

test('without Cluster API the screen says what is missing', async () => {
  const d = dash({ notInstalled: { capi: 'Cluster API is not installed: the API group cluster.x-k8s.io is not served', kcp: 'KubeadmControlPlane is not installed' } });
  await d.press('2');
  const frame = await d.waitFor('Cluster API is not installed: the API group cluster.x-k8s.io is not served');
  assert.ok(!frame.includes('no machines'), 'not an empty table');
  await d.press('5');
  await d.waitFor('no Machine can replace a node — Cluster API is not installed');
  await d.waitFor('no MachineDeployment to scale — Cluster API is not installed');
  d.unmount();
});

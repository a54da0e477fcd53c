import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeRollouts } from '../../src/kube/summarize/rollouts.js';
import type { MachineSetView, RolloutOwnerView } from '../../src/kube/types.js';
import { machine, modelWith } from './views.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const owner = (kind: RolloutOwnerView['kind'], name: string, extra: Partial<RolloutOwnerView>): RolloutOwnerView => ({
  namespace: 'default', name, uid: name, resourceVersion: '1', kind, paused: false, conditions: [], templateDeletion: {}, created: '2026-01-01T08:00:00Z', ...extra,
});
const set = (name: string, deploymentName: string, templateHash: string, revision: number): MachineSetView => ({
  namespace: 'default', name, uid: name, resourceVersion: '1', deploymentName, templateHash, revision,
});

function model() {
  return modelWith({
    machineDeployments: [
      // Rolling: 1 of 3 machines on the new template; the newest machine appeared at 11:40.
      owner('MachineDeployment', 'prow-md-0', { desired: 3, replicas: 3, upToDate: 1, ready: 3, available: 3, version: 'v1.32.0', generation: 2, observedGeneration: 2 }),
      // Settled: both machines new, counters match.
      owner('MachineDeployment', 'prow-md-1', { desired: 2, replicas: 2, upToDate: 2, ready: 2, available: 2 }),
    ],
    controlPlanes: [owner('KubeadmControlPlane', 'prow-control-plane', { desired: 1, replicas: 2, version: 'v1.32.0' })],
    machineSets: [set('md0-old', 'prow-md-0', 'old', 1), set('md0-new', 'prow-md-0', 'new', 2), set('md1', 'prow-md-1', 'h1', 1)],
    machines: [
      machine('md0-a', { deploymentName: 'prow-md-0', templateHash: 'old', created: '2026-01-01T09:00:00Z' }),
      machine('md0-b', { deploymentName: 'prow-md-0', templateHash: 'old', created: '2026-01-01T09:00:00Z' }),
      machine('md0-c', { owner: { kind: 'MachineSet', name: 'md0-new' }, templateHash: 'new', created: '2026-01-01T11:40:00Z' }),
      // An UpToDate condition beats the hash: this one carries a stale hash but CAPI reports it up to date.
      machine('md1-a', { deploymentName: 'prow-md-1', templateHash: 'stale', conditions: [{ type: 'UpToDate', status: 'True', lastTransitionTime: '2026-01-01T09:30:00Z' }] }),
      machine('md1-b', { deploymentName: 'prow-md-1', templateHash: 'h1' }),
      machine('cp-old', { controlPlaneName: 'prow-control-plane', version: 'v1.31.4', deleting: '2026-01-01T11:55:00Z' }),
      machine('cp-new', { controlPlaneName: 'prow-control-plane', version: 'v1.32.0', created: '2026-01-01T11:50:00Z' }),
    ],
  });
}

test('rollouts: old vs new machines, progress and "stalled" after the configured idle time', () => {
  const { machineDeployments, controlPlanes } = summarizeRollouts(model(), now);
  const [md0, md1] = machineDeployments;
  assert.deepEqual(md0!.machines, { total: 3, new: 1, old: 2, deleting: 0 });
  assert.equal(md0!.progress, '1/3 up to date');
  assert.equal(md0!.complete, false);
  // Nothing moved since 11:40: 20 min idle is more than the default 15 min.
  assert.equal(md0!.lastMovement, '2026-01-01T11:40:00.000Z');
  assert.equal(md0!.idleFor, '20m');
  assert.equal(md0!.stalled, true);
  assert.deepEqual([md0!.desired, md0!.upToDate, md0!.ready, md0!.available, md0!.version], [3, 1, 3, 3, 'v1.32.0']);

  assert.deepEqual(md1!.machines, { total: 2, new: 2, old: 0, deleting: 0 });
  assert.equal(md1!.complete, true);
  assert.equal(md1!.stalled, false);

  // KCP without UpToDate conditions: versions decide; the old one is deleting (at 11:55, 5 min ago).
  const [cp] = controlPlanes;
  assert.deepEqual(cp!.machines, { total: 2, new: 1, old: 0, deleting: 1 });
  assert.equal(cp!.progress, '1/1 up to date'); // upToDate not reported by the owner: counted from machines
  assert.equal(cp!.complete, false);
  assert.equal(cp!.stalled, false);
});

test('the stall threshold is configurable, and a paused rollout is never stalled', () => {
  assert.equal(summarizeRollouts(model(), now, 30 * 60_000).machineDeployments[0]!.stalled, false);
  const paused = modelWith({ machineDeployments: [owner('MachineDeployment', 'p', { desired: 2, replicas: 1, upToDate: 1, paused: true, created: '2026-01-01T00:00:00Z' })] });
  const [row] = summarizeRollouts(paused, now).machineDeployments;
  assert.deepEqual([row!.complete, row!.paused, row!.stalled], [false, true, false]);
  // An unobserved generation is not complete even if the counters look done.
  const unseen = modelWith({ machineDeployments: [owner('MachineDeployment', 'u', { desired: 0, replicas: 0, upToDate: 0, generation: 3, observedGeneration: 2 })] });
  assert.equal(summarizeRollouts(unseen, now).machineDeployments[0]!.complete, false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capiPathsFor, kcpPathsFor, templateTimeouts, timeoutsPatch } from '../../src/kube/capi.js';
import { projectControlPlane, projectMachine, projectMachineDeployment } from '../../src/kube/capi-project.js';
import { kcpV1beta1, kcpV1beta2, machineDeploymentV1beta1, machineDeploymentV1beta2, machineV1beta1, machineV1beta2 } from './fixtures.js';

test('a v1beta1 Machine: duration timeouts, conditions from status.v1beta2, owner and drain timer', () => {
  const m = projectMachine(machineV1beta1, capiPathsFor('v1beta1'));
  assert.equal(m.name, 'prow-md-0-abc12-xx8k7');
  assert.equal(m.phase, 'Deleting');
  assert.deepEqual(m.owner, { kind: 'MachineSet', name: 'prow-md-0-abc12' });
  assert.equal(m.deploymentName, 'prow-md-0');
  assert.equal(m.nodeName, 'prow-md-0-xx8k7');
  assert.equal(m.nodeDrainSeconds, 600); // "10m0s"
  assert.equal(m.nodeVolumeDetachSeconds, 900); // "15m"
  assert.equal(m.nodeDeletionSeconds, undefined);
  assert.equal(m.drainStartedAt, '2026-01-01T12:01:00Z');
  assert.equal(m.deleting, '2026-01-01T12:00:00Z');
  assert.deepEqual(m.conditions.map((c) => c.type), ['Deleting', 'UpToDate']);
  assert.deepEqual(m.legacyConditions.map((c) => c.type), ['Ready', 'DrainingSucceeded']);
  assert.equal(m.excludeNodeDraining, true);
  assert.equal(m.markedForDeletion, false);
  assert.equal(m.isControlPlane, false);
  assert.deepEqual(m.infrastructure, { kind: 'OpenStackMachine', name: 'prow-md-0-xx8k7' });
  assert.equal(m.templateHash, 'abc12');
  assert.equal('managedFields' in m, false);
});

test('a v1beta2 Machine: seconds timeouts, conditions at status.conditions, failure under deprecated', () => {
  const m = projectMachine(machineV1beta2, capiPathsFor('v1beta2'));
  assert.equal(m.nodeDrainSeconds, 600);
  assert.equal(m.nodeDeletionSeconds, 10);
  assert.equal(m.nodeVolumeDetachSeconds, undefined);
  assert.deepEqual(m.owner, { kind: 'KubeadmControlPlane', name: 'prow-control-plane' });
  assert.equal(m.isControlPlane, true); // the label's value is empty: presence is what counts
  assert.equal(m.controlPlaneName, 'prow-control-plane');
  assert.equal(m.markedForDeletion, true);
  assert.equal(m.failureReason, 'UpdateError');
  assert.deepEqual(m.conditions.map((c) => `${c.type}=${c.status}`), ['Ready=True', 'NodeHealthy=True']);
  assert.equal(m.deleting, undefined);
});

test('reading a v1beta1 object with v1beta2 paths finds no timeouts (the paths really differ)', () => {
  const m = projectMachine(machineV1beta1, capiPathsFor('v1beta2'));
  assert.equal(m.nodeDrainSeconds, undefined);
});

test('MachineDeployment counters follow the version: updatedReplicas (v1beta1) vs upToDateReplicas (v1beta2)', () => {
  const old = projectMachineDeployment(machineDeploymentV1beta1, capiPathsFor('v1beta1'));
  assert.deepEqual(
    { desired: old.desired, replicas: old.replicas, ready: old.ready, available: old.available, upToDate: old.upToDate },
    { desired: 3, replicas: 4, ready: 3, available: 3, upToDate: 1 },
  );
  assert.equal(old.rollingOut, true);
  assert.equal(old.version, 'v1.31.4');
  assert.deepEqual(old.templateDeletion, { nodeDrainSeconds: 300 });
  const current = projectMachineDeployment(machineDeploymentV1beta2, capiPathsFor('v1beta2'));
  assert.deepEqual(
    { desired: current.desired, ready: current.ready, upToDate: current.upToDate, paused: current.paused, rollingOut: current.rollingOut },
    { desired: 2, ready: 2, upToDate: 2, paused: true, rollingOut: false },
  );
  assert.deepEqual(current.templateDeletion, { nodeDrainSeconds: 300, nodeVolumeDetachSeconds: 900 });
});

test('KubeadmControlPlane: spec vs status version, counters per version, paused annotation', () => {
  const a = projectControlPlane(kcpV1beta1, kcpPathsFor('v1beta1'));
  assert.deepEqual({ desired: a.desired, ready: a.ready, available: a.available, upToDate: a.upToDate }, { desired: 1, ready: 1, available: 1, upToDate: 1 });
  assert.deepEqual(a.templateDeletion, { nodeDrainSeconds: 120 });
  assert.equal(a.clusterName, 'prow');
  const b = projectControlPlane(kcpV1beta2, kcpPathsFor('v1beta2'));
  assert.equal(b.version, 'v1.32.0');
  assert.equal(b.statusVersion, 'v1.31.4');
  assert.equal(b.upToDate, 1);
  assert.equal(b.paused, true);
  assert.deepEqual(b.templateDeletion, { nodeDrainSeconds: 120 });
});

test('timeout patches: Go durations for v1beta1, whole seconds under spec.deletion for v1beta2', () => {
  const timeouts = { nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900 };
  assert.deepEqual(timeoutsPatch(capiPathsFor('v1beta1').machineTimeouts, timeouts), { spec: { nodeDrainTimeout: '10m0s', nodeVolumeDetachTimeout: '15m0s' } });
  assert.deepEqual(timeoutsPatch(capiPathsFor('v1beta2').machineTimeouts, timeouts), {
    spec: { deletion: { nodeDrainTimeoutSeconds: 600, nodeVolumeDetachTimeoutSeconds: 900 } },
  });
  assert.deepEqual(timeoutsPatch(templateTimeouts(capiPathsFor('v1beta2')), { nodeDrainSeconds: 30 }), {
    spec: { template: { spec: { deletion: { nodeDrainTimeoutSeconds: 30 } } } },
  });
  assert.deepEqual(timeoutsPatch(kcpPathsFor('v1beta1').templateTimeouts, { nodeDrainSeconds: 90 }), { spec: { machineTemplate: { nodeDrainTimeout: '1m30s' } } });
  // An empty `deletion: {}` is rejected by v1beta2 (MinProperties=1), so an empty patch is refused here.
  assert.throws(() => timeoutsPatch(capiPathsFor('v1beta2').machineTimeouts, {}), /no timeout/);
  assert.throws(() => capiPathsFor('v1alpha4'), /no Cluster API paths for v1alpha4/);
});

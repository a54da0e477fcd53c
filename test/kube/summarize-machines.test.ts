import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capiPathsFor } from '../../src/kube/capi.js';
import { projectMachine, projectMachineDeployment } from '../../src/kube/capi-project.js';
import { deletionText, summarizeMachines } from '../../src/kube/summarize/machines.js';
import type { MachineSetView } from '../../src/kube/types.js';
import { machineDeploymentV1beta1, machineV1beta1, machineV1beta2 } from './fixtures.js';
import { machine, modelWith } from './views.js';

const now = Date.parse('2026-01-01T12:11:00Z');
const set = (name: string, deploymentName?: string): MachineSetView => ({ namespace: 'default', name, uid: name, resourceVersion: '1', ...(deploymentName ? { deploymentName } : {}) });

test('the machines table: owner that replaces, condition summary, deletion progress against the timeouts', () => {
  const v1 = capiPathsFor('v1beta1');
  const model = modelWith({
    machines: [
      projectMachine(machineV1beta1, v1),
      projectMachine(machineV1beta2, capiPathsFor('v1beta2')),
      machine('orphan', { conditions: [{ type: 'Ready', status: 'False', reason: 'NodeNotReady', message: 'Node prow-x is not ready\nmore' }] }),
      machine('loose', { owner: { kind: 'MachineSet', name: 'lonely-set' } }),
      machine('provisioning', { phase: 'Provisioning', legacyConditions: [{ type: 'InfrastructureReady', status: 'False', reason: 'InstanceNotReady' }] }),
      machine('failed', { phase: 'Failed', failureReason: 'CreateError', failureMessage: 'Quota exceeded for instances\ndetails', legacyConditions: [{ type: 'Ready', status: 'False' }] }),
    ],
    machineSets: [set('prow-md-0-abc12', 'prow-md-0'), set('lonely-set')],
    machineDeployments: [projectMachineDeployment(machineDeploymentV1beta1, v1)],
  });
  const rows = new Map(summarizeMachines(model, now).map((r) => [r.name, r]));

  const deleting = rows.get('prow-md-0-abc12-xx8k7')!;
  assert.deepEqual(deleting.owner, { kind: 'MachineDeployment', name: 'prow-md-0' });
  assert.equal(deleting.replacedOnDelete, true);
  assert.equal(deleting.node, 'prow-md-0-xx8k7');
  assert.equal(deleting.summary, 'DrainingNode: Drain not completed yet (started at 2026-01-01T12:01:00Z):');
  // Deleted at 12:00, draining since 12:01, now 12:11: 11 min deleting, 10 min draining, a 10m0s drain timeout
  // has just run out.
  assert.deepEqual(deleting.deletion, {
    since: '2026-01-01T12:00:00Z', forMs: 660_000, drainStartedAt: '2026-01-01T12:01:00Z', drainingForMs: 600_000, drainTimeoutLeftMs: 0,
    nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900,
  });
  assert.equal(deletionText(deleting.deletion), 'deleting for 11m, draining for 10m (timeout 10m)');

  const cp = rows.get('prow-control-plane-kdqx4')!;
  assert.deepEqual([cp.owner?.kind, cp.summary, cp.replacedOnDelete, cp.deletion], ['KubeadmControlPlane', 'Ready', true, undefined]);

  const orphan = rows.get('orphan')!;
  assert.deepEqual([orphan.owner, orphan.replacedOnDelete, orphan.summary], [undefined, false, 'Ready: NodeNotReady: Node prow-x is not ready']);
  assert.deepEqual(rows.get('loose')!.owner, { kind: 'MachineSet', name: 'lonely-set' });
  assert.equal(rows.get('provisioning')!.summary, 'InfrastructureReady: InstanceNotReady');
  assert.equal(rows.get('failed')!.summary, 'CreateError: Quota exceeded for instances');
  // The v1beta2 control-plane machine carries an old failure under status.deprecated but is Ready: 'Ready' wins.
  assert.equal(rows.get('prow-control-plane-kdqx4')!.summary, 'Ready');
  assert.equal(deletionText(undefined), '');
});

test('a v1beta1 Machine deleting without new-style conditions shows the DrainingSucceeded message', () => {
  const raw = structuredClone(machineV1beta1);
  delete raw.status.v1beta2;
  const [row] = summarizeMachines(modelWith({ machines: [projectMachine(raw, capiPathsFor('v1beta1'))] }), now);
  assert.equal(row!.summary, 'DrainingSucceeded: Draining: Draining the node before deletion');
  assert.equal(row!.owner?.kind, 'MachineSet'); // its MachineDeployment is not in this model
});

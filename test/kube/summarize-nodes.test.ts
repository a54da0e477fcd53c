import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeNodes } from '../../src/kube/summarize/nodes.js';
import { machine, modelWith, node, pod } from './views.js';

const MI = 2 ** 20;
const GI = 2 ** 30;
const now = Date.parse('2026-01-01T12:00:00Z');

test('the nodes table: kubectl top percentages, requests of non-terminated pods, job pods, heartbeat and machine links', () => {
  const job = { job: 'pull-unit', prowJobId: 'j1' };
  const model = modelWith({
    nodes: [
      node('prow-md-0-aaaaa', { roles: ['worker'], kubeletVersion: 'v1.31.4', providerID: 'openstack:///uuid-a' }),
      node('prow-md-0-bbbbb', {
        ready: 'Unknown', unschedulable: true, lastHeartbeat: '2026-01-01T11:58:00Z', pressure: ['DiskPressure'], providerID: 'openstack:///uuid-b',
        taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'x', effect: 'PreferNoSchedule' }],
      }),
      node('prow-control-plane-kdqx4', { ready: 'False', allocatable: { cpuMilli: 4000, memoryBytes: 4 * GI, pods: 110 } }),
    ],
    pods: [
      pod('test-pods', 'j1', { nodeName: 'prow-md-0-aaaaa', requests: { cpuMilli: 2000, memoryBytes: 4 * GI }, job }),
      pod('test-pods', 'j0', { nodeName: 'prow-md-0-aaaaa', phase: 'Succeeded', requests: { cpuMilli: 1000, memoryBytes: GI }, job }),
      pod('prow', 'hook', { nodeName: 'prow-md-0-aaaaa', phase: 'Pending', requests: { cpuMilli: 500, memoryBytes: GI } }),
      pod('test-pods', 'j2', { nodeName: 'prow-md-0-bbbbb', phase: 'Pending', job }),
    ],
    machines: [
      // Linked by providerID only (no nodeRef yet), across the two providerID formats.
      machine('prow-md-0-x-bbbbb', { providerID: 'openstack://RegionOne/uuid-b' }),
      machine('prow-control-plane-kdqx4', { nodeName: 'prow-control-plane-kdqx4' }),
    ],
  });
  const usage = new Map([['prow-md-0-aaaaa', { cpuMilli: 7773, memoryBytes: 11212 * MI }]]);
  const [cp, a, b] = summarizeNodes(model, usage, now);

  assert.equal(a!.name, 'prow-md-0-aaaaa');
  assert.equal(a!.statusText, 'Ready');
  // 7773m of 8000m = 97.16% → 97; 11212Mi of 16Gi = 68.43% → 68 (truncated, as kubectl top).
  assert.deepEqual(a!.cpu, { allocatable: 8000, usage: 7773, usagePercent: 97, requested: 2500, requestedPercent: 31 });
  assert.deepEqual(a!.memory, { allocatable: 16 * GI, usage: 11212 * MI, usagePercent: 68, requested: 5 * GI, requestedPercent: 31 });
  assert.equal(a!.pods, 2); // the Succeeded pod no longer counts
  assert.equal(a!.prowJobPods, 1);
  assert.equal(a!.machine, undefined);

  assert.equal(b!.status, 'Unknown');
  assert.equal(b!.statusText, 'Unknown,SchedulingDisabled');
  assert.equal(b!.heartbeatAgeMs, 120_000);
  assert.equal(b!.heartbeatAge, '2m');
  assert.equal(b!.unreachable, true);
  assert.deepEqual(b!.taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule']);
  assert.deepEqual(b!.pressure, ['DiskPressure']);
  assert.equal(b!.cpu.usage, undefined); // no metrics sample: unknown, not 0
  assert.equal(b!.prowJobPods, 0); // pending, not running
  assert.deepEqual(b!.machine, { namespace: 'default', name: 'prow-md-0-x-bbbbb', matchedBy: 'providerID' });

  assert.equal(cp!.status, 'NotReady');
  assert.deepEqual(cp!.machine, { namespace: 'default', name: 'prow-control-plane-kdqx4', matchedBy: 'nodeRef' });
  assert.deepEqual(cp!.cpu, { allocatable: 4000, requested: 0, requestedPercent: 0 });
});

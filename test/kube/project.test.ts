import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRoles, podRequests, podStatusText, projectDeployment, projectEvent, projectNode, projectPod } from '../../src/kube/project.js';
import { podJob, projectProwJob } from '../../src/kube/prow.js';
import { longJobName, nodeUnknown, prowJob, testPod } from './fixtures.js';

const GI = 2 ** 30;

test('a Node that stopped reporting: Unknown with its heartbeat, pressure, taints, allocatable, CAPI back-pointer', () => {
  const n = projectNode(nodeUnknown);
  assert.equal(n.ready, 'Unknown');
  assert.equal(n.readyReason, 'NodeStatusUnknown');
  assert.equal(n.lastHeartbeat, '2026-01-01T11:58:00Z');
  assert.deepEqual(n.pressure, ['DiskPressure']); // MemoryPressure=Unknown is not pressure
  assert.deepEqual(n.conditions, [
    { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown' },
    { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' },
    { type: 'PIDPressure', status: 'False' },
    { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastHeartbeatTime: '2026-01-01T11:58:00Z' },
  ], 'every condition with its heartbeat, in the object\'s order');
  assert.deepEqual(n.roles, ['worker']);
  assert.equal(n.unschedulable, true);
  assert.equal(n.taints.length, 3);
  assert.deepEqual(n.allocatable, { cpuMilli: 7800, memoryBytes: 15 * GI, pods: 110 });
  assert.deepEqual(n.capacity, { cpuMilli: 8000, memoryBytes: 16 * GI, pods: 110 });
  assert.equal(n.internalIP, '10.6.0.21');
  assert.equal(n.machineName, 'prow-md-0-abc12-xx8k7');
  assert.equal(n.machineNamespace, 'default');
  assert.equal(n.volumesAttached, 1);
  assert.equal(n.kubeletVersion, 'v1.31.4');
  assert.equal('managedFields' in n || 'metadata' in n || 'status' in n, false);
});

test('node roles from node-role labels and the legacy kubernetes.io/role label', () => {
  assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/': '' }), ['control-plane', 'infra', 'master']);
  assert.deepEqual(nodeRoles({}), []);
});

test('pod requests: max(sum of containers, largest init container) plus overhead', () => {
  // containers: cpu 2000m + 100m = 2100m, init 3000m → 3000m, + 50m overhead = 3050m;
  // memory: 4Gi + 0 vs init 100Mi → 4Gi, no memory overhead.
  assert.deepEqual(podRequests(testPod), { cpuMilli: 3050, memoryBytes: 4 * GI });
  assert.deepEqual(podRequests({ spec: { containers: [{ name: 'a' }] } }), { cpuMilli: 0, memoryBytes: 0 });
});

test('a test pod: status, readiness, restarts, requests per container, Prow identity by full job name', () => {
  const p = projectPod(testPod);
  assert.equal(p.status, 'Running');
  assert.equal(p.readyContainers, 2);
  assert.equal(p.containers, 2);
  assert.equal(p.restarts, 3);
  assert.equal(p.nodeName, 'prow-md-0-xx8k7');
  assert.deepEqual(p.containerRequests, [{ name: 'test', cpuMilli: 2000, memoryBytes: 4 * GI }, { name: 'sidecar', cpuMilli: 100 }]);
  assert.deepEqual(p.job, { job: longJobName, prowJobId: prowJob.metadata.name, type: 'presubmit' });
  assert.notEqual(p.job?.job, testPod.metadata.labels['prow.k8s.io/job']); // the label is truncated to 63
});

test('pod STATUS as kubectl prints it', () => {
  const pod = (status: object, extra: object = {}) => ({ metadata: { name: 'p', ...extra }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'c' }] }, status });
  const cases: [object, string, object?][] = [
    [{ phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] }, 'ContainerCreating'],
    [{ phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 5 }] }, 'CrashLoopBackOff'],
    [{ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } } }] }, 'Init:0/1'],
    [{ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, 'Init:CrashLoopBackOff'],
    [{ phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 2 } } }] }, 'Init:ExitCode:2'],
    [{ phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, 'Error'],
    [{ phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, 'Completed'],
    [{ phase: 'Running', containerStatuses: [{ state: { running: {} }, ready: true }] }, 'Terminating', { deletionTimestamp: '2026-01-01T00:00:00Z' }],
    [{ phase: 'Running', reason: 'NodeLost' }, 'Unknown', { deletionTimestamp: '2026-01-01T00:00:00Z' }],
    [{ phase: 'Failed', reason: 'Evicted' }, 'Evicted'],
    [{}, 'Pending'],
  ];
  for (const [status, expected, meta] of cases) assert.equal(podStatusText(pod(status, meta)), expected, JSON.stringify(status));
});

test('a ProwJob keeps the full job name and the containers requests, not the pod_spec', () => {
  const j = projectProwJob(prowJob);
  assert.equal(j.job, longJobName);
  assert.equal(j.type, 'presubmit');
  assert.equal(j.state, 'pending');
  assert.equal(`${j.org}/${j.repo}`, 'kubernetes-sigs/cluster-api-provider-openstack');
  assert.deepEqual(j.pulls.map((p) => [p.number, p.author]), [[42, 'alice'], [43, 'bob']]);
  assert.deepEqual(j.requests, [{ name: 'test', cpuMilli: 2000, memoryBytes: 4 * GI }, { name: 'sidecar', cpuMilli: 100 }]);
  assert.equal(j.podName, prowJob.metadata.name);
  assert.equal(j.url, 'https://prow.example/view/1234');
  const text = JSON.stringify(j);
  for (const gone of ['pod_spec', 'golang', 'decoration_config', 'managedFields', 'emptyDir']) assert.equal(text.includes(gone), false, gone);
});

test('a periodic ProwJob takes its repository from the first extra_refs entry', () => {
  const periodic = { metadata: { name: 'x', namespace: 'prow' }, spec: { type: 'periodic', job: 'periodic-stale', extra_refs: [{ org: 'o', repo: 'r', base_ref: 'main' }] }, status: { state: 'success' } };
  const j = projectProwJob(periodic);
  assert.deepEqual([j.job, j.org, j.repo, j.baseRef, j.pulls.length], ['periodic-stale', 'o', 'r', 'main', 0]);
});

test('Prow identity of pods requires Prow labels; the annotation beats the truncated label', () => {
  assert.deepEqual(podJob('p', { 'created-by-prow': 'true', 'prow.k8s.io/job': 'short' }, { 'prow.k8s.io/job': 'short-but-full' }), { job: 'short-but-full', prowJobId: 'p' });
  assert.equal(podJob('p', { 'prow.k8s.io/job': 'x' }, {}), undefined);
  assert.equal(podJob('p', { app: 'hook' }, {}), undefined);
});

test('Warning events fold legacy and series fields; Deployments keep counters and selector', () => {
  const e = projectEvent({
    metadata: { name: 'e1', namespace: 'prow', uid: 'e', resourceVersion: '1', creationTimestamp: '2026-01-01T10:00:00Z' },
    type: 'Warning', reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "github-token" : secret "github-token" not found',
    involvedObject: { kind: 'Pod', namespace: 'prow', name: 'needs-rebase-7d9f8-abcde' }, series: { count: 7, lastObservedTime: '2026-01-01T10:05:00Z' },
  });
  assert.deepEqual([e.reason, e.count, e.lastSeen, e.involved.name], ['FailedMount', 7, '2026-01-01T10:05:00Z', 'needs-rebase-7d9f8-abcde']);
  const d = projectDeployment({ metadata: { name: 'hook', namespace: 'prow' }, spec: { selector: { matchLabels: { app: 'hook' } } }, status: { readyReplicas: 1, availableReplicas: 1 } });
  assert.deepEqual([d.desired, d.ready, d.updated, d.available, d.selector], [1, 1, 0, 1, { app: 'hook' }]);
});

// The plan halves are pure: they must produce exactly the request an operator would send with kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAnnotate, planDelete, planPatch, planScale, resourceRef } from '../../src/kube/actions.js';
import type { Discovery } from '../../src/kube/discovery.js';
import { describeRequest, formatRequest, KubeError, networkError, statusError } from '../../src/kube/errors.js';
import { planAbortProwJob, planAllowedCidrs, planMachineTimeouts, planScaleMachineDeployment } from '../../src/kube/operations.js';
import { machine } from './views.js';

const discovery = (capi: string, capo: string): Discovery => ({
  serverVersion: 'v1.32.0',
  families: {
    capi: { installed: true, version: capi }, kcp: { installed: true, version: capi }, capo: { installed: true, version: capo },
    prow: { installed: true, version: 'v1' }, metrics: { installed: false, reason: 'metrics API (metrics-server) is not installed' },
  },
});

test('a merge patch carries the resourceVersion precondition, Strict validation and optional dryRun=All', () => {
  const ref = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machines', namespace: 'default', name: 'm1' };
  const plan = planPatch(ref, { type: 'merge', patch: { spec: { x: 1 }, metadata: { labels: { a: 'b' } } } }, { resourceVersion: '42', dryRun: true });
  assert.deepEqual(plan.request, {
    method: 'PATCH', path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machines/m1', query: { fieldValidation: 'Strict', dryRun: 'All' },
    contentType: 'application/merge-patch+json', body: { spec: { x: 1 }, metadata: { labels: { a: 'b' }, resourceVersion: '42' } },
  });
  assert.equal(plan.summary, 'patch machines.cluster.x-k8s.io default/m1 (dry run)');
  const json = planPatch({ ...ref, namespace: undefined, group: '', version: 'v1', plural: 'nodes', name: 'n1' }, { type: 'json', ops: [{ op: 'add', path: '/spec/unschedulable', value: true }] }, { resourceVersion: '7' });
  assert.equal(json.request.path, '/api/v1/nodes/n1');
  assert.equal(json.request.contentType, 'application/json-patch+json');
  assert.deepEqual(json.request.body, [{ op: 'replace', path: '/metadata/resourceVersion', value: '7' }, { op: 'add', path: '/spec/unschedulable', value: true }]);
  assert.deepEqual(json.request.query, { fieldValidation: 'Strict' });
});

test('scale goes through /scale, delete carries preconditions, annotate is a conditional merge patch', () => {
  const ref = resourceRef('machineDeployments', discovery('v1beta1', 'v1alpha7'), 'default', 'prow-md-0');
  const scale = planScale(ref, 3, { resourceVersion: '9' });
  assert.deepEqual([scale.request.method, scale.request.path, scale.request.contentType, scale.request.body], [
    'PATCH', '/apis/cluster.x-k8s.io/v1beta1/namespaces/default/machinedeployments/prow-md-0/scale', 'application/merge-patch+json', { spec: { replicas: 3 }, metadata: { resourceVersion: '9' } },
  ]);
  assert.throws(() => planScale(ref, -1), /whole number/);
  const del = planDelete(ref, { uid: 'u1', resourceVersion: '9' });
  assert.deepEqual(del.request.body, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: 'u1', resourceVersion: '9' } });
  assert.equal(del.request.method, 'DELETE');
  const annotate = planAnnotate(ref, { 'cluster.x-k8s.io/delete-machine': 'yes', gone: null }, { resourceVersion: '9' });
  assert.deepEqual(annotate.request.body, { metadata: { annotations: { 'cluster.x-k8s.io/delete-machine': 'yes', gone: null }, resourceVersion: '9' } });
});

test('domain planners pick the version from discovery and the shape from the adapter', () => {
  const m = machine('m1', { resourceVersion: '5' });
  const v1 = planMachineTimeouts(discovery('v1beta1', 'v1alpha7'), m, { nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900 });
  assert.equal(v1.request.path, '/apis/cluster.x-k8s.io/v1beta1/namespaces/default/machines/m1');
  assert.deepEqual(v1.request.body, { spec: { nodeDrainTimeout: '10m0s', nodeVolumeDetachTimeout: '15m0s' }, metadata: { resourceVersion: '5' } });
  const v2 = planMachineTimeouts(discovery('v1beta2', 'v1beta1'), m, { nodeDrainSeconds: 600 });
  assert.deepEqual(v2.request.body, { spec: { deletion: { nodeDrainTimeoutSeconds: 600 } }, metadata: { resourceVersion: '5' } });
  const cluster = { namespace: 'default', name: 'prow', resourceVersion: '8' } as Parameters<typeof planAllowedCidrs>[1];
  assert.deepEqual(planAllowedCidrs(discovery('v1beta1', 'v1alpha7'), cluster, ['10.6.0.0/24']).request.body, { spec: { apiServerLoadBalancer: { allowedCidrs: ['10.6.0.0/24'] } }, metadata: { resourceVersion: '8' } });
  assert.deepEqual(planAllowedCidrs(discovery('v1beta2', 'v1beta1'), cluster, ['10.6.0.0/24']).request.path, '/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/default/openstackclusters/prow');
  const md = { namespace: 'default', name: 'prow-md-0', resourceVersion: '3' } as Parameters<typeof planScaleMachineDeployment>[1];
  assert.equal(planScaleMachineDeployment(discovery('v1beta2', 'v1beta1'), md, 2).summary, 'scale machinedeployments.cluster.x-k8s.io default/prow-md-0 to 2');
  const done = { namespace: 'prow', name: 'j', state: 'success', job: 'unit', resourceVersion: '1' } as Parameters<typeof planAbortProwJob>[1];
  assert.throws(() => planAbortProwJob(discovery('v1beta2', 'v1beta1'), done, 'x'), /already finished: success/);
  const noCapi: Discovery = { ...discovery('v1beta2', 'v1beta1'), families: { ...discovery('v1beta2', 'v1beta1').families, capi: { installed: false, reason: 'Cluster API is not installed' } } };
  assert.throws(() => planMachineTimeouts(noCapi, m, { nodeDrainSeconds: 1 }), /Cluster API is not installed/);
});

test('errors name the verb and resource, the server, and whether a tunnel was used', () => {
  assert.deepEqual(describeRequest('GET', '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machines?limit=500'), { verb: 'list', resource: 'machines.cluster.x-k8s.io', namespace: 'default' });
  assert.deepEqual(describeRequest('GET', '/api/v1/pods', true), { verb: 'watch', resource: 'pods' });
  assert.deepEqual(describeRequest('PATCH', '/apis/cluster.x-k8s.io/v1beta1/namespaces/d/machinedeployments/md/scale'), { verb: 'patch', resource: 'machinedeployments.cluster.x-k8s.io/scale', namespace: 'd', name: 'md' });
  assert.equal(formatRequest(describeRequest('GET', '/api/v1/nodes/n1')), 'get nodes n1');
  const forbidden = statusError(403, { kind: 'Status', reason: 'Forbidden', message: 'openstackclusters.infrastructure.cluster.x-k8s.io is forbidden: User "x" cannot list resource' }, describeRequest('GET', '/apis/infrastructure.cluster.x-k8s.io/v1beta1/openstackclusters'), 'https://h:1');
  assert.equal(forbidden.kind, 'forbidden');
  assert.match(forbidden.message, /^403 Forbidden: not allowed to list openstackclusters\.infrastructure\.cluster\.x-k8s\.io \(all namespaces\) — openstackclusters/);
  assert.match(statusError(401, {}, describeRequest('GET', '/version'), 'https://h:1').message, /401 Unauthorized from https:\/\/h:1/);
  assert.equal(statusError(409, {}, describeRequest('PATCH', '/api/v1/nodes/n'), 's').kind, 'conflict');
  assert.equal(statusError(503, 'oops', describeRequest('GET', '/api/v1/nodes'), 's').retryable, true);
  const refused = Object.assign(new Error('request to https://127.0.0.1:1/version failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  assert.equal(networkError(refused, describeRequest('GET', '/version'), { server: 'https://127.0.0.1:1' }).message, 'API server https://127.0.0.1:1 unreachable directly (no tunnel): connect ECONNREFUSED 127.0.0.1:1');
  assert.match(networkError(refused, describeRequest('GET', '/version'), { server: 'https://h', proxyUrl: 'socks5h://127.0.0.1:6443' }).message, /through the tunnel socks5h:\/\/127\.0\.0\.1:6443/);
  const tls = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  assert.equal(networkError(tls, describeRequest('GET', '/version'), { server: 'https://h' }).kind, 'tls');
  assert.equal(new KubeError('forbidden', 'x').retryable, false);
});

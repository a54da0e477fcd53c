// What the API server does to the built-in objects the simulated controllers write — kubelets, scheduler, the
// ReplicaSet and disruption controllers — checked on the wire, the same on both targets: a pod's status is not
// taken from a create, its priority comes from its PriorityClass (admission) and the default tolerations are added;
// only the binding subresource sets spec.nodeName; a bound pod is deleted gracefully; a new
// PodDisruptionBudget's status is zero until a controller computes it, and an eviction waits for that.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, type TestResponse } from '../helpers/http.js';
import type { Target, TargetFactory } from './target.js';

const pods = '/api/v1/namespaces/default/pods';
const pod = (name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, app = name) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app } },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }], ...spec }, ...extra,
});
const merge = { 'Content-Type': 'application/merge-patch+json' };

/** Defines the built-in semantics tests against the target `start` returns. */
export function defineBuiltinsSuite(start: TargetFactory): void {
  let target: Target;
  const must = (res: TestResponse, code: number) => {
    assert.equal(res.status, code, `${res.status}: ${res.text.slice(0, 600)}`);
    return res.body;
  };
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(target.access, method, path, body, headers);

  before(async () => {
    target = await start();
  });
  after(async () => target?.stop());

  test('a created pod starts Pending whatever status it was sent with; admission adds priority and tolerations', async () => {
    const created = must(await req('POST', pods, pod('admitted', { priorityClassName: 'system-cluster-critical' }, { status: { phase: 'Running', podIP: '10.0.0.9' } })), 201);
    // The pod strategy resets status on create (PrepareForCreate); Priority admission resolves the class;
    // DefaultTolerationSeconds adds the not-ready/unreachable NoExecute tolerations (300 s).
    assert.deepEqual(created.status, { phase: 'Pending', qosClass: 'BestEffort' });
    assert.equal(created.spec.priority, 2000000000);
    assert.deepEqual(created.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    assert.equal(created.spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(must(await req('POST', pods, pod('plain')), 201).spec.priority, 0);
    const both = await req('POST', pods, pod('both', { priorityClassName: 'system-cluster-critical', priority: 0 }));
    assert.deepEqual(both.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'pods "both" is forbidden: the integer value of priority (0) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name',
      reason: 'Forbidden', details: { name: 'both', kind: 'pods' }, code: 403,
    });
  });

  test('the status of a Deployment, Service or VolumeAttachment is not taken from a create; a Node keeps its own', async () => {
    const deployment = must(await req('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'created' },
      spec: { selector: { matchLabels: { app: 'created' } }, template: { metadata: { labels: { app: 'created' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } } },
      status: { replicas: 5, readyReplicas: 5 },
    }), 201);
    assert.deepEqual(deployment.status, {});
    const service = must(await req('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'created' }, spec: { selector: { app: 'created' }, ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    }), 201);
    assert.deepEqual(service.status, { loadBalancer: {} });
    const attachment = must(await req('POST', '/apis/storage.k8s.io/v1/volumeattachments', {
      apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'created' },
      spec: { attacher: 'cinder.csi.openstack.org', nodeName: 'node-a', source: { persistentVolumeName: 'pv-1' } }, status: { attached: true },
    }), 201);
    assert.deepEqual(attachment.status, { attached: false });
    const node = must(await req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'created' }, status: { capacity: { cpu: '4' } } }), 201);
    assert.deepEqual(node.status.capacity, { cpu: '4' }, 'a kubelet registers its Node with its status');
  });

  test('defaults on the way in: pod templates, Deployments, Services; a generation only where the kind tracks one', async () => {
    const deployment = must(await req('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'defaulted' },
      spec: {
        selector: { matchLabels: { app: 'defaulted' } },
        template: {
          metadata: { labels: { app: 'defaulted' } },
          spec: {
            serviceAccountName: 'hook',
            initContainers: [{ name: 'init', image: 'busybox' }],
            containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 8080 }] }],
            volumes: [{ name: 's', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'c' } }],
          },
        },
      },
    }), 201);
    assert.deepEqual([deployment.spec.replicas, deployment.spec.revisionHistoryLimit, deployment.spec.progressDeadlineSeconds], [1, 10, 600]);
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const pod = deployment.spec.template.spec;
    assert.deepEqual([pod.restartPolicy, pod.terminationGracePeriodSeconds, pod.dnsPolicy, pod.schedulerName, pod.serviceAccount], ['Always', 30, 'ClusterFirst', 'default-scheduler', 'hook']);
    assert.deepEqual(pod.securityContext, {});
    assert.equal(pod.enableServiceLinks, undefined, 'a Pod gets that, not a template');
    assert.deepEqual(pod.initContainers[0], { name: 'init', image: 'busybox', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' });
    assert.equal(pod.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(pod.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(pod.volumes.map((v: { secret?: { defaultMode: number }; configMap?: { defaultMode: number } }) => (v.secret ?? v.configMap)!.defaultMode), [420, 420]);
    assert.equal(deployment.metadata.generation, 1);
    const service = must(await req('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'defaulted' }, spec: { selector: { app: 'defaulted' }, ports: [{ port: 80 }] } }), 201);
    assert.match(service.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(service.spec.clusterIPs, [service.spec.clusterIP]);
    assert.deepEqual([service.spec.type, service.spec.sessionAffinity, service.spec.internalTrafficPolicy, service.spec.ipFamilyPolicy], ['ClusterIP', 'None', 'Cluster', 'SingleStack']);
    assert.deepEqual(service.spec.ipFamilies, ['IPv4']);
    assert.deepEqual(service.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    const namespace = must(await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'defaulted' } }), 201);
    assert.deepEqual([namespace.spec, namespace.status], [{ finalizers: ['kubernetes'] }, { phase: 'Active' }]);
    const cm = must(await req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'defaulted' }, data: { a: '1' } }), 201);
    for (const obj of [service, namespace, cm]) assert.equal(obj.metadata.generation, undefined, `${obj.kind} has no generation`);
  });

  test('only the binding subresource assigns a node: once (201, then 409); an update of spec.nodeName is 422', async () => {
    const patched = await req('PATCH', `${pods}/plain`, { spec: { nodeName: 'somewhere' } }, merge);
    assert.equal(patched.status, 422);
    assert.equal(patched.body.reason, 'Invalid');
    assert.match(patched.body.message, /^Pod "plain" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,/);
    const binding = (node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'plain' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    assert.deepEqual(must(await req('POST', `${pods}/plain/binding`, binding('node-a')), 201), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal(must(await req('GET', `${pods}/plain`), 200).spec.nodeName, 'node-a');
    const again = await req('POST', `${pods}/plain/binding`, binding('node-b'));
    assert.deepEqual(again.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on pods/binding "plain": pod plain is already assigned to node "node-a"',
      reason: 'Conflict', details: { name: 'plain', kind: 'pods/binding' }, code: 409,
    });
  });

  test('a bound pod is deleted gracefully: it stays until its kubelet deletes it with grace 0', async () => {
    const deleting = must(await req('DELETE', `${pods}/plain`), 200);
    assert.equal(deleting.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(must(await req('GET', `${pods}/plain`), 200).metadata.deletionTimestamp, deleting.metadata.deletionTimestamp);
    must(await req('DELETE', `${pods}/plain`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 }), 200);
    assert.equal((await req('GET', `${pods}/plain`)).status, 404);
  });

  test('a new PodDisruptionBudget has a zero status until a controller writes one, and evictions wait for it', async () => {
    const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    const created = must(await req('POST', pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'admitted' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'admitted' } } } }), 201);
    assert.deepEqual(created.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    // A running pod (a pending one may always be evicted: canIgnorePDB).
    must(await req('POST', `${pods}/admitted/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'admitted' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } }), 201);
    must(await req('PATCH', `${pods}/admitted/status`, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, merge), 200);
    // The eviction handler trusts only a status whose observedGeneration caught up with the spec
    // (pkg/registry/core/pod/storage/eviction.go); nothing has computed one yet.
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'admitted', namespace: 'default' } };
    const early = await req('POST', `${pods}/admitted/eviction`, eviction);
    assert.equal(early.status, 429, early.text);
    assert.deepEqual(early.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Cannot evict pod as it would violate the pod\'s disruption budget.', reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget admitted is still being processed by the server.' }], retryAfterSeconds: 10 }, code: 429,
    });
    const status = { observedGeneration: created.metadata.generation, disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 };
    must(await req('PUT', `${pdbs}/admitted/status`, { ...created, status }), 200);
    must(await req('POST', `${pods}/admitted/eviction`, eviction), 201);
    assert.ok(must(await req('GET', `${pods}/admitted`), 200).metadata.deletionTimestamp, 'deleted gracefully');
    const after = must(await req('GET', `${pdbs}/admitted`), 200);
    assert.equal(after.status.disruptionsAllowed, 0, 'the allowance was spent');
    assert.deepEqual(Object.keys(after.status.disruptedPods ?? {}), ['admitted']);
    // A second running pod of the budget: nothing left to spend.
    must(await req('POST', pods, pod('admitted-2', { nodeName: 'node-a' }, {}, 'admitted')), 201);
    must(await req('PATCH', `${pods}/admitted-2/status`, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, merge), 200);
    const refused = await req('POST', `${pods}/admitted-2/eviction`, { ...eviction, metadata: { name: 'admitted-2', namespace: 'default' } });
    assert.equal(refused.status, 429, refused.text);
    assert.deepEqual(refused.body.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget admitted needs 0 healthy pods and has 1 currently' }] });
    assert.equal((await req('POST', `${pods}/missing/eviction`, { ...eviction, metadata: { name: 'missing', namespace: 'default' } })).status, 404);
  });
}

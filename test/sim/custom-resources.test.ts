// The custom resources generated from the real CRDs: schema validation and pruning with src/sim/schema.ts, printer
// columns, CEL rules and defaults, and CAPI's v1beta1 ⇄ v1beta2 conversion (round trips with realistic objects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { ApiError } from '../../src/sim/errors.js';
import { clone, getPath, type KubeObject } from '../../src/sim/objects.js';
import type { ResourceDef, VersionDef } from '../../src/sim/resources.js';
import { validateObject } from '../../src/sim/schema.js';
import { compileRules, type CrdSchema } from '../../src/sim/kinds/crd-rules.js';
import { compareKubeVersions, crdFiles, customResources, printerColumns } from '../../src/sim/kinds/custom.js';

const capi10 = customResources({ capi: 'v1beta1', capo: 'v1alpha7', prow: true });
const capi12 = customResources({ capi: 'v1beta2', capo: 'v1beta1', prow: true });
const now = Date.parse('2025-06-01T12:00:00Z');

function def(defs: ResourceDef[], kind: string): ResourceDef {
  const found = defs.find((d) => d.kind === kind);
  assert.ok(found, kind);
  return found;
}
function version(defs: ResourceDef[], kind: string, name: string): VersionDef {
  const found = def(defs, kind).versions.find((v) => v.name === name);
  assert.ok(found, `${kind} ${name}`);
  return found;
}
const obj = (o: Record<string, unknown>): KubeObject => clone(o) as KubeObject;

test('the generated CRDs: served versions, names, subresources, size', () => {
  const crdDir = new URL('../../src/sim/crds/', import.meta.url);
  const files = readdirSync(crdDir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 17);
  const total = files.reduce((sum, f) => sum + statSync(new URL(f, crdDir)).size, 0);
  assert.ok(total < 1_000_000, `generated CRDs are ${total} bytes`);
  assert.deepEqual(def(capi10, 'Machine').versions.map((v) => v.name), ['v1beta1']);
  assert.deepEqual(def(capi12, 'Machine').versions.map((v) => [v.name, v.storage ?? false, v.deprecated ?? false]), [
    ['v1beta1', false, true],
    ['v1beta2', true, false],
  ]);
  assert.equal(version(capi12, 'MachineDeployment', 'v1beta1').deprecationWarning, 'cluster.x-k8s.io/v1beta1 MachineDeployment is deprecated; use cluster.x-k8s.io/v1beta2 MachineDeployment');
  assert.deepEqual(def(capi12, 'MachineDeployment').shortNames, ['md']);
  assert.deepEqual(def(capi12, 'KubeadmControlPlane').shortNames, ['kcp']);
  assert.deepEqual(def(capi10, 'Machine').shortNames, ['ma']);
  assert.deepEqual(def(capi10, 'MachineDeployment').scale, { labelSelectorPath: '.status.selector', specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' });
  assert.deepEqual(def(capi10, 'OpenStackCluster').versions.map((v) => v.name), ['v1alpha7']);
  const prow = def(capi12, 'ProwJob');
  assert.equal(prow.status, false, 'ProwJob has no status subresource');
  assert.equal(prow.shortNames, undefined);
  assert.equal(def(capi12, 'Machine').status, true);
  assert.equal(def(capi12, 'Cluster').namespaced, true);
  assert.ok(def(capi12, 'Machine').categories?.includes('cluster-api'));
  // Descriptions are stripped, but a property that is called "description" is data and stays.
  const prowSchema = crdFiles.prow[0]!.versions[0]!.schema;
  assert.ok(!/"description":"/.test(JSON.stringify(prowSchema)), 'no description keywords left');
  assert.deepEqual(prowSchema.properties!.status!.properties!.description, { type: 'string' });
  assert.ok(readFileSync(new URL('prow-prowjobs.json', crdDir), 'utf8').includes('"description":"The name of the job being run"'), 'printer column descriptions are kept');
  // Conversions exist exactly where two versions are served.
  assert.ok(version(capi12, 'KubeadmControlPlane', 'v1beta1').toStorage && version(capi12, 'KubeadmControlPlane', 'v1beta1').fromStorage);
  assert.equal(version(capi10, 'Machine', 'v1beta1').toStorage, undefined);
});

test('every CEL rule in the generated CRDs has an equivalent', () => {
  for (const files of Object.values(crdFiles)) {
    for (const file of files) {
      for (const v of file.versions) assert.deepEqual(compileRules(v.schema).unknownRules, [], `${file.source} ${v.name}`);
    }
  }
});

test('kube-aware version ordering', () => {
  const sorted = ['v1alpha7', 'v1beta1', 'v1', 'v1beta2', 'v2', 'v1alpha5', 'foo'].sort((a, b) => compareKubeVersions(b, a));
  assert.deepEqual(sorted, ['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha7', 'v1alpha5', 'foo']);
});

const machineV1beta2 = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Machine',
  metadata: { name: 'prow-md-0-7xk2p', namespace: 'default', creationTimestamp: '2025-06-01T10:30:00Z', labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
  spec: {
    clusterName: 'prow',
    bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: 'prow-md-0-7xk2p' }, dataSecretName: 'prow-md-0-7xk2p' },
    infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachine', name: 'prow-md-0-7xk2p' },
    version: 'v1.32.4',
    providerID: 'openstack://RegionOne/6f1c2a9e-2b8e-4a4f-9c1d-3e2f1a0b9c8d',
    failureDomain: 'nova',
    minReadySeconds: 10,
    deletion: { nodeDrainTimeoutSeconds: 600, nodeVolumeDetachTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 10 },
    taints: [{ key: 'ci.example.com/dedicated', value: 'prow', effect: 'NoSchedule', propagation: 'Always' }],
  },
  status: {
    phase: 'Updating',
    observedGeneration: 2,
    initialization: { bootstrapDataSecretCreated: true, infrastructureProvisioned: false },
    nodeRef: { name: 'prow-md-0-7xk2p' },
    addresses: [{ type: 'InternalIP', address: '10.6.0.12' }],
    nodeInfo: { osImage: 'Ubuntu 24.04.2 LTS', kubeletVersion: 'v1.32.4', architecture: 'amd64', bootID: 'b', containerRuntimeVersion: 'containerd://1.7.27', kernelVersion: '6.8.0', kubeProxyVersion: '', machineID: 'm', operatingSystem: 'linux', systemUUID: 's' },
    lastUpdated: '2025-06-01T10:35:00Z',
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2025-06-01T10:34:00Z', observedGeneration: 2 },
      { type: 'Available', status: 'True', reason: 'Available', message: '', lastTransitionTime: '2025-06-01T10:34:10Z', observedGeneration: 2 },
      { type: 'UpToDate', status: 'False', reason: 'Updating', message: '', lastTransitionTime: '2025-06-01T11:00:00Z', observedGeneration: 2 },
    ],
    deprecated: {
      v1beta1: {
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:34:00Z' }],
        failureReason: 'UpdateError',
        failureMessage: 'in-place update failed once',
      },
    },
    deletion: { nodeDrainStartTime: '2025-06-01T11:55:00Z' },
  },
};

test('schema: an unknown field under spec is reported and pruned; metadata is kept', () => {
  const m = clone(machineV1beta2) as Record<string, unknown>;
  (m.spec as Record<string, unknown>).nodeDrainTimeout = '10m0s';
  (m.spec as Record<string, unknown>).bogus = { a: 1 };
  const result = validateObject(m, version(capi12, 'Machine', 'v1beta2').schema);
  assert.deepEqual(result.unknown.sort(), ['spec.bogus', 'spec.nodeDrainTimeout']);
  assert.deepEqual(result.causes, []);
  assert.equal((m.spec as Record<string, unknown>).bogus, undefined);
  assert.deepEqual((m.spec as Record<string, unknown>).deletion, machineV1beta2.spec.deletion);
  assert.deepEqual((m.metadata as Record<string, unknown>).labels, machineV1beta2.metadata.labels);
});

test('schema: v1beta2 deletion timeouts are int32 seconds; deletion needs at least one property', () => {
  const schema = version(capi12, 'Machine', 'v1beta2').schema;
  const bad = clone(machineV1beta2) as { spec: { deletion: Record<string, unknown> } };
  bad.spec.deletion.nodeDrainTimeoutSeconds = 'x';
  const result = validateObject(bad as unknown as Record<string, unknown>, schema);
  assert.deepEqual(result.causes.map((c) => c.field), ['spec.deletion.nodeDrainTimeoutSeconds']);
  assert.match(result.causes[0]!.message, /must be of type integer/);
  const negative = clone(machineV1beta2) as { spec: { deletion: Record<string, unknown> } };
  negative.spec.deletion.nodeDrainTimeoutSeconds = -1;
  assert.match(validateObject(negative as unknown as Record<string, unknown>, schema).causes[0]!.message, /greater than or equal to 0/);
  const empty = clone(machineV1beta2) as { spec: { deletion: Record<string, unknown> } };
  empty.spec.deletion = {};
  assert.match(validateObject(empty as unknown as Record<string, unknown>, schema).causes[0]!.message, /at least 1 properties/);
});

const machineV1beta1 = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Machine',
  metadata: { name: 'prow-md-0-7xk2p', namespace: 'default', creationTimestamp: '2025-06-01T10:30:00Z', labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
  spec: {
    clusterName: 'prow',
    bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfig', namespace: 'default', name: 'prow-md-0-7xk2p' }, dataSecretName: 'prow-md-0-7xk2p' },
    infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachine', namespace: 'default', name: 'prow-md-0-7xk2p' },
    version: 'v1.32.4',
    providerID: 'openstack://RegionOne/6f1c2a9e-2b8e-4a4f-9c1d-3e2f1a0b9c8d',
    nodeDrainTimeout: '10m0s',
    nodeVolumeDetachTimeout: '5m0s',
    nodeDeletionTimeout: '10s',
  },
  status: {
    phase: 'Running',
    bootstrapReady: true,
    infrastructureReady: true,
    nodeRef: { apiVersion: 'v1', kind: 'Node', name: 'prow-md-0-7xk2p' },
    addresses: [{ type: 'InternalIP', address: '10.6.0.12' }],
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:34:00Z' },
      { type: 'DrainingSucceeded', status: 'False', severity: 'Warning', reason: 'Draining', message: 'Drain not completed yet', lastTransitionTime: '2025-06-01T11:55:00Z' },
    ],
    v1beta2: { conditions: [{ type: 'Deleting', status: 'True', reason: 'DrainingNode', message: 'Drain not completed yet', lastTransitionTime: '2025-06-01T11:55:00Z', observedGeneration: 1 }] },
    deletion: { nodeDrainStartTime: '2025-06-01T11:55:00Z' },
    observedGeneration: 1,
  },
};

test('schema: v1beta1 duration strings are accepted where v1beta2 has no such field', () => {
  const m = clone(machineV1beta1) as Record<string, unknown>;
  const result = validateObject(m, version(capi12, 'Machine', 'v1beta1').schema);
  assert.deepEqual(result, { unknown: [], causes: [] });
  const old = clone(machineV1beta1) as Record<string, unknown>;
  assert.deepEqual(validateObject(old, version(capi10, 'Machine', 'v1beta1').schema), { unknown: [], causes: [] });
});

test('schema: CAPO allowedCidrs (v1alpha7) versus allowedCIDRs (v1beta1)', () => {
  const cluster = (apiVersion: string, lb: Record<string, unknown>): Record<string, unknown> => ({
    apiVersion,
    kind: 'OpenStackCluster',
    metadata: { name: 'prow', namespace: 'default' },
    spec: {
      identityRef: apiVersion.endsWith('v1alpha7') ? { kind: 'Secret', name: 'prow-cloud-config' } : { type: 'Secret', name: 'prow-cloud-config', cloudName: 'openstack' },
      apiServerLoadBalancer: { enabled: true, ...lb },
      externalNetwork: { id: '0f3a2c1e-9b8d-4e7f-a6c5-b4d3e2f1a0b9' },
    },
  });
  const alpha = cluster('infrastructure.cluster.x-k8s.io/v1alpha7', { allowedCidrs: ['192.0.2.0/24'] });
  // v1alpha7 names the external network by ID in a different field, so v1beta1's externalNetwork is unknown there.
  assert.deepEqual(validateObject(alpha, version(capi10, 'OpenStackCluster', 'v1alpha7').schema), { unknown: ['spec.externalNetwork'], causes: [] });
  assert.deepEqual((alpha.spec as { apiServerLoadBalancer: unknown }).apiServerLoadBalancer, { enabled: true, allowedCidrs: ['192.0.2.0/24'] });
  const beta = cluster('infrastructure.cluster.x-k8s.io/v1beta1', { allowedCidrs: ['192.0.2.0/24'] });
  const result = validateObject(beta, version(capi12, 'OpenStackCluster', 'v1beta1').schema);
  assert.deepEqual(result.unknown, ['spec.apiServerLoadBalancer.allowedCidrs']);
  assert.deepEqual((beta.spec as { apiServerLoadBalancer: unknown }).apiServerLoadBalancer, { enabled: true });
  const fixed = cluster('infrastructure.cluster.x-k8s.io/v1beta1', { allowedCIDRs: ['192.0.2.0/24'] });
  assert.deepEqual(validateObject(fixed, version(capi12, 'OpenStackCluster', 'v1beta1').schema), { unknown: [], causes: [] });
});

const openStackCluster = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'OpenStackCluster',
  metadata: { name: 'prow', namespace: 'default', creationTimestamp: '2025-05-01T00:00:00Z', labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
  spec: {
    identityRef: { name: 'prow-cloud-config', cloudName: 'openstack' },
    externalNetwork: { id: '0f3a2c1e-9b8d-4e7f-a6c5-b4d3e2f1a0b9' },
    apiServerLoadBalancer: { enabled: true, allowedCIDRs: ['192.0.2.0/24'] },
    managedSecurityGroups: { allowAllInClusterTraffic: true },
    bastion: { enabled: true, spec: { flavor: 'm1.small', image: { filter: { name: 'ubuntu-24.04' } }, sshKeyName: 'prow' } },
  },
};

/** The storage version of a kind: its defaults are what a stored object gets. */
function storage(defs: ResourceDef[], kind: string): VersionDef {
  return def(defs, kind).versions.find((v) => v.storage)!;
}

/** What the API server does with a write: default, then validate and prune against the version's schema. */
function admit(defs: ResourceDef[], kind: string, name: string, o: Record<string, unknown>): ReturnType<typeof validateObject> {
  const copy = clone(o);
  const v = version(defs, kind, name);
  v.defaults!(copy as KubeObject);
  return validateObject(copy, v.schema);
}

test('schema: defaulting has to come before validation (identityRef.type is required and defaulted)', () => {
  // validateObject alone reports a field the API server would have defaulted; the defaults hook fills it in first.
  const raw = validateObject(clone(openStackCluster), version(capi12, 'OpenStackCluster', 'v1beta1').schema);
  assert.deepEqual(raw.causes.map((c) => c.field), ['spec.identityRef.type']);
  assert.deepEqual(admit(capi12, 'OpenStackCluster', 'v1beta1', openStackCluster), { unknown: [], causes: [] });
});

test('schema: a v1beta1 bastion image with both id and filter is rejected (ImageParam maxProperties=1)', () => {
  const o = clone(openStackCluster) as { spec: { bastion: { spec: { image: Record<string, unknown> } } } };
  o.spec.bastion.spec.image.id = '8b8a6e7c-1f2d-4c3b-9a8e-7d6c5b4a3f2e';
  const result = admit(capi12, 'OpenStackCluster', 'v1beta1', o as unknown as Record<string, unknown>);
  assert.deepEqual(result.causes.map((c) => c.field), ['spec.bastion.spec.image']);
  assert.match(result.causes[0]!.message, /at most 1 properties/);
  // An empty image is rejected too (minProperties=1), and a single key is fine.
  const empty = clone(openStackCluster) as { spec: { bastion: { spec: { image: Record<string, unknown> } } } };
  empty.spec.bastion.spec.image = {};
  assert.match(admit(capi12, 'OpenStackCluster', 'v1beta1', empty as unknown as Record<string, unknown>).causes[0]!.message, /at least 1 properties/);
  const byId = clone(openStackCluster) as { spec: { bastion: { spec: { image: Record<string, unknown> } } } };
  byId.spec.bastion.spec.image = { id: '8b8a6e7c-1f2d-4c3b-9a8e-7d6c5b4a3f2e' };
  assert.deepEqual(admit(capi12, 'OpenStackCluster', 'v1beta1', byId as unknown as Record<string, unknown>), { unknown: [], causes: [] });
});

test('CEL rules of the CAPO v1beta1 CRD: bastion spec, flavor, external network', () => {
  const v = version(capi12, 'OpenStackCluster', 'v1beta1');
  assert.deepEqual(v.validate!(obj(openStackCluster), undefined), []);
  // enabled defaults to true, so a bastion block without spec is rejected.
  const noSpec = obj({ ...openStackCluster, spec: { ...openStackCluster.spec, bastion: {} } });
  assert.deepEqual(v.validate!(noSpec, undefined), [
    { reason: 'FieldValueInvalid', message: 'Invalid value: "object": spec is required if bastion is enabled', field: 'spec.bastion' },
  ]);
  const disabled = obj({ ...openStackCluster, spec: { ...openStackCluster.spec, bastion: { enabled: false } } });
  assert.deepEqual(v.validate!(disabled, undefined), []);
  const noFlavor = clone(openStackCluster) as { spec: { bastion: { spec: Record<string, unknown> } } };
  delete noFlavor.spec.bastion.spec.flavor;
  assert.deepEqual(v.validate!(noFlavor as unknown as KubeObject, undefined).map((c) => [c.field, c.message]), [
    ['spec.bastion.spec', 'Invalid value: "object": at least one of flavor or flavorID must be set'],
  ]);
  const isolated = obj({ ...openStackCluster, spec: { ...openStackCluster.spec, disableExternalNetwork: true, bastion: { ...openStackCluster.spec.bastion, floatingIP: '203.0.113.7' } } });
  assert.deepEqual(v.validate!(isolated, undefined).map((c) => c.message), [
    'Invalid value: "object": bastion floating IP cannot be set when disableExternalNetwork is true',
    'Invalid value: "object": disableAPIServerFloatingIP cannot be false when disableExternalNetwork is true',
  ]);
  // A transition rule: the identity's region cannot change on update.
  const moved = clone(openStackCluster) as { spec: { identityRef: Record<string, unknown> } };
  moved.spec.identityRef.region = 'RegionTwo';
  const before = clone(openStackCluster) as { spec: { identityRef: Record<string, unknown> } };
  before.spec.identityRef.region = 'RegionOne';
  assert.deepEqual(v.validate!(moved as unknown as KubeObject, before as unknown as KubeObject).map((c) => c.message), ['Invalid value: "object": region is immutable']);
  assert.deepEqual(v.validate!(moved as unknown as KubeObject, undefined), []);
});

test('defaults from the schema are applied to stored objects', () => {
  const stored = obj(openStackCluster);
  delete (stored.spec as { bastion: Record<string, unknown> }).bastion.enabled;
  storage(capi12, 'OpenStackCluster').defaults!(stored);
  const spec = stored.spec as { bastion: Record<string, unknown>; identityRef: Record<string, unknown>; managedSecurityGroups: Record<string, unknown> };
  assert.equal(spec.bastion.enabled, true);
  assert.equal(spec.identityRef.type, 'Secret');
  assert.equal(spec.managedSecurityGroups.allowAllInClusterTraffic, true, 'explicit values are kept');
  // A null where the field is not nullable takes the default, as structural defaulting does.
  const nulled = obj({ ...openStackCluster, spec: { ...openStackCluster.spec, bastion: { ...openStackCluster.spec.bastion, enabled: null } } });
  storage(capi12, 'OpenStackCluster').defaults!(nulled);
  assert.equal((nulled.spec as { bastion: Record<string, unknown> }).bastion.enabled, true);
  // KCP v1beta1 (CAPI 1.10) defaults its rollout strategy.
  const kcp = obj({ apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', metadata: { name: 'k' }, spec: { version: 'v1.31.6' } });
  storage(capi10, 'KubeadmControlPlane').defaults!(kcp);
  assert.deepEqual((kcp.spec as Record<string, unknown>).rolloutStrategy, { rollingUpdate: { maxSurge: 1 }, type: 'RollingUpdate' });
});

const prowJob = {
  apiVersion: 'prow.k8s.io/v1',
  kind: 'ProwJob',
  metadata: {
    name: '3f9c1e2a-7b6d-11ef-9a3c-0242ac120002',
    namespace: 'prow',
    creationTimestamp: '2025-06-01T11:40:00Z',
    labels: { 'created-by-prow': 'true', 'prow.k8s.io/type': 'presubmit', 'prow.k8s.io/refs.pull': '1203' },
    annotations: { 'prow.k8s.io/job': 'pull-deckhand-unit' },
  },
  spec: {
    type: 'batch',
    agent: 'kubernetes',
    cluster: 'default',
    namespace: 'test-pods',
    job: 'pull-deckhand-unit',
    report: true,
    context: 'pull-deckhand-unit',
    rerun_command: '/test pull-deckhand-unit',
    refs: {
      org: 'example',
      repo: 'deckhand',
      base_ref: 'main',
      base_sha: 'a1b2c3d',
      pulls: [
        { number: 1203, author: 'alice', sha: 'e4f5a6b' },
        { number: 1207, author: 'bob', sha: 'c7d8e9f' },
      ],
    },
    pod_spec: {
      containers: [
        {
          name: 'test',
          image: 'golang:1.24',
          command: ['make'],
          args: ['test'],
          env: [{ name: 'GOFLAGS', value: '-mod=readonly' }],
          resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } },
          volumeMounts: [{ name: 'cache', mountPath: '/root/.cache' }],
        },
      ],
      volumes: [{ name: 'cache', emptyDir: {} }],
      nodeSelector: { 'node-role.kubernetes.io/worker': '' },
      tolerations: [{ key: 'ci', operator: 'Exists', effect: 'NoSchedule' }],
    },
    decoration_config: { timeout: '2h0m0s', grace_period: '15m0s', utility_images: { clonerefs: 'gcr.io/k8s-prow/clonerefs:v20240619' } },
  },
  status: { state: 'pending', startTime: '2025-06-01T11:40:00Z', pendingTime: '2025-06-01T11:40:05Z', pod_name: '3f9c1e2a-7b6d-11ef-9a3c-0242ac120002', build_id: '1797263455123456', url: 'https://prow.example.com/view/1797263455123456', description: 'Job triggered.' },
};

test('schema: ProwJob pod_spec is fully schematised and kept; unknown fields inside it are pruned', () => {
  const job = clone(prowJob) as { spec: { pod_spec: { containers: Record<string, unknown>[] } } };
  job.spec.pod_spec.containers[0]!.bogus = true;
  const result = validateObject(job as unknown as Record<string, unknown>, version(capi12, 'ProwJob', 'v1').schema);
  assert.deepEqual(result, { unknown: ['spec.pod_spec.containers[0].bogus'], causes: [] });
  assert.deepEqual(job.spec.pod_spec, prowJob.spec.pod_spec);
  const bad = clone(prowJob) as { spec: { pod_spec: { containers: Record<string, unknown>[] } } };
  bad.spec.pod_spec.containers[0]!.command = 'make';
  assert.deepEqual(validateObject(bad as unknown as Record<string, unknown>, version(capi12, 'ProwJob', 'v1').schema).causes.map((c) => c.field), ['spec.pod_spec.containers[0].command']);
});

test('ProwJob: success, failure and error need status.completionTime (the CRD anyOf rule)', () => {
  const v = version(capi12, 'ProwJob', 'v1');
  assert.deepEqual(v.validate!(obj(prowJob), undefined), []);
  for (const state of ['success', 'failure', 'error']) {
    const job = obj({ ...prowJob, status: { ...prowJob.status, state } });
    assert.deepEqual(v.validate!(job, undefined), [
      { reason: 'FieldValueInvalid', message: 'Invalid value: "": "status" must validate at least one schema (anyOf)', field: '<nil>' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'status.completionTime' },
    ], state);
    const done = obj({ ...prowJob, status: { ...prowJob.status, state, completionTime: '2025-06-01T11:52:00Z' } });
    assert.deepEqual(v.validate!(done, undefined), []);
  }
  assert.deepEqual(v.validate!(obj({ ...prowJob, status: { ...prowJob.status, state: 'aborted' } }), undefined), []);
});

/** The cells of one row, as the API server's table convertor computes them. */
function cells(v: VersionDef, o: Record<string, unknown>): unknown[] {
  return (v.columns ?? []).map((c) => (typeof c.value === 'string' ? getPath(o, c.value) : c.value(o as KubeObject, now)));
}
const headers = (v: VersionDef): string[] => (v.columns ?? []).map((c) => `${c.name}${c.priority ? '*' : ''}`);

test('printer columns: a Machine at CAPI 1.10 v1beta1, 1.12 v1beta1 and 1.12 v1beta2', () => {
  const v110 = version(capi10, 'Machine', 'v1beta1');
  assert.deepEqual(headers(v110), ['Name', 'Cluster', 'NodeName', 'ProviderID', 'Phase', 'Age', 'Version']);
  assert.deepEqual(cells(v110, machineV1beta1), ['prow-md-0-7xk2p', 'prow', 'prow-md-0-7xk2p', 'openstack://RegionOne/6f1c2a9e-2b8e-4a4f-9c1d-3e2f1a0b9c8d', 'Running', '90m', 'v1.32.4']);
  const v2 = version(capi12, 'Machine', 'v1beta2');
  assert.deepEqual(headers(v2), ['Name', 'Cluster', 'Node Name', 'Provider ID*', 'Ready', 'Available', 'Up-to-date', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Paused*', 'Phase', 'Age', 'Version']);
  assert.deepEqual(cells(v2, machineV1beta2), [
    'prow-md-0-7xk2p', 'prow', 'prow-md-0-7xk2p', 'openstack://RegionOne/6f1c2a9e-2b8e-4a4f-9c1d-3e2f1a0b9c8d',
    'True', 'True', 'False', '10.6.0.12', null, 'Ubuntu 24.04.2 LTS', null, 'Updating', '90m', 'v1.32.4',
  ]);
  const columns = v2.columns!;
  assert.equal(columns[0]!.format, 'name');
  assert.equal(columns[1]!.description, 'Cluster');
  assert.equal(printerColumns([{ name: 'X', type: 'string', jsonPath: '.spec.x' }])[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.x');
  // A Machine the controller has not touched yet: empty cells are null, like the API server's table.
  const fresh = { metadata: { name: 'm', creationTimestamp: '2025-06-01T11:59:30Z' }, spec: { clusterName: 'prow' } };
  assert.deepEqual(cells(v2, fresh), ['m', 'prow', null, null, null, null, null, null, null, null, null, null, '30s', null]);
});

test('printer columns: KCP booleans and integers, ProwJob pulls and dates, OpenStackCluster label column', () => {
  const kcp = version(capi10, 'KubeadmControlPlane', 'v1beta1');
  const kcpObj = {
    metadata: { name: 'prow-control-plane', creationTimestamp: '2025-05-01T12:00:00Z', labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
    spec: { replicas: 3, version: 'v1.32.4' },
    status: { initialized: true, ready: true, replicas: 3, readyReplicas: 3, updatedReplicas: 3, unavailableReplicas: 0 },
  };
  assert.deepEqual(headers(kcp), ['Name', 'Cluster', 'Initialized', 'API Server Available', 'Desired*', 'Replicas', 'Ready', 'Updated', 'Unavailable', 'Age', 'Version']);
  assert.deepEqual(cells(kcp, kcpObj), ['prow-control-plane', 'prow', true, true, 3, 3, 3, 3, 0, '31d', 'v1.32.4']);
  const pj = version(capi12, 'ProwJob', 'v1');
  assert.deepEqual(headers(pj), ['Name', 'Job', 'BuildId', 'Type', 'Org', 'Repo', 'Pulls', 'StartTime', 'CompletionTime', 'State']);
  // The table convertor keeps only the first JSONPath result, so a batch job shows its first pull.
  assert.deepEqual(cells(pj, prowJob), ['3f9c1e2a-7b6d-11ef-9a3c-0242ac120002', 'pull-deckhand-unit', '1797263455123456', 'batch', 'example', 'deckhand', '1203', '20m', null, 'pending']);
  const osc = version(capi12, 'OpenStackCluster', 'v1beta1');
  const withStatus = { ...openStackCluster, status: { ready: true, bastion: { floatingIP: '203.0.113.7' }, network: { id: 'net-1' } } };
  assert.deepEqual(cells(osc, withStatus), ['prow', 'prow', 'true', 'net-1', null, '203.0.113.7', '31d']);
  // A CRD version without printer columns gets Name and Age.
  assert.deepEqual(headers(version(capi12, 'OpenStackMachineTemplate', 'v1beta1')), ['Name', 'Age']);
});

/** Converts through a spoke version's conversion functions. */
const toStorage = (defs: ResourceDef[], kind: string, o: Record<string, unknown>): KubeObject => version(defs, kind, 'v1beta1').toStorage!(obj(o));
const fromStorage = (defs: ResourceDef[], kind: string, o: Record<string, unknown>): KubeObject => version(defs, kind, 'v1beta1').fromStorage!(obj(o));
const annotation = 'cluster.x-k8s.io/conversion-data';
function withoutConversionData(o: KubeObject): KubeObject {
  const out = clone(o);
  delete out.metadata.annotations?.[annotation];
  if (out.metadata.annotations && Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
  return out;
}

test('Machine conversion: v1beta2 → v1beta1 field map', () => {
  const b1 = fromStorage(capi12, 'Machine', machineV1beta2);
  assert.equal(b1.apiVersion, 'cluster.x-k8s.io/v1beta1');
  const spec = b1.spec as Record<string, unknown>;
  assert.equal(spec.nodeDrainTimeout, '10m0s');
  assert.equal(spec.nodeVolumeDetachTimeout, '5m0s');
  assert.equal(spec.nodeDeletionTimeout, '10s');
  assert.equal(spec.deletion, undefined);
  assert.equal(spec.taints, undefined, 'pruned: v1beta1 has no taints');
  assert.deepEqual(spec.infrastructureRef, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachine', namespace: 'default', name: 'prow-md-0-7xk2p' });
  assert.deepEqual((spec.bootstrap as Record<string, unknown>).configRef, { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfig', namespace: 'default', name: 'prow-md-0-7xk2p' });
  const status = b1.status as Record<string, unknown>;
  assert.equal(status.phase, 'Running', 'v1beta1 has no Updating phase');
  assert.deepEqual(status.nodeRef, { apiVersion: 'v1', kind: 'Node', name: 'prow-md-0-7xk2p' });
  assert.equal(status.bootstrapReady, true);
  assert.equal(status.infrastructureReady, false);
  assert.deepEqual(status.conditions, machineV1beta2.status.deprecated.v1beta1.conditions);
  assert.deepEqual(status.v1beta2, { conditions: machineV1beta2.status.conditions });
  assert.equal(status.failureReason, 'UpdateError');
  assert.equal(status.failureMessage, 'in-place update failed once');
  assert.equal(status.initialization, undefined);
  assert.equal(status.deprecated, undefined);
  assert.deepEqual(status.deletion, { nodeDrainStartTime: '2025-06-01T11:55:00Z' });
  assert.deepEqual(JSON.parse(b1.metadata.annotations![annotation]!), (({ metadata: _, ...rest }) => rest)(machineV1beta2));
  // The result is valid against the v1beta1 schema.
  assert.deepEqual(validateObject(clone(b1), version(capi12, 'Machine', 'v1beta1').schema), { unknown: [], causes: [] });
});

test('Machine conversion round trips: v1beta2 → v1beta1 → v1beta2 and v1beta1 → v1beta2 → v1beta1', () => {
  const b1 = fromStorage(capi12, 'Machine', machineV1beta2);
  assert.deepEqual(toStorage(capi12, 'Machine', b1), machineV1beta2);
  const hub = toStorage(capi12, 'Machine', machineV1beta1);
  assert.deepEqual(hub.spec, {
    clusterName: 'prow',
    bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: 'prow-md-0-7xk2p' }, dataSecretName: 'prow-md-0-7xk2p' },
    infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachine', name: 'prow-md-0-7xk2p' },
    version: 'v1.32.4',
    providerID: 'openstack://RegionOne/6f1c2a9e-2b8e-4a4f-9c1d-3e2f1a0b9c8d',
    deletion: { nodeDrainTimeoutSeconds: 600, nodeVolumeDetachTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 10 },
  });
  const status = hub.status as Record<string, unknown>;
  assert.deepEqual(status.initialization, { bootstrapDataSecretCreated: true, infrastructureProvisioned: true });
  assert.deepEqual(status.nodeRef, { name: 'prow-md-0-7xk2p' });
  assert.deepEqual(status.conditions, machineV1beta1.status.v1beta2.conditions);
  assert.deepEqual(status.deprecated, { v1beta1: { conditions: machineV1beta1.status.conditions } });
  assert.equal(status.v1beta2, undefined);
  assert.deepEqual(validateObject(clone(hub), version(capi12, 'Machine', 'v1beta2').schema), { unknown: [], causes: [] });
  assert.deepEqual(withoutConversionData(fromStorage(capi12, 'Machine', hub)), machineV1beta1);
});

test('Machine conversion: durations are whole seconds and come back in Go formatting', () => {
  const typed = clone(machineV1beta1) as { spec: Record<string, unknown> };
  typed.spec.nodeDrainTimeout = '1.9s';
  typed.spec.nodeVolumeDetachTimeout = '600s';
  typed.spec.nodeDeletionTimeout = '1h30m';
  const hub = toStorage(capi12, 'Machine', typed);
  assert.deepEqual((hub.spec as Record<string, unknown>).deletion, { nodeDrainTimeoutSeconds: 1, nodeVolumeDetachTimeoutSeconds: 600, nodeDeletionTimeoutSeconds: 5400 });
  const back = fromStorage(capi12, 'Machine', hub).spec as Record<string, unknown>;
  assert.deepEqual([back.nodeDrainTimeout, back.nodeVolumeDetachTimeout, back.nodeDeletionTimeout], ['1s', '10m0s', '1h30m0s']);
  const broken = clone(machineV1beta1) as { spec: Record<string, unknown> };
  broken.spec.nodeDrainTimeout = 'ten minutes';
  assert.throws(() => toStorage(capi12, 'Machine', broken), (err: unknown) => err instanceof ApiError && err.code === 500 && /invalid duration/.test(err.message));
});

test('Machine conversion: false booleans keep their intent only through the conversion-data annotation', () => {
  const pending = clone(machineV1beta1) as { status: Record<string, unknown> };
  pending.status.bootstrapReady = false;
  pending.status.infrastructureReady = false;
  // Without the annotation, false means "not set" in v1beta2.
  assert.equal((toStorage(capi12, 'Machine', pending).status as Record<string, unknown>).initialization, undefined);
  // Read at v1beta1 and written back: the explicit false survives.
  const b1 = fromStorage(capi12, 'Machine', machineV1beta2);
  assert.equal((b1.status as Record<string, unknown>).infrastructureReady, false);
  const hub = toStorage(capi12, 'Machine', b1);
  assert.deepEqual((hub.status as Record<string, unknown>).initialization, { bootstrapDataSecretCreated: true, infrastructureProvisioned: false });
  assert.equal(hub.metadata.annotations, undefined, 'the annotation never reaches storage');
});

test('Machine conversion: a v1beta1 edit of the drain timeout reaches storage; v1beta2-only fields survive', () => {
  const b1 = fromStorage(capi12, 'Machine', machineV1beta2);
  (b1.spec as Record<string, unknown>).nodeDrainTimeout = '2m';
  delete (b1.spec as Record<string, unknown>).nodeVolumeDetachTimeout;
  const hub = toStorage(capi12, 'Machine', b1);
  assert.deepEqual((hub.spec as Record<string, unknown>).deletion, { nodeDrainTimeoutSeconds: 120, nodeDeletionTimeoutSeconds: 10 });
  assert.deepEqual((hub.spec as Record<string, unknown>).taints, machineV1beta2.spec.taints);
  assert.equal((hub.spec as Record<string, unknown>).minReadySeconds, 10);
});

const machineSpecV1beta2 = {
  clusterName: 'prow',
  bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'prow-md-0' } },
  infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'prow-md-0-v2' },
  version: 'v1.32.4',
  failureDomain: 'nova',
  minReadySeconds: 30,
  deletion: { nodeDrainTimeoutSeconds: 900, nodeVolumeDetachTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 10 },
};

const machineDeploymentV1beta2 = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: { name: 'prow-md-0', namespace: 'default', generation: 4, annotations: { 'machinedeployment.clusters.x-k8s.io/revision': '3' } },
  spec: {
    clusterName: 'prow',
    replicas: 3,
    selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'prow', 'cluster.x-k8s.io/deployment-name': 'prow-md-0' } },
    template: { metadata: { labels: { 'cluster.x-k8s.io/cluster-name': 'prow', 'cluster.x-k8s.io/deployment-name': 'prow-md-0' } }, spec: machineSpecV1beta2 },
    rollout: { after: '2025-07-01T00:00:00Z', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    deletion: { order: 'Oldest' },
    remediation: { maxInFlight: '30%' },
    machineNaming: { template: '{{ .machineSet.name }}-{{ .random }}' },
    paused: false,
  },
  status: {
    selector: 'cluster.x-k8s.io/cluster-name=prow,cluster.x-k8s.io/deployment-name=prow-md-0',
    replicas: 4,
    readyReplicas: 3,
    availableReplicas: 3,
    upToDateReplicas: 1,
    phase: 'ScalingUp',
    observedGeneration: 4,
    conditions: [
      { type: 'Available', status: 'True', reason: 'Available', message: '', lastTransitionTime: '2025-06-01T10:00:00Z', observedGeneration: 4 },
      { type: 'RollingOut', status: 'True', reason: 'RollingOut', message: 'Rolling out 2 not up-to-date replicas', lastTransitionTime: '2025-06-01T11:50:00Z', observedGeneration: 4 },
    ],
    deprecated: {
      v1beta1: {
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:00Z' }],
        readyReplicas: 3,
        availableReplicas: 3,
        updatedReplicas: 1,
        unavailableReplicas: 1,
      },
    },
  },
};

test('MachineDeployment conversion: rollout, deletion order, counters and conditions', () => {
  const b1 = fromStorage(capi12, 'MachineDeployment', machineDeploymentV1beta2);
  const spec = b1.spec as Record<string, unknown>;
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1, deletePolicy: 'Oldest' }, remediation: { maxInFlight: '30%' } });
  assert.equal(spec.rolloutAfter, '2025-07-01T00:00:00Z');
  assert.equal(spec.minReadySeconds, 30);
  assert.deepEqual(spec.machineNamingStrategy, { template: '{{ .machineSet.name }}-{{ .random }}' });
  assert.equal(spec.paused, undefined, 'a false bool is omitted in v1beta1');
  const template = (spec.template as { spec: Record<string, unknown> }).spec;
  assert.equal(template.nodeDrainTimeout, '15m0s');
  assert.deepEqual(template.infrastructureRef, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate', namespace: 'default', name: 'prow-md-0-v2' });
  const status = b1.status as Record<string, unknown>;
  // Old semantics at the top level of v1beta1, new ones under status.v1beta2.
  assert.deepEqual([status.replicas, status.readyReplicas, status.availableReplicas, status.updatedReplicas, status.unavailableReplicas], [4, 3, 3, 1, 1]);
  assert.deepEqual(status.v1beta2, { conditions: machineDeploymentV1beta2.status.conditions, readyReplicas: 3, availableReplicas: 3, upToDateReplicas: 1 });
  assert.deepEqual(status.conditions, machineDeploymentV1beta2.status.deprecated.v1beta1.conditions);
  assert.deepEqual(validateObject(clone(b1), version(capi12, 'MachineDeployment', 'v1beta1').schema), { unknown: [], causes: [] });
  assert.deepEqual(toStorage(capi12, 'MachineDeployment', b1), machineDeploymentV1beta2);
});

test('MachineDeployment conversion: a CAPI 1.10-style v1beta1 object round trips through storage', () => {
  const v1beta1 = {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: { name: 'prow-md-0', namespace: 'default' },
    spec: {
      clusterName: 'prow',
      replicas: 3,
      selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': 'prow-md-0' } },
      template: {
        metadata: { labels: { 'cluster.x-k8s.io/deployment-name': 'prow-md-0' } },
        spec: {
          clusterName: 'prow',
          bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfigTemplate', namespace: 'default', name: 'prow-md-0' } },
          infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate', namespace: 'default', name: 'prow-md-0-v1' },
          version: 'v1.31.6',
          nodeDrainTimeout: '5m0s',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0, deletePolicy: 'Newest' } },
      minReadySeconds: 0,
      paused: true,
    },
    status: {
      selector: 'cluster.x-k8s.io/deployment-name=prow-md-0',
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
      phase: 'Running',
      observedGeneration: 7,
      conditions: [{ type: 'Available', status: 'False', severity: 'Warning', reason: 'WaitingForAvailableMachines', lastTransitionTime: '2025-06-01T11:58:00Z' }],
    },
  };
  const hub = toStorage(capi12, 'MachineDeployment', v1beta1);
  assert.deepEqual(hub.spec, {
    clusterName: 'prow',
    replicas: 3,
    selector: v1beta1.spec.selector,
    template: {
      metadata: v1beta1.spec.template.metadata,
      spec: {
        clusterName: 'prow',
        bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'prow-md-0' } },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'prow-md-0-v1' },
        version: 'v1.31.6',
        deletion: { nodeDrainTimeoutSeconds: 300 },
        minReadySeconds: 0,
      },
    },
    rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    deletion: { order: 'Newest' },
    paused: true,
  });
  assert.deepEqual(hub.status, {
    selector: v1beta1.status.selector,
    replicas: 3,
    phase: 'Running',
    observedGeneration: 7,
    deprecated: { v1beta1: { conditions: v1beta1.status.conditions, availableReplicas: 2, unavailableReplicas: 1, updatedReplicas: 3, readyReplicas: 2 } },
  });
  assert.deepEqual(validateObject(clone(hub), version(capi12, 'MachineDeployment', 'v1beta2').schema), { unknown: [], causes: [] });
  assert.deepEqual(withoutConversionData(fromStorage(capi12, 'MachineDeployment', hub)), v1beta1);
  // Fields removed in v1beta2 are lost, as CAPI documents.
  const legacy = { ...v1beta1, spec: { ...v1beta1.spec, revisionHistoryLimit: 1, progressDeadlineSeconds: 600 } };
  const roundTrip = fromStorage(capi12, 'MachineDeployment', toStorage(capi12, 'MachineDeployment', legacy)).spec as Record<string, unknown>;
  assert.equal(roundTrip.revisionHistoryLimit, undefined);
  assert.equal(roundTrip.progressDeadlineSeconds, undefined);
});

const machineSetV1beta2 = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineSet',
  metadata: { name: 'prow-md-0-5d8f9', namespace: 'default', labels: { 'cluster.x-k8s.io/deployment-name': 'prow-md-0', 'machine-template-hash': '1234567890' } },
  spec: {
    clusterName: 'prow',
    replicas: 3,
    selector: { matchLabels: { 'machine-template-hash': '1234567890' } },
    template: { metadata: { labels: { 'machine-template-hash': '1234567890' } }, spec: machineSpecV1beta2 },
    deletion: { order: 'Random' },
    machineNaming: { template: '{{ .machineSet.name }}-{{ .random }}' },
  },
  status: {
    selector: 'machine-template-hash=1234567890',
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 2,
    upToDateReplicas: 3,
    observedGeneration: 1,
    conditions: [{ type: 'MachinesReady', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2025-06-01T10:00:00Z', observedGeneration: 1 }],
    deprecated: { v1beta1: { readyReplicas: 3, availableReplicas: 2, fullyLabeledReplicas: 3 } },
  },
};

test('MachineSet conversion round trips and moves minReadySeconds and the delete policy', () => {
  const b1 = fromStorage(capi12, 'MachineSet', machineSetV1beta2);
  const spec = b1.spec as Record<string, unknown>;
  assert.equal(spec.minReadySeconds, 30);
  assert.equal(spec.deletePolicy, 'Random');
  assert.deepEqual(spec.machineNamingStrategy, { template: '{{ .machineSet.name }}-{{ .random }}' });
  const status = b1.status as Record<string, unknown>;
  assert.deepEqual([status.replicas, status.fullyLabeledReplicas, status.readyReplicas, status.availableReplicas], [3, 3, 3, 2]);
  assert.deepEqual(status.v1beta2, { conditions: machineSetV1beta2.status.conditions, readyReplicas: 3, availableReplicas: 2, upToDateReplicas: 3 });
  assert.deepEqual(validateObject(clone(b1), version(capi12, 'MachineSet', 'v1beta1').schema), { unknown: [], causes: [] });
  assert.deepEqual(toStorage(capi12, 'MachineSet', b1), machineSetV1beta2);
  const hub = toStorage(capi12, 'MachineSet', withoutConversionData(b1));
  assert.deepEqual(withoutConversionData(fromStorage(capi12, 'MachineSet', hub)), withoutConversionData(b1));
});

const clusterV1beta2 = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name: 'prow', namespace: 'default' },
  spec: {
    clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'cluster.local' },
    controlPlaneEndpoint: { host: '203.0.113.20', port: 6443 },
    controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'prow-control-plane' },
    infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackCluster', name: 'prow' },
    paused: false,
  },
  status: {
    phase: 'Provisioned',
    observedGeneration: 2,
    initialization: { controlPlaneInitialized: true, infrastructureProvisioned: true },
    controlPlane: { desiredReplicas: 3, replicas: 3, upToDateReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
    workers: { desiredReplicas: 3, replicas: 4, upToDateReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
    failureDomains: [{ name: 'az-1', controlPlane: true }, { name: 'az-2', controlPlane: false, attributes: { zone: 'b' } }],
    conditions: [{ type: 'Available', status: 'True', reason: 'Available', message: '', lastTransitionTime: '2025-06-01T10:00:00Z', observedGeneration: 2 }],
    deprecated: { v1beta1: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:00Z' }] } },
  },
};

test('Cluster conversion: references, paused, initialization, failure domains, counters', () => {
  const b1 = fromStorage(capi12, 'Cluster', clusterV1beta2);
  const spec = b1.spec as Record<string, unknown>;
  assert.deepEqual(spec.controlPlaneRef, { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: 'default', name: 'prow-control-plane' });
  assert.deepEqual(spec.infrastructureRef, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackCluster', namespace: 'default', name: 'prow' });
  assert.equal(spec.paused, undefined);
  const status = b1.status as Record<string, unknown>;
  assert.equal(status.controlPlaneReady, true);
  assert.equal(status.infrastructureReady, true);
  assert.deepEqual(status.failureDomains, { 'az-1': { controlPlane: true }, 'az-2': { attributes: { zone: 'b' } } });
  assert.deepEqual(status.v1beta2, { conditions: clusterV1beta2.status.conditions, controlPlane: clusterV1beta2.status.controlPlane, workers: clusterV1beta2.status.workers });
  assert.deepEqual(validateObject(clone(b1), version(capi12, 'Cluster', 'v1beta1').schema), { unknown: [], causes: [] });
  assert.deepEqual(toStorage(capi12, 'Cluster', b1), clusterV1beta2);
  // The v1beta2 printer column reads the converted counters.
  const columns = cells(version(capi12, 'Cluster', 'v1beta2'), { ...clusterV1beta2, metadata: { ...clusterV1beta2.metadata, creationTimestamp: '2025-06-01T11:00:00Z' } });
  assert.deepEqual(columns.slice(0, 4), ['prow', null, 'True', 3]);
});

const controlPlaneV1beta2 = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: { name: 'prow-control-plane', namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
  spec: {
    replicas: 3,
    version: 'v1.32.4',
    machineTemplate: {
      metadata: { labels: { role: 'control-plane' } },
      spec: {
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'prow-control-plane-v2' },
        deletion: { nodeDrainTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 10 },
      },
    },
    kubeadmConfigSpec: {
      clusterConfiguration: {
        apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }, { name: 'profiling', value: 'false' }] },
        controllerManager: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] },
        certificateValidityPeriodDays: 365,
      },
      initConfiguration: {
        nodeRegistration: { name: '{{ local_hostname }}', kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }, { name: 'provider-id', value: 'openstack:///{{ instance_id }}' }] },
        timeouts: { controlPlaneComponentHealthCheckSeconds: 240 },
      },
      joinConfiguration: {
        nodeRegistration: { name: '{{ local_hostname }}', kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] },
        timeouts: { controlPlaneComponentHealthCheckSeconds: 240, tlsBootstrapSeconds: 300 },
      },
      files: [{ path: '/etc/kubernetes/audit-policy.yaml', content: 'apiVersion: audit.k8s.io/v1\nkind: Policy\n', owner: 'root:root', permissions: '0600' }],
    },
    rollout: { before: { certificatesExpiryDays: 21 }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
    remediation: { maxRetry: 5, retryPeriodSeconds: 300, minHealthyPeriodSeconds: 3600 },
  },
  status: {
    selector: 'cluster.x-k8s.io/cluster-name=prow,cluster.x-k8s.io/control-plane',
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    upToDateReplicas: 2,
    version: 'v1.32.4',
    observedGeneration: 3,
    initialization: { controlPlaneInitialized: true },
    lastRemediation: { machine: 'prow-control-plane-x8d2k', time: '2025-05-20T08:00:00Z', retryCount: 1 },
    conditions: [{ type: 'RollingOut', status: 'True', reason: 'RollingOut', message: '', lastTransitionTime: '2025-06-01T11:50:00Z', observedGeneration: 3 }],
    deprecated: { v1beta1: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:00Z' }], readyReplicas: 3, updatedReplicas: 2, unavailableReplicas: 0 } },
  },
};

test('KubeadmControlPlane conversion: machine template, rollout, remediation, kubeadm config, status', () => {
  const b1 = fromStorage(capi12, 'KubeadmControlPlane', controlPlaneV1beta2);
  const spec = b1.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(spec.machineTemplate, {
    metadata: { labels: { role: 'control-plane' } },
    infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate', namespace: 'default', name: 'prow-control-plane-v2' },
    nodeDrainTimeout: '5m0s',
    nodeDeletionTimeout: '10s',
  });
  assert.deepEqual(spec.rolloutBefore, { certificatesExpiryDays: 21 });
  assert.deepEqual(spec.rolloutStrategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } });
  assert.deepEqual(spec.remediationStrategy, { maxRetry: 5, minHealthyPeriod: '1h0m0s', retryPeriod: '5m0s' });
  const kubeadm = spec.kubeadmConfigSpec;
  assert.deepEqual(kubeadm.clusterConfiguration.apiServer, { extraArgs: { 'cloud-provider': 'external', profiling: 'false' }, timeoutForControlPlane: '4m0s' });
  assert.deepEqual(kubeadm.initConfiguration.nodeRegistration.kubeletExtraArgs, { 'cloud-provider': 'external', 'provider-id': 'openstack:///{{ instance_id }}' });
  assert.equal(kubeadm.joinConfiguration.discovery.timeout, '5m0s');
  assert.equal(kubeadm.initConfiguration.timeouts, undefined);
  const status = b1.status as Record<string, unknown>;
  assert.deepEqual([status.replicas, status.readyReplicas, status.updatedReplicas, status.unavailableReplicas, status.initialized, status.ready], [3, 3, 2, 0, true, true]);
  assert.deepEqual(status.v1beta2, { conditions: controlPlaneV1beta2.status.conditions, readyReplicas: 3, availableReplicas: 3, upToDateReplicas: 2 });
  assert.deepEqual(status.lastRemediation, { machine: 'prow-control-plane-x8d2k', timestamp: '2025-05-20T08:00:00Z', retryCount: 1 });
  assert.deepEqual(validateObject(clone(b1), version(capi12, 'KubeadmControlPlane', 'v1beta1').schema), { unknown: [], causes: [] });
  assert.deepEqual(toStorage(capi12, 'KubeadmControlPlane', b1), controlPlaneV1beta2);
});

test('KubeadmControlPlane conversion: a v1beta1 object written by a CAPI 1.10 client', () => {
  const v1beta1 = {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'KubeadmControlPlane',
    metadata: { name: 'prow-control-plane', namespace: 'default' },
    spec: {
      replicas: 3,
      version: 'v1.31.6',
      machineTemplate: {
        infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate', namespace: 'default', name: 'prow-control-plane-v1' },
        nodeDrainTimeout: '10m0s',
      },
      kubeadmConfigSpec: {
        clusterConfiguration: { apiServer: { extraArgs: { 'cloud-provider': 'external' } } },
        initConfiguration: { nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external' } } },
        joinConfiguration: { nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external' } } },
        useExperimentalRetryJoin: true,
      },
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, unavailableReplicas: 0, initialized: true, ready: true, version: 'v1.31.6' },
  };
  const hub = toStorage(capi12, 'KubeadmControlPlane', v1beta1);
  assert.deepEqual(hub.spec, {
    replicas: 3,
    version: 'v1.31.6',
    machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'prow-control-plane-v1' }, deletion: { nodeDrainTimeoutSeconds: 600 } } },
    kubeadmConfigSpec: {
      clusterConfiguration: { apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
      initConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
      joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
    },
    rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
  });
  assert.deepEqual(hub.status, {
    replicas: 3,
    version: 'v1.31.6',
    initialization: { controlPlaneInitialized: true },
    deprecated: { v1beta1: { updatedReplicas: 3, readyReplicas: 3, unavailableReplicas: 0 } },
  });
  assert.deepEqual(validateObject(clone(hub), version(capi12, 'KubeadmControlPlane', 'v1beta2').schema), { unknown: [], causes: [] });
  const back = withoutConversionData(fromStorage(capi12, 'KubeadmControlPlane', hub));
  const expected = clone(v1beta1) as { spec: { kubeadmConfigSpec: Record<string, unknown>; machineTemplate: Record<string, unknown> } };
  delete expected.spec.kubeadmConfigSpec.useExperimentalRetryJoin; // removed in v1beta2, lost on the way
  expected.spec.machineTemplate = { metadata: {}, ...expected.spec.machineTemplate }; // a Go struct, always written
  assert.deepEqual(back, expected);
});

test('the column values of converted objects match what each version prints', () => {
  const md = toStorage(capi12, 'MachineDeployment', fromStorage(capi12, 'MachineDeployment', machineDeploymentV1beta2));
  const withAge = (o: KubeObject): Record<string, unknown> => ({ ...o, metadata: { ...o.metadata, creationTimestamp: '2025-06-01T11:00:00Z' } });
  assert.deepEqual(cells(version(capi12, 'MachineDeployment', 'v1beta2'), withAge(md)), ['prow-md-0', 'prow', 'True', 3, 4, 3, 3, 1, null, 'ScalingUp', '60m', 'v1.32.4']);
  const b1 = fromStorage(capi12, 'MachineDeployment', machineDeploymentV1beta2);
  assert.deepEqual(cells(version(capi12, 'MachineDeployment', 'v1beta1'), withAge(b1)), ['prow-md-0', 'prow', 3, 4, 3, 1, 1, 'ScalingUp', '60m', 'v1.32.4']);
});

test('validate hooks accept the realistic objects of every kind and version', () => {
  const samples: [ResourceDef[], string, string, Record<string, unknown>][] = [
    [capi12, 'Machine', 'v1beta2', machineV1beta2],
    [capi12, 'Machine', 'v1beta1', machineV1beta1],
    [capi12, 'MachineDeployment', 'v1beta2', machineDeploymentV1beta2],
    [capi12, 'MachineSet', 'v1beta2', machineSetV1beta2],
    [capi12, 'Cluster', 'v1beta2', clusterV1beta2],
    [capi12, 'KubeadmControlPlane', 'v1beta2', controlPlaneV1beta2],
    [capi12, 'OpenStackCluster', 'v1beta1', openStackCluster],
    [capi12, 'ProwJob', 'v1', prowJob],
  ];
  for (const [defs, kind, name, sample] of samples) {
    const v = version(defs, kind, name);
    assert.deepEqual(v.validate!(obj(sample), undefined), [], `${kind} ${name}`);
    assert.deepEqual(admit(defs, kind, name, sample).causes, [], `${kind} ${name}`);
  }
  // The KCP rule on extraArgs names: duplicates are rejected.
  const dup = clone(controlPlaneV1beta2) as { spec: { kubeadmConfigSpec: { clusterConfiguration: { apiServer: { extraArgs: unknown[] } } } } };
  dup.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs.push({ name: 'profiling', value: 'true' });
  assert.deepEqual(version(capi12, 'KubeadmControlPlane', 'v1beta2').validate!(dup as unknown as KubeObject, undefined).map((c) => [c.field, c.message]), [
    ['spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs', 'Invalid value: "array": extraArgs name must be unique'],
  ]);
});

test('schema rules keep working on CRDs with the combinators the simulator does not model', () => {
  const schema: CrdSchema = { type: 'object', properties: { spec: { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }], properties: { a: { type: 'string' }, b: { type: 'string' } } } } };
  const rules = compileRules(schema);
  assert.deepEqual(rules.validate({ spec: { a: 'x' } }, undefined), []);
  assert.equal(rules.validate({ spec: { a: 'x', b: 'y' } }, undefined)[0]!.message, 'Invalid value: "": "spec" must validate one and only one schema (oneOf)');
});

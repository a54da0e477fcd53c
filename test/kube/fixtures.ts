// Raw API objects as the API server returns them, per version, written by hand from the field maps in
// cluster-apis.md (shapes only; values chosen so that expected results can be checked by hand).
/* eslint-disable @typescript-eslint/no-explicit-any -- raw JSON fixtures */

/** A v1beta1 (CAPI 1.10) Machine owned by a MachineSet of prow-md-0, deleting and draining. */
export const machineV1beta1: any = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Machine',
  metadata: {
    name: 'prow-md-0-abc12-xx8k7',
    namespace: 'default',
    uid: 'u-m1',
    resourceVersion: '101',
    creationTimestamp: '2026-01-01T10:00:00Z',
    deletionTimestamp: '2026-01-01T12:00:00Z',
    labels: {
      'cluster.x-k8s.io/cluster-name': 'prow',
      'cluster.x-k8s.io/deployment-name': 'prow-md-0',
      'cluster.x-k8s.io/set-name': 'prow-md-0-abc12',
      'machine-template-hash': 'abc12',
    },
    annotations: { 'machine.cluster.x-k8s.io/exclude-node-draining': '' },
    ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineSet', name: 'prow-md-0-abc12', uid: 'u-ms', controller: true }],
    managedFields: [{ manager: 'capi', operation: 'Update' }],
  },
  spec: {
    clusterName: 'prow',
    version: 'v1.31.4',
    providerID: 'openstack:///5d1f3c0e-aaaa-bbbb-cccc-000000000001',
    nodeDrainTimeout: '10m0s',
    nodeVolumeDetachTimeout: '15m',
    infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha7', kind: 'OpenStackMachine', name: 'prow-md-0-xx8k7', namespace: 'default' },
    bootstrap: { dataSecretName: 'x' },
  },
  status: {
    phase: 'Deleting',
    nodeRef: { apiVersion: 'v1', kind: 'Node', name: 'prow-md-0-xx8k7', uid: 'u-n1' },
    bootstrapReady: true,
    infrastructureReady: true,
    deletion: { nodeDrainStartTime: '2026-01-01T12:01:00Z' },
    conditions: [
      { type: 'Ready', status: 'False', severity: 'Info', reason: 'Deleting', lastTransitionTime: '2026-01-01T12:00:00Z' },
      { type: 'DrainingSucceeded', status: 'False', severity: 'Info', reason: 'Draining', message: 'Draining the node before deletion\nPods: test-pods/abc', lastTransitionTime: '2026-01-01T12:01:00Z' },
    ],
    v1beta2: {
      conditions: [
        { type: 'Deleting', status: 'True', reason: 'DrainingNode', message: 'Drain not completed yet (started at 2026-01-01T12:01:00Z):\n* Pod test-pods/abc: deletionTimestamp set', lastTransitionTime: '2026-01-01T12:01:00Z' },
        { type: 'UpToDate', status: 'True', reason: 'UpToDate', lastTransitionTime: '2026-01-01T10:05:00Z' },
      ],
    },
  },
};

/** The same kind of Machine in v1beta2 (CAPI 1.12): running, KCP-owned control-plane machine. */
export const machineV1beta2: any = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Machine',
  metadata: {
    name: 'prow-control-plane-kdqx4',
    namespace: 'default',
    uid: 'u-m2',
    resourceVersion: '202',
    creationTimestamp: '2026-01-01T09:00:00Z',
    labels: { 'cluster.x-k8s.io/cluster-name': 'prow', 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': 'prow-control-plane' },
    annotations: { 'cluster.x-k8s.io/delete-machine': 'yes' },
    ownerReferences: [{ apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', name: 'prow-control-plane', uid: 'u-kcp', controller: true }],
  },
  spec: {
    clusterName: 'prow',
    version: 'v1.31.4',
    providerID: 'openstack://RegionOne/5d1f3c0e-aaaa-bbbb-cccc-000000000002',
    deletion: { nodeDrainTimeoutSeconds: 600, nodeDeletionTimeoutSeconds: 10 },
    infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachine', name: 'prow-control-plane-kdqx4' },
  },
  status: {
    phase: 'Running',
    nodeRef: { name: 'prow-control-plane-kdqx4' },
    initialization: { bootstrapDataSecretCreated: true, infrastructureProvisioned: true },
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: '2026-01-01T09:10:00Z' },
      { type: 'NodeHealthy', status: 'True', reason: 'NodeHealthy', lastTransitionTime: '2026-01-01T09:10:00Z' },
    ],
    deprecated: { v1beta1: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T09:10:00Z' }], failureReason: 'UpdateError', failureMessage: 'old failure' } },
  },
};

/** A v1beta1 MachineDeployment mid-rollout (old counter semantics). */
export const machineDeploymentV1beta1: any = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'MachineDeployment',
  metadata: { name: 'prow-md-0', namespace: 'default', uid: 'u-md', resourceVersion: '300', generation: 4, creationTimestamp: '2026-01-01T08:00:00Z' },
  spec: {
    clusterName: 'prow',
    replicas: 3,
    template: { spec: { clusterName: 'prow', version: 'v1.31.4', nodeDrainTimeout: '5m0s', bootstrap: {}, infrastructureRef: {} } },
  },
  status: {
    replicas: 4, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 1, unavailableReplicas: 1, observedGeneration: 4, phase: 'ScalingUp',
    v1beta2: { readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 1, conditions: [{ type: 'RollingOut', status: 'True', reason: 'RollingOut', lastTransitionTime: '2026-01-01T11:00:00Z' }] },
  },
};

/** A v1beta2 MachineDeployment, settled. */
export const machineDeploymentV1beta2: any = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: { name: 'prow-md-0', namespace: 'default', uid: 'u-md2', resourceVersion: '301', generation: 2, creationTimestamp: '2026-01-01T08:00:00Z' },
  spec: {
    clusterName: 'prow',
    replicas: 2,
    paused: true,
    template: { spec: { clusterName: 'prow', version: 'v1.32.0', deletion: { nodeDrainTimeoutSeconds: 300, nodeVolumeDetachTimeoutSeconds: 900 } } },
  },
  status: {
    replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2, observedGeneration: 2, phase: 'Running',
    conditions: [{ type: 'RollingOut', status: 'False', reason: 'NotRollingOut', lastTransitionTime: '2026-01-01T09:00:00Z' }],
    deprecated: { v1beta1: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 } },
  },
};

/** KubeadmControlPlanes in both versions. */
export const kcpV1beta1: any = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
  kind: 'KubeadmControlPlane',
  metadata: { name: 'prow-control-plane', namespace: 'default', uid: 'u-kcp', resourceVersion: '400', generation: 1, labels: { 'cluster.x-k8s.io/cluster-name': 'prow' } },
  spec: { replicas: 1, version: 'v1.31.4', machineTemplate: { nodeDrainTimeout: '2m', infrastructureRef: {} } },
  status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, unavailableReplicas: 0, version: 'v1.31.4', initialized: true, ready: true, v1beta2: { availableReplicas: 1 } },
};
export const kcpV1beta2: any = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: { name: 'prow-control-plane', namespace: 'default', uid: 'u-kcp2', resourceVersion: '401', generation: 3, annotations: { 'cluster.x-k8s.io/paused': '' } },
  spec: { replicas: 3, version: 'v1.32.0', machineTemplate: { spec: { deletion: { nodeDrainTimeoutSeconds: 120 } } } },
  status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, upToDateReplicas: 1, version: 'v1.31.4', observedGeneration: 3, initialization: { controlPlaneInitialized: true } },
};

/** OpenStackClusters in the three CAPO versions. */
export const oscV1alpha6: any = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha6',
  kind: 'OpenStackCluster',
  metadata: { name: 'prow', namespace: 'default', uid: 'u-o6', resourceVersion: '6' },
  spec: {
    bastion: { enabled: true, instance: { image: 'ubuntu-20.04', flavor: 'm1.small' } },
    apiServerLoadBalancer: { enabled: true, allowedCidrs: ['10.6.0.0/24'] },
  },
  status: {
    ready: true,
    bastion: { id: 'b-1', state: 'ACTIVE', floatingIP: '203.0.113.10', ip: '10.6.0.5', securigyGroups: [] },
    network: { apiServerLoadBalancer: { ip: '203.0.113.1', allowedCIDRs: ['10.6.0.0/24', '203.0.113.10/32'] } },
  },
};
export const oscV1alpha7: any = {
  ...oscV1alpha6,
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha7',
  spec: { bastion: { instance: { imageUUID: '8f0e2f4a-img', flavor: 'm1.small', floatingIP: '203.0.113.99' } }, apiServerLoadBalancer: { enabled: true } },
  status: { ready: false, apiServerLoadBalancer: { ip: '203.0.113.2', allowedCIDRs: ['0.0.0.0/0'] } },
};
export const oscV1beta1: any = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'OpenStackCluster',
  metadata: { name: 'prow', namespace: 'default', uid: 'u-o1', resourceVersion: '7' },
  spec: {
    bastion: { spec: { image: { filter: { name: 'ubuntu-22.04', tags: ['bastion'] } }, flavor: 'm1.small' }, floatingIP: '203.0.113.50' },
    apiServerLoadBalancer: { allowedCIDRs: ['10.6.0.0/24', '198.51.100.7/32'] },
    controlPlaneEndpoint: { host: '203.0.113.3', port: 6443 },
  },
  status: {
    ready: true,
    bastion: { id: 'b-2', name: 'prow-bastion', state: 'BUILD', floatingIP: '203.0.113.50', ip: '10.6.0.9' },
    apiServerLoadBalancer: { ip: '203.0.113.3', allowedCIDRs: ['10.6.0.0/24', '198.51.100.7/32', '203.0.113.50/32', '10.6.0.9/32'] },
  },
};

/** A ProwJob with a full pod_spec and a job name longer than a label allows. */
export const longJobName = 'pull-cluster-api-provider-openstack-e2e-full-test-with-a-very-long-name-v1beta1';
export const prowJob: any = {
  apiVersion: 'prow.k8s.io/v1',
  kind: 'ProwJob',
  metadata: {
    name: '0b6f8e2a-1111-2222-3333-444455556666',
    namespace: 'prow',
    uid: 'u-pj',
    resourceVersion: '500',
    creationTimestamp: '2026-01-01T11:00:00Z',
    labels: { 'created-by-prow': 'true', 'prow.k8s.io/job': longJobName.slice(0, 63), 'prow.k8s.io/type': 'presubmit', 'prow.k8s.io/refs.pull': '42' },
    annotations: { 'prow.k8s.io/job': longJobName, 'prow.k8s.io/context': 'ctx' },
    managedFields: [{ manager: 'plank' }],
  },
  spec: {
    type: 'presubmit',
    agent: 'kubernetes',
    cluster: 'default',
    job: longJobName,
    refs: { org: 'kubernetes-sigs', repo: 'cluster-api-provider-openstack', base_ref: 'main', pulls: [{ number: 42, author: 'alice', sha: 'abc' }, { number: 43, author: 'bob' }] },
    pod_spec: {
      containers: [
        { name: 'test', image: 'golang:1.24', command: ['make', 'test'], resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } } },
        { name: 'sidecar', image: 'x', resources: { requests: { cpu: '100m' } } },
      ],
      volumes: [{ name: 'cache', emptyDir: {} }],
    },
    decoration_config: { timeout: '2h' },
  },
  status: { state: 'pending', startTime: '2026-01-01T11:00:00Z', pendingTime: '2026-01-01T11:00:05Z', pod_name: '0b6f8e2a-1111-2222-3333-444455556666', build_id: '1234', url: 'https://prow.example/view/1234' },
};

/** A Node that stopped reporting (Ready=Unknown, unreachable taints). */
export const nodeUnknown: any = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'prow-md-0-xx8k7',
    uid: 'u-n1',
    resourceVersion: '900',
    creationTimestamp: '2026-01-01T10:00:00Z',
    labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/hostname': 'prow-md-0-xx8k7' },
    annotations: { 'cluster.x-k8s.io/machine': 'prow-md-0-abc12-xx8k7', 'cluster.x-k8s.io/cluster-namespace': 'default' },
    managedFields: [{}],
  },
  spec: {
    providerID: 'openstack:///5d1f3c0e-aaaa-bbbb-cccc-000000000001',
    unschedulable: true,
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T11:59:00Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ],
  },
  status: {
    capacity: { cpu: '8', memory: '16Gi', pods: '110' },
    allocatable: { cpu: '7800m', memory: '15Gi', pods: '110' },
    conditions: [
      { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown' },
      { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' },
      { type: 'PIDPressure', status: 'False' },
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: '2026-01-01T11:58:00Z', lastTransitionTime: '2026-01-01T11:59:00Z' },
    ],
    addresses: [{ type: 'InternalIP', address: '10.6.0.21' }, { type: 'Hostname', address: 'prow-md-0-xx8k7' }],
    nodeInfo: { kubeletVersion: 'v1.31.4' },
    volumesAttached: [{ name: 'kubernetes.io/csi/cinder^vol-1', devicePath: '' }],
  },
};

/** A test pod of the ProwJob above, running on the node above. */
export const testPod: any = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: prowJob.metadata.name,
    namespace: 'test-pods',
    uid: 'u-p1',
    resourceVersion: '950',
    creationTimestamp: '2026-01-01T11:00:06Z',
    labels: { 'created-by-prow': 'true', 'prow.k8s.io/id': prowJob.metadata.name, 'prow.k8s.io/job': longJobName.slice(0, 63), 'prow.k8s.io/type': 'presubmit' },
    annotations: { 'prow.k8s.io/job': longJobName },
  },
  spec: {
    nodeName: 'prow-md-0-xx8k7',
    initContainers: [{ name: 'clonerefs', resources: { requests: { cpu: '3', memory: '100Mi' } } }],
    containers: [
      { name: 'test', resources: { requests: { cpu: '2', memory: '4Gi' } } },
      { name: 'sidecar', resources: { requests: { cpu: '100m' } } },
    ],
    overhead: { cpu: '50m' },
  },
  status: {
    phase: 'Running',
    startTime: '2026-01-01T11:00:07Z',
    initContainerStatuses: [{ name: 'clonerefs', state: { terminated: { exitCode: 0, reason: 'Completed' } }, ready: true, restartCount: 0 }],
    containerStatuses: [
      { name: 'sidecar', state: { running: {} }, ready: true, restartCount: 1 },
      { name: 'test', state: { running: {} }, ready: true, restartCount: 2 },
    ],
  },
};

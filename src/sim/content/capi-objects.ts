// Builders of the Cluster API objects of the simulated cluster, in either API version, with the field names of
// cluster-apis.md: Cluster `prow`, KubeadmControlPlane `prow-control-plane`, MachineDeployment `prow-md-0`, the
// MachineSets the MachineDeployment controller creates, and Machines as MachineSets and the KCP create them.
import { clone, getPath, isObject, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import { capiLabels, controllerRef, groups, objectRef, type CapiVersion } from './capi.js';
import { infraApiVersion } from './capo.js';

/** The object names of the cluster (operations.md "The shape of a typical cluster"). */
export function clusterNames(s: Scenario) {
  return {
    cluster: s.clusterName,
    namespace: s.clusterNamespace,
    kcp: `${s.clusterName}-control-plane`,
    md: `${s.clusterName}-md-0`,
    cpTemplate: `${s.clusterName}-control-plane`,
    mdTemplate: `${s.clusterName}-md-0`,
  };
}

const apiVersion = (v: CapiVersion) => `${groups.core}/${v}`;
const cpApiVersion = (v: CapiVersion) => `${groups.controlPlane}/${v}`;

/** The Cluster. */
export function clusterObject(s: Scenario, endpoint: { host: string; port: number }): KubeObject {
  const v = s.capi;
  const n = clusterNames(s);
  return {
    apiVersion: apiVersion(v),
    kind: 'Cluster',
    metadata: { name: n.cluster, namespace: n.namespace, labels: { 'cluster.x-k8s.io/cluster-name': n.cluster } },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'cluster.local' },
      controlPlaneEndpoint: { host: endpoint.host, port: endpoint.port },
      controlPlaneRef: objectRef(v, cpApiVersion(v), 'KubeadmControlPlane', n.kcp, n.namespace),
      infrastructureRef: objectRef(v, infraApiVersion(s.capo), 'OpenStackCluster', n.cluster, n.namespace),
    },
  };
}

/** kubeadm args: a map in v1beta1, a list of {name, value} in v1beta2. */
function args(v: CapiVersion, map: Record<string, string>): unknown {
  return v === 'v1beta1' ? map : Object.entries(map).map(([name, value]) => ({ name, value }));
}

/** The KubeadmControlPlane. */
export function kubeadmControlPlaneObject(s: Scenario): KubeObject {
  const v = s.capi;
  const n = clusterNames(s);
  const kubelet = args(v, { 'cloud-provider': 'external', 'provider-id': s.capo === 'v1alpha7' ? 'openstack:///{{ instance_id }}' : 'openstack://RegionOne/{{ instance_id }}' });
  const infraRef = objectRef(v, infraApiVersion(s.capo), 'OpenStackMachineTemplate', n.cpTemplate, n.namespace);
  const kubeadmConfigSpec = {
    clusterConfiguration: {
      apiServer: { extraArgs: args(v, { 'cloud-provider': 'external' }) },
      controllerManager: { extraArgs: args(v, { 'cloud-provider': 'external' }) },
    },
    initConfiguration: { nodeRegistration: { name: '{{ local_hostname }}', kubeletExtraArgs: kubelet } },
    joinConfiguration: { nodeRegistration: { name: '{{ local_hostname }}', kubeletExtraArgs: kubelet } },
  };
  const spec: Record<string, unknown> = {
    replicas: s.controlPlaneReplicas,
    version: s.kubernetesVersion,
    kubeadmConfigSpec,
  };
  if (v === 'v1beta1') {
    spec.machineTemplate = { infrastructureRef: infraRef };
    spec.rolloutStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } };
  } else {
    spec.machineTemplate = { spec: { infrastructureRef: infraRef } };
    spec.rollout = { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } };
  }
  return { apiVersion: cpApiVersion(v), kind: 'KubeadmControlPlane', metadata: { name: n.kcp, namespace: n.namespace, labels: { [capiLabels.clusterName]: n.cluster } }, spec };
}

/** The MachineDeployment `prow-md-0`; machines are named `prow-md-0-xxxxx` through its naming template. */
export function machineDeploymentObject(s: Scenario): KubeObject {
  const v = s.capi;
  const n = clusterNames(s);
  const selector = { [capiLabels.clusterName]: n.cluster, [capiLabels.deploymentName]: n.md };
  const templateSpec: Record<string, unknown> = {
    clusterName: n.cluster,
    version: s.kubernetesVersion,
    failureDomain: 'nova',
    bootstrap: { configRef: v === 'v1beta1' ? { apiVersion: `${groups.bootstrap}/v1beta1`, kind: 'KubeadmConfigTemplate', name: n.md, namespace: n.namespace } : { apiGroup: groups.bootstrap, kind: 'KubeadmConfigTemplate', name: n.md } },
    infrastructureRef: objectRef(v, infraApiVersion(s.capo), 'OpenStackMachineTemplate', n.mdTemplate, n.namespace),
  };
  const spec: Record<string, unknown> = {
    clusterName: n.cluster,
    replicas: s.workerReplicas,
    selector: { matchLabels: selector },
    template: { metadata: { labels: { ...selector } }, spec: templateSpec },
  };
  const naming = { template: `{{ .cluster.name }}-md-0-{{ .random }}` };
  if (v === 'v1beta1') {
    spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    spec.machineNamingStrategy = naming;
  } else {
    spec.rollout = { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };
    spec.machineNaming = naming;
  }
  return { apiVersion: apiVersion(v), kind: 'MachineDeployment', metadata: { name: n.md, namespace: n.namespace, labels: { [capiLabels.clusterName]: n.cluster } }, spec };
}

/**
 * A MachineSet for one template revision of a MachineDeployment, as computeDesiredMachineSet builds it: the
 * template with the `machine-template-hash` label, the delete policy and the naming strategy copied over.
 * @see kubernetes-sigs/cluster-api internal/controllers/machinedeployment/machinedeployment_sync.go (computeDesiredMachineSet)
 */
export function machineSetObject(v: CapiVersion, md: KubeObject, opts: { name: string; hash: string; replicas: number; revision: number }): KubeObject {
  const template = clone(getPath(md, 'spec.template') as Record<string, unknown>);
  const meta = (isObject(template.metadata) ? template.metadata : {}) as { labels?: Record<string, string> };
  meta.labels = { ...(meta.labels ?? {}), [capiLabels.templateHash]: opts.hash };
  template.metadata = meta;
  const selector = { ...((getPath(md, 'spec.selector.matchLabels') as Record<string, string>) ?? {}), [capiLabels.templateHash]: opts.hash };
  const clusterName = String(getPath(md, 'spec.clusterName'));
  const spec: Record<string, unknown> = { clusterName, replicas: opts.replicas, selector: { matchLabels: selector }, template };
  if (v === 'v1beta1') {
    const policy = getPath(md, 'spec.strategy.rollingUpdate.deletePolicy');
    if (policy) spec.deletePolicy = policy;
    const naming = getPath(md, 'spec.machineNamingStrategy');
    if (naming) spec.machineNamingStrategy = clone(naming);
  } else {
    const order = getPath(md, 'spec.deletion.order');
    if (order) spec.deletion = { order };
    const naming = getPath(md, 'spec.machineNaming');
    if (naming) spec.machineNaming = clone(naming);
  }
  return {
    apiVersion: apiVersion(v),
    kind: 'MachineSet',
    metadata: {
      name: opts.name,
      namespace: md.metadata.namespace,
      labels: { ...selector, [capiLabels.clusterName]: clusterName, [capiLabels.deploymentName]: md.metadata.name! },
      annotations: { 'machinedeployment.clusters.x-k8s.io/revision': String(opts.revision), 'machinedeployment.clusters.x-k8s.io/desired-replicas': String(getPath(md, 'spec.replicas') ?? 1), 'machinedeployment.clusters.x-k8s.io/max-replicas': String(Number(getPath(md, 'spec.replicas') ?? 1) + 1) },
      ownerReferences: [controllerRef(md)],
    },
    spec,
  };
}

/** What a Machine is made from. */
export interface MachineInput {
  name: string;
  namespace: string;
  owner: KubeObject;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** The Machine spec from the owner's template (infrastructureRef still pointing at the template). */
  spec: Record<string, unknown>;
  infraApiVersion: string;
  bootstrapSecret: string;
}

/** A Machine pointing at its own OpenStackMachine (same name) and bootstrap data secret. */
export function machineObject(v: CapiVersion, input: MachineInput): KubeObject {
  const spec = clone(input.spec);
  spec.infrastructureRef = objectRef(v, input.infraApiVersion, 'OpenStackMachine', input.name, input.namespace);
  const configRef = getPath(spec, 'bootstrap.configRef');
  const bootstrap: Record<string, unknown> = { dataSecretName: input.bootstrapSecret };
  if (isObject(configRef)) bootstrap.configRef = { ...configRef, kind: 'KubeadmConfig', name: input.name, ...(v === 'v1beta1' ? { namespace: input.namespace } : {}) };
  spec.bootstrap = bootstrap;
  return {
    apiVersion: apiVersion(v),
    kind: 'Machine',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: input.labels,
      ...(input.annotations && Object.keys(input.annotations).length ? { annotations: input.annotations } : {}),
      ownerReferences: [controllerRef(input.owner)],
    },
    spec,
  };
}

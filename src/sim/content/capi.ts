// Cluster API names and version-dependent field paths: where v1beta1 (CAPI ≤ 1.10 storage) and v1beta2 (CAPI ≥ 1.11)
// put object references, deletion timeouts, delete policies and rollout knobs (cluster-apis.md §1.1, §1.6, §1.7, §1.8).
// Everything else in the simulator asks these helpers instead of knowing a version string.
import { parseGoDuration } from '../../format/duration.js';
import { clone, getPath, isObject, type KubeObject, type OwnerReference } from '../objects.js';

/** The two CAPI API versions. */
export type CapiVersion = 'v1beta1' | 'v1beta2';

/** API groups. */
export const groups = {
  core: 'cluster.x-k8s.io',
  controlPlane: 'controlplane.cluster.x-k8s.io',
  infra: 'infrastructure.cluster.x-k8s.io',
  bootstrap: 'bootstrap.cluster.x-k8s.io',
} as const;

/** Labels linking CAPI objects (cluster-apis.md §1.5). */
export const capiLabels = {
  clusterName: 'cluster.x-k8s.io/cluster-name',
  deploymentName: 'cluster.x-k8s.io/deployment-name',
  setName: 'cluster.x-k8s.io/set-name',
  templateHash: 'machine-template-hash',
  controlPlane: 'cluster.x-k8s.io/control-plane',
  controlPlaneName: 'cluster.x-k8s.io/control-plane-name',
} as const;

/** Annotations CAPI reads or writes. */
export const capiAnnotations = {
  deleteMachine: 'cluster.x-k8s.io/delete-machine',
  excludeDrain: 'machine.cluster.x-k8s.io/exclude-node-draining',
  excludeVolumeWait: 'machine.cluster.x-k8s.io/exclude-wait-for-node-volume-detach',
  revision: 'machinedeployment.clusters.x-k8s.io/revision',
  preDrainPrefix: 'pre-drain.delete.hook.machine.cluster.x-k8s.io',
  preTerminatePrefix: 'pre-terminate.delete.hook.machine.cluster.x-k8s.io',
  kcpCleanupHook: 'pre-terminate.delete.hook.machine.cluster.x-k8s.io/kcp-cleanup',
  clonedFromName: 'cluster.x-k8s.io/cloned-from-name',
  clonedFromGroupKind: 'cluster.x-k8s.io/cloned-from-groupkind',
  paused: 'cluster.x-k8s.io/paused',
  nodeMachine: 'cluster.x-k8s.io/machine',
  nodeClusterName: 'cluster.x-k8s.io/cluster-name',
  nodeClusterNamespace: 'cluster.x-k8s.io/cluster-namespace',
  nodeOwnerKind: 'cluster.x-k8s.io/owner-kind',
  nodeOwnerName: 'cluster.x-k8s.io/owner-name',
} as const;

/** Finalizers. */
export const capiFinalizers = {
  machine: 'machine.cluster.x-k8s.io',
  machineDeployment: 'cluster.x-k8s.io/machinedeployment',
  machineSet: 'cluster.x-k8s.io/machineset',
  kcp: 'kubeadm.controlplane.cluster.x-k8s.io',
  cluster: 'cluster.cluster.x-k8s.io',
} as const;

/** The taint kubeadm registers CAPI nodes with; the Machine controller removes it once the node is linked. */
export const uninitializedTaint = { key: 'node.cluster.x-k8s.io/uninitialized', effect: 'NoSchedule' } as const;

/** `group/version` of an apiVersion string's group. */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

/**
 * A reference to another object: v1beta1 is a full ObjectReference, v1beta2 a ContractVersionedObjectReference
 * `{apiGroup, kind, name}` (cluster-apis.md §1.1 "Infra ref").
 */
export function objectRef(v: CapiVersion, apiVersion: string, kind: string, name: string, namespace: string): Record<string, unknown> {
  return v === 'v1beta1' ? { apiVersion, kind, name, namespace } : { apiGroup: groupOf(apiVersion), kind, name };
}

/** The owner reference of a controller. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The controlling owner reference of an object, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

/** Whether `obj` is controlled by `owner` (by uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

const seconds = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') {
    try {
      return parseGoDuration(v) / 1000;
    } catch {
      return undefined;
    }
  }
  return undefined;
};

/** Deletion timeouts of a Machine spec (or a template spec) in seconds; undefined or 0 = no limit. */
export interface DeletionTimeouts {
  drain?: number;
  volumeDetach?: number;
  nodeDeletion?: number;
}

/** Reads the drain / volume-detach / node-deletion timeouts: Duration strings in v1beta1, `deletion.*Seconds` in v1beta2. */
export function deletionTimeouts(v: CapiVersion, spec: unknown): DeletionTimeouts {
  if (v === 'v1beta1') {
    return { drain: seconds(getPath(spec, 'nodeDrainTimeout')), volumeDetach: seconds(getPath(spec, 'nodeVolumeDetachTimeout')), nodeDeletion: seconds(getPath(spec, 'nodeDeletionTimeout')) };
  }
  return {
    drain: seconds(getPath(spec, 'deletion.nodeDrainTimeoutSeconds')),
    volumeDetach: seconds(getPath(spec, 'deletion.nodeVolumeDetachTimeoutSeconds')),
    nodeDeletion: seconds(getPath(spec, 'deletion.nodeDeletionTimeoutSeconds')),
  };
}

const inPlaceKeys: Record<CapiVersion, string[]> = {
  v1beta1: ['nodeDrainTimeout', 'nodeVolumeDetachTimeout', 'nodeDeletionTimeout', 'minReadySeconds'],
  v1beta2: ['deletion', 'minReadySeconds'],
};

/**
 * The Machine spec fields propagated in place (no rollout): the deletion timeouts and minReadySeconds.
 * @see kubernetes-sigs/cluster-api docs/book/src/developer/core/controllers/machine-deployment.md ("In-place propagation")
 */
export function inPlaceFields(v: CapiVersion, spec: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of inPlaceKeys[v]) out[key] = isObject(spec) ? clone(spec[key]) : undefined;
  return out;
}

/**
 * The part of a machine template that decides whether a machine is up to date: the spec without the in-place
 * fields, references compared by kind and name only (so API-version bumps do not roll).
 * @see kubernetes-sigs/cluster-api internal/controllers/machinedeployment/mdutil/util.go (MachineTemplateUpToDate)
 */
export function templateForHash(v: CapiVersion, spec: unknown): Record<string, unknown> {
  const out = isObject(spec) ? clone(spec) : {};
  for (const key of inPlaceKeys[v]) delete out[key];
  const ref = (r: unknown) => (isObject(r) ? { kind: r.kind, name: r.name } : r);
  out.infrastructureRef = ref(out.infrastructureRef);
  if (isObject(out.bootstrap)) out.bootstrap = { ...out.bootstrap, configRef: ref(out.bootstrap.configRef) };
  return out;
}

/** The delete policy of a MachineSet: `spec.deletePolicy` (v1beta1) or `spec.deletion.order` (v1beta2); default Random. */
export function machineSetDeletePolicy(v: CapiVersion, ms: KubeObject): 'Random' | 'Newest' | 'Oldest' {
  const value = v === 'v1beta1' ? getPath(ms, 'spec.deletePolicy') : getPath(ms, 'spec.deletion.order');
  return value === 'Newest' || value === 'Oldest' ? value : 'Random';
}

/** The delete policy of a MachineDeployment: `spec.strategy.rollingUpdate.deletePolicy` (v1beta1) or `spec.deletion.order`. */
export function machineDeploymentDeletePolicy(v: CapiVersion, md: KubeObject): 'Random' | 'Newest' | 'Oldest' | undefined {
  const value = v === 'v1beta1' ? getPath(md, 'spec.strategy.rollingUpdate.deletePolicy') : getPath(md, 'spec.deletion.order');
  return value === 'Random' || value === 'Newest' || value === 'Oldest' ? value : undefined;
}

/** Resolves an int-or-percent against a total, rounding up (surge) or down (unavailable) as intstr does. */
export function intOrPercent(value: unknown, total: number, roundUp: boolean, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const raw = (Number(value.slice(0, -1)) / 100) * total;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

/** The rollout knobs of a MachineDeployment: maxSurge (default 1) and maxUnavailable (default 0). */
export function rolloutOf(v: CapiVersion, md: KubeObject, replicas: number): { type: string; maxSurge: number; maxUnavailable: number } {
  const base = v === 'v1beta1' ? 'spec.strategy' : 'spec.rollout.strategy';
  const type = String(getPath(md, `${base}.type`) ?? 'RollingUpdate');
  let maxSurge = intOrPercent(getPath(md, `${base}.rollingUpdate.maxSurge`), replicas, true, 1);
  const maxUnavailable = intOrPercent(getPath(md, `${base}.rollingUpdate.maxUnavailable`), replicas, false, 0);
  // Both zero would deadlock; upstream's validation forbids it and defaults surge to 1.
  if (maxSurge === 0 && maxUnavailable === 0) maxSurge = 1;
  return { type, maxSurge, maxUnavailable };
}

/** The machine naming template: `spec.machineNamingStrategy.template` (v1beta1) or `spec.machineNaming.template` (v1beta2). */
export function namingTemplate(v: CapiVersion, obj: KubeObject): string | undefined {
  const value = getPath(obj, v === 'v1beta1' ? 'spec.machineNamingStrategy.template' : 'spec.machineNaming.template');
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * Renders a machine naming template: `{{ .cluster.name }}`, `{{ .machineSet.name }}`, `{{ .kubeadmControlPlane.name }}`
 * and `{{ .random }}` (5 characters).
 * @see kubernetes-sigs/cluster-api internal/util/names (GenerateMachineName)
 */
export function renderMachineName(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*\.([a-zA-Z]+)(?:\.name)?\s*\}\}/g, (_, key: string) => values[key] ?? '');
}

/** The infrastructure template reference of a KubeadmControlPlane (moved under machineTemplate.spec in v1beta2). */
export function kcpInfraRefPath(v: CapiVersion): string {
  return v === 'v1beta1' ? 'spec.machineTemplate.infrastructureRef' : 'spec.machineTemplate.spec.infrastructureRef';
}

/** Where a KubeadmControlPlane keeps the in-place fields of its machines. */
export function kcpMachineSpecPath(v: CapiVersion): string {
  return v === 'v1beta1' ? 'spec.machineTemplate' : 'spec.machineTemplate.spec';
}

/** The name of a Machine's Node (`status.nodeRef.name` in both versions). */
export function nodeRefName(machine: KubeObject): string | undefined {
  const name = getPath(machine, 'status.nodeRef.name');
  return typeof name === 'string' ? name : undefined;
}

/** The Node reference to store: full ObjectReference in v1beta1, `{name}` in v1beta2. */
export function nodeRef(v: CapiVersion, node: KubeObject): Record<string, unknown> {
  return v === 'v1beta1' ? { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid } : { name: node.metadata.name };
}

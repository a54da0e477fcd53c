// The built-in kinds the simulated cluster serves, with the printer columns kubectl shows for them.
// Column logic mirrors k8s.io/kubernetes/pkg/printers/internalversion/printers.go (printNode, printPod, ...).
import { humanAge } from '../../format/duration.js';
import { defaultDeployment, defaultEvent, defaultPod, defaultReplicaSet, defaultService } from '../defaults.js';
import { getPath, isObject, type KubeObject } from '../objects.js';
import type { Column, ResourceDef } from '../resources.js';
import { validateEvent, validatePod } from '../validation.js';

const age: Column = { name: 'Age', type: 'date', value: 'metadata.creationTimestamp' };
const name: Column = { name: 'Name', type: 'string', format: 'name', value: 'metadata.name' };

type Condition = { type?: string; status?: string; reason?: string };
const conditions = (obj: unknown, path = 'status.conditions'): Condition[] => {
  const c = getPath(obj, path);
  return Array.isArray(c) ? (c as Condition[]) : [];
};

/** "Ready", "NotReady", "Unknown", plus ",SchedulingDisabled" when cordoned (printNode). */
export function nodeStatus(node: KubeObject): string {
  const ready = conditions(node).find((c) => c.type === 'Ready');
  const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return getPath(node, 'spec.unschedulable') ? `${status},SchedulingDisabled` : status;
}

/** Roles from node-role.kubernetes.io/<role> labels, or "<none>" (findNodeRoles). */
export function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

const address = (type: string) => (node: KubeObject) => {
  const list = getPath(node, 'status.addresses');
  const found = Array.isArray(list) ? list.find((a) => isObject(a) && a.type === type) : undefined;
  return isObject(found) ? found.address : '<none>';
};

type ContainerStatus = { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } } };

/** The STATUS column of `kubectl get pods`: waiting/terminated reasons, Terminating, or the phase (printPod). */
export function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) {
    return getPath(pod, 'status.reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  let reason = String(getPath(pod, 'status.reason') ?? getPath(pod, 'status.phase') ?? 'Pending');
  const statuses = (getPath(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  for (const s of statuses) {
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
  }
  return reason;
}

const podReady = (pod: KubeObject) => {
  const statuses = (getPath(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  const containers = getPath(pod, 'spec.containers');
  const total = Array.isArray(containers) ? containers.length : statuses.length;
  return `${statuses.filter((s) => s.ready).length}/${total}`;
};
const podRestarts = (pod: KubeObject) =>
  ((getPath(pod, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);

const replicas = (path: string) => (obj: KubeObject) => Number(getPath(obj, path) ?? 0);

/** The built-in resources: core/v1, apps/v1, policy/v1, storage.k8s.io/v1, coordination.k8s.io/v1. */
export function coreResources(): ResourceDef[] {
  return [
    {
      group: '', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false,
      builtin: true, status: true, fieldSelectors: ['status.phase'], generationKeys: [],
      versions: [{ name: 'v1', storage: true, columns: [name, { name: 'Status', type: 'string', value: 'status.phase' }, age] }],
      defaults: (o) => void (o.status ??= { phase: 'Active' }),
    },
    {
      group: '', kind: 'Node', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false,
      builtin: true, status: true, fieldSelectors: ['spec.unschedulable'], generationKeys: [],
      versions: [{
        name: 'v1', storage: true,
        columns: [
          name,
          { name: 'Status', type: 'string', value: nodeStatus },
          { name: 'Roles', type: 'string', value: nodeRoles },
          age,
          { name: 'Version', type: 'string', value: 'status.nodeInfo.kubeletVersion' },
          { name: 'Internal-IP', type: 'string', priority: 1, value: address('InternalIP') },
          { name: 'External-IP', type: 'string', priority: 1, value: address('ExternalIP') },
          { name: 'OS-Image', type: 'string', priority: 1, value: 'status.nodeInfo.osImage' },
          { name: 'Kernel-Version', type: 'string', priority: 1, value: 'status.nodeInfo.kernelVersion' },
          { name: 'Container-Runtime', type: 'string', priority: 1, value: 'status.nodeInfo.containerRuntimeVersion' },
        ],
      }],
    },
    {
      group: '', kind: 'Pod', plural: 'pods', singular: 'pod', shortNames: ['po'], categories: ['all'], namespaced: true,
      builtin: true, status: true, eviction: true,
      fieldSelectors: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
      versions: [{
        name: 'v1', storage: true, defaults: defaultPod, validate: validatePod,
        columns: [
          name,
          { name: 'Ready', type: 'string', value: podReady },
          { name: 'Status', type: 'string', value: podStatus },
          { name: 'Restarts', type: 'string', value: (o) => String(podRestarts(o)) },
          age,
          { name: 'IP', type: 'string', priority: 1, value: (o) => getPath(o, 'status.podIP') ?? '<none>' },
          { name: 'Node', type: 'string', priority: 1, value: (o) => getPath(o, 'spec.nodeName') ?? '<none>' },
          { name: 'Nominated Node', type: 'string', priority: 1, value: (o) => getPath(o, 'status.nominatedNodeName') ?? '<none>' },
          { name: 'Readiness Gates', type: 'string', priority: 1, value: () => '<none>' },
        ],
      }],
      defaults: (o) => {
        o.status ??= {};
        const status = o.status as Record<string, unknown>;
        status.phase ??= 'Pending';
        status.qosClass ??= 'BestEffort';
      },
    },
    {
      group: '', kind: 'Event', plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true,
      builtin: true, status: false, generationKeys: [],
      fieldSelectors: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
      versions: [{
        name: 'v1', storage: true, defaults: defaultEvent, validate: validateEvent,
        columns: [
          { name: 'Last Seen', type: 'string', value: (o, now) => humanAge(now - Date.parse(String(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp))) },
          { name: 'Type', type: 'string', value: 'type' },
          { name: 'Reason', type: 'string', value: 'reason' },
          { name: 'Object', type: 'string', value: (o) => `${String(getPath(o, 'involvedObject.kind') ?? '').toLowerCase()}/${String(getPath(o, 'involvedObject.name') ?? '')}` },
          { name: 'Message', type: 'string', value: 'message' },
        ],
      }],
    },
    {
      group: '', kind: 'Service', plural: 'services', singular: 'service', shortNames: ['svc'], categories: ['all'], namespaced: true,
      builtin: true, status: true, generationKeys: [],
      versions: [{ name: 'v1', storage: true, defaults: defaultService, columns: [name, { name: 'Type', type: 'string', value: 'spec.type' }, { name: 'Cluster-IP', type: 'string', value: 'spec.clusterIP' }, age] }],
    },
    {
      group: '', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true,
      builtin: true, status: false, generationKeys: [],
      versions: [{ name: 'v1', storage: true, columns: [name, { name: 'Data', type: 'integer', value: (o) => Object.keys((o.data as object) ?? {}).length }, age] }],
    },
    {
      group: '', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
      builtin: true, status: false, generationKeys: [], fieldSelectors: ['type'],
      versions: [{ name: 'v1', storage: true, columns: [name, { name: 'Type', type: 'string', value: 'type' }, { name: 'Data', type: 'integer', value: (o) => Object.keys((o.data as object) ?? {}).length }, age] }],
    },
    {
      group: 'apps', kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], categories: ['all'], namespaced: true,
      builtin: true, status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
      versions: [{
        name: 'v1', storage: true, defaults: defaultDeployment,
        columns: [
          name,
          { name: 'Ready', type: 'string', value: (o) => `${replicas('status.readyReplicas')(o)}/${replicas('spec.replicas')(o)}` },
          { name: 'Up-to-date', type: 'integer', value: replicas('status.updatedReplicas') },
          { name: 'Available', type: 'integer', value: replicas('status.availableReplicas') },
          age,
          { name: 'Containers', type: 'string', priority: 1, value: (o) => ((getPath(o, 'spec.template.spec.containers') as { name: string }[] | undefined) ?? []).map((c) => c.name).join(',') },
          { name: 'Images', type: 'string', priority: 1, value: (o) => ((getPath(o, 'spec.template.spec.containers') as { image: string }[] | undefined) ?? []).map((c) => c.image).join(',') },
        ],
      }],
    },
    {
      group: 'apps', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], categories: ['all'], namespaced: true,
      builtin: true, status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
      versions: [{
        name: 'v1', storage: true, defaults: defaultReplicaSet,
        columns: [
          name,
          { name: 'Desired', type: 'integer', value: replicas('spec.replicas') },
          { name: 'Current', type: 'integer', value: replicas('status.replicas') },
          { name: 'Ready', type: 'integer', value: replicas('status.readyReplicas') },
          age,
        ],
      }],
    },
    {
      group: 'policy', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', shortNames: ['pdb'], namespaced: true,
      builtin: true, status: true,
      versions: [{
        name: 'v1', storage: true,
        columns: [
          name,
          { name: 'Min Available', type: 'string', value: (o) => String(getPath(o, 'spec.minAvailable') ?? 'N/A') },
          { name: 'Max Unavailable', type: 'string', value: (o) => String(getPath(o, 'spec.maxUnavailable') ?? 'N/A') },
          { name: 'Allowed Disruptions', type: 'integer', value: replicas('status.disruptionsAllowed') },
          age,
        ],
      }],
    },
    {
      group: 'storage.k8s.io', kind: 'VolumeAttachment', plural: 'volumeattachments', singular: 'volumeattachment', namespaced: false,
      builtin: true, status: true, generationKeys: [],
      versions: [{
        name: 'v1', storage: true,
        columns: [
          name,
          { name: 'Attacher', type: 'string', value: 'spec.attacher' },
          { name: 'PV', type: 'string', value: 'spec.source.persistentVolumeName' },
          { name: 'Node', type: 'string', value: 'spec.nodeName' },
          { name: 'Attached', type: 'boolean', value: 'status.attached' },
          age,
        ],
      }],
    },
    {
      group: 'coordination.k8s.io', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true,
      builtin: true, status: false, generationKeys: [],
      versions: [{ name: 'v1', storage: true, columns: [name, { name: 'Holder', type: 'string', value: 'spec.holderIdentity' }, age] }],
    },
  ];
}

/**
 * metrics.k8s.io/v1beta1: read-only, no watch, computed on request (see ../metrics.ts).
 * @see k8s.io/metrics/pkg/apis/metrics/v1beta1/types.go
 */
export function metricsResources(): ResourceDef[] {
  return [
    {
      group: 'metrics.k8s.io', kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false, builtin: true, status: false,
      verbs: ['get', 'list'], versions: [{ name: 'v1beta1', storage: true }],
    },
    {
      group: 'metrics.k8s.io', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, builtin: true, status: false,
      verbs: ['get', 'list'], versions: [{ name: 'v1beta1', storage: true }],
    },
  ];
}

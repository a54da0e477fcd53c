// The view records deckhand keeps instead of raw objects: each watched object is projected on arrival to one of
// these (project.ts and the adapters), so the model holds only what screens and runbooks use. Version-neutral:
// the CAPI/CAPO adapters map every API version onto the same shapes.
import type { MachineSetView, MachineView, OpenStackClusterView, OpenStackMachineView, RolloutOwnerView } from './machine-types.js';
import type { ContainerRequests, PodJobView, ProwJobView } from './prow-types.js';

export type * from './machine-types.js';
export type * from './prow-types.js';

/** A condition reduced to what the screens print; `status` is "True", "False" or "Unknown". */
export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Fields every view has: identity, the resourceVersion for preconditions, and lifecycle times. */
export interface ObjectView {
  namespace?: string;
  name: string;
  uid: string;
  resourceVersion: string;
  created?: string;
  deleting?: string;
}

/** CPU in millicores and memory in bytes. */
export interface Resources {
  cpuMilli: number;
  memoryBytes: number;
}

/** A Node: health, heartbeat, taints, allocatable and the links to its Machine. */
export interface NodeView extends ObjectView {
  roles: string[];
  kubeletVersion?: string;
  unschedulable: boolean;
  /** The Ready condition's status: "True", "False" or "Unknown" (also when the condition is missing). */
  ready: string;
  readyReason?: string;
  readyMessage?: string;
  /** lastHeartbeatTime of the Ready condition. */
  lastHeartbeat?: string;
  /** Pressure conditions whose status is True (MemoryPressure, DiskPressure, PIDPressure). */
  pressure: string[];
  /** Every condition as the kubelet (or the node controller) last wrote it, in the object's order. */
  conditions: NodeConditionView[];
  taints: { key: string; effect: string; value?: string }[];
  allocatable: Resources & { pods: number };
  capacity: Resources & { pods: number };
  providerID?: string;
  internalIP?: string;
  /** The `cluster.x-k8s.io/machine` annotation CAPI writes on workload nodes. */
  machineName?: string;
  machineNamespace?: string;
  volumesAttached: number;
}

/** One node condition with the kubelet's last heartbeat for it (an old heartbeat is a silent kubelet). */
export interface NodeConditionView {
  type: string;
  status: string;
  reason?: string;
  lastHeartbeatTime?: string;
}

/** A Pod: placement, status as kubectl prints it, restarts, requests, owner and Prow identity. */
export interface PodView extends ObjectView {
  namespace: string;
  nodeName?: string;
  phase: string;
  /** The STATUS column of `kubectl get pods` (waiting/terminated reason, Terminating, or the phase). */
  status: string;
  readyContainers: number;
  containers: number;
  restarts: number;
  /** Waiting reasons of containers (CrashLoopBackOff, ContainerCreating, ImagePullBackOff, …). */
  waitingReasons: string[];
  /** Scheduling condition message when the pod is Pending and unschedulable. */
  unschedulableMessage?: string;
  /** Effective requests: max(sum of containers, largest init container), as the scheduler counts them. */
  requests: Resources;
  containerRequests: ContainerRequests[];
  labels: Record<string, string>;
  owner?: { kind: string; name: string };
  startTime?: string;
  job?: PodJobView;
}

/** A Warning event, deduplicated by the server into count/lastSeen. */
export interface EventView extends ObjectView {
  namespace: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  involved: { kind: string; namespace?: string; name: string };
}

/** A Deployment (the Prow components). */
export interface DeploymentView extends ObjectView {
  namespace: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  selector: Record<string, string>;
}

/** Everything the watches keep, by kind. */
export interface ViewsByKind {
  nodes: NodeView;
  pods: PodView;
  events: EventView;
  deployments: DeploymentView;
  machines: MachineView;
  machineSets: MachineSetView;
  machineDeployments: RolloutOwnerView;
  controlPlanes: RolloutOwnerView;
  openstackClusters: OpenStackClusterView;
  openstackMachines: OpenStackMachineView;
  prowJobs: ProwJobView;
}

/** The id of a watched kind. */
export type KindId = keyof ViewsByKind;

/** A node's metrics sample (metrics.k8s.io NodeMetrics). */
export interface NodeSample extends Resources {
  name: string;
  timestamp: string;
  windowMs?: number;
}

/** A pod's metrics sample: containers summed, as `kubectl top pod` does. */
export interface PodSample extends Resources {
  namespace: string;
  name: string;
  timestamp: string;
  windowMs?: number;
}

/** The live model: one map per kind, keyed by `namespace/name` (or `name` when cluster-scoped). */
export type ClusterModel = { readonly [K in KindId]: ReadonlyMap<string, ViewsByKind[K]> };

// The view records deckhand keeps instead of raw objects: each watched object is projected on arrival to one of
// these (project.ts and the adapters), so the model holds only what screens and runbooks use. Version-neutral:
// the CAPI/CAPO adapters map every API version onto the same shapes.

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

/** A container's configured requests; undefined where the pod spec sets none. */
export interface ContainerRequests {
  name: string;
  cpuMilli?: number;
  memoryBytes?: number;
}

/** The Prow identity of a test pod (pod name = ProwJob name). */
export interface PodJobView {
  /** Full job name from the `prow.k8s.io/job` annotation (the label is truncated to 63 characters). */
  job: string;
  prowJobId: string;
  type?: string;
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

/** The owner that replaces a Machine when it goes away. */
export interface MachineOwner {
  kind: 'MachineDeployment' | 'KubeadmControlPlane' | 'MachineSet' | 'MachinePool' | string;
  name: string;
}

/** Deletion timeouts in seconds (undefined = not set, 0 = wait forever), whatever the API version stores. */
export interface DeletionTimeouts {
  nodeDrainSeconds?: number;
  nodeVolumeDetachSeconds?: number;
  nodeDeletionSeconds?: number;
}

/** A CAPI Machine, version-neutral. */
export interface MachineView extends ObjectView, DeletionTimeouts {
  namespace: string;
  clusterName?: string;
  phase: string;
  owner?: MachineOwner;
  /** MachineDeployment name from the `cluster.x-k8s.io/deployment-name` label. */
  deploymentName?: string;
  /** KCP name when the Machine is a control-plane machine. */
  controlPlaneName?: string;
  isControlPlane: boolean;
  version?: string;
  providerID?: string;
  nodeName?: string;
  infrastructure?: { kind: string; name: string };
  /** New-style (metav1.Condition) conditions, whichever path the version keeps them at. */
  conditions: ConditionView[];
  /** Old-style (v1beta1) conditions, e.g. DrainingSucceeded with the blocking pods. */
  legacyConditions: ConditionView[];
  drainStartedAt?: string;
  volumeDetachStartedAt?: string;
  failureReason?: string;
  failureMessage?: string;
  /** Presence-only annotations: `cluster.x-k8s.io/delete-machine`, `…/exclude-node-draining`. */
  markedForDeletion: boolean;
  excludeNodeDraining: boolean;
  templateHash?: string;
}

/** Replica counters; undefined means "not reported" (v1beta2 counters are optional), never 0. */
export interface ReplicaCounters {
  desired?: number;
  replicas?: number;
  ready?: number;
  available?: number;
  upToDate?: number;
}

/** A MachineSet: one template revision of a MachineDeployment. */
export interface MachineSetView extends ObjectView, ReplicaCounters {
  namespace: string;
  deploymentName?: string;
  templateHash?: string;
  /** The MachineDeployment revision this set belongs to (higher = newer). */
  revision?: number;
  version?: string;
}

/** A MachineDeployment or a KubeadmControlPlane: the two things that roll machines. */
export interface RolloutOwnerView extends ObjectView, ReplicaCounters {
  namespace: string;
  kind: 'MachineDeployment' | 'KubeadmControlPlane';
  clusterName?: string;
  generation?: number;
  observedGeneration?: number;
  /** spec.version (the target). */
  version?: string;
  /** KCP status.version: the lowest version among its machines. */
  statusVersion?: string;
  phase?: string;
  paused: boolean;
  /** The RollingOut condition (undefined when the version does not report it). */
  rollingOut?: boolean;
  conditions: ConditionView[];
  templateDeletion: DeletionTimeouts;
}

/** A bastion image in any CAPO version: a name/UUID string (v1alpha6/7) or an ImageParam (v1beta1). */
export type BastionImage =
  | { kind: 'name'; name: string }
  | { kind: 'id'; id: string }
  | { kind: 'filter'; name?: string; tags?: string[] }
  | { kind: 'imageRef'; name: string }
  | { kind: 'unset' };

/** An OpenStackCluster: the bastion and the API load balancer's allow-list. */
export interface OpenStackClusterView extends ObjectView {
  namespace: string;
  ready: boolean;
  bastion: {
    enabled: boolean;
    /** Whether the spec has a bastion block at all (removing it is allowed only once disabled and gone). */
    declared: boolean;
    image: BastionImage;
    flavor?: string;
    pinnedFloatingIP?: string;
    state?: string;
    floatingIP?: string;
    internalIP?: string;
    id?: string;
  };
  apiServerLoadBalancer: {
    enabled: boolean;
    /** The user's list (spec). Undefined when the spec does not set one. */
    allowedCidrs?: string[];
    /** What the controller applied (status): the user's list plus bastion and cluster addresses. */
    effectiveCidrs?: string[];
    ip?: string;
  };
  controlPlaneEndpoint?: string;
}

/** An OpenStackMachine: the server behind a Machine. */
export interface OpenStackMachineView extends ObjectView {
  namespace: string;
  machineName?: string;
  providerID?: string;
  /** The server UUID, from providerID or status.instanceID. */
  serverId?: string;
  instanceState?: string;
  ready: boolean;
}

/** A pull request of a ProwJob's refs. */
export interface PullView {
  number: number;
  author?: string;
  sha?: string;
  title?: string;
}

/** A ProwJob without its pod_spec (only the containers' requests survive). */
export interface ProwJobView extends ObjectView {
  namespace: string;
  /** Full job name (annotation, else spec.job). */
  job: string;
  type: string;
  state: string;
  agent?: string;
  cluster?: string;
  org?: string;
  repo?: string;
  baseRef?: string;
  pulls: PullView[];
  started?: string;
  pendingAt?: string;
  completed?: string;
  url?: string;
  description?: string;
  buildId?: string;
  podName: string;
  requests: ContainerRequests[];
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

// View records of Cluster API and CAPO objects, version-neutral: the adapters (capi.ts, capo.ts) map every API
// version onto these shapes.
import type { ConditionView, ObjectView } from './types.js';

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

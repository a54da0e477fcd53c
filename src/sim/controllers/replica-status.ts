// Replica counters and conditions of MachineSets, MachineDeployments and KubeadmControlPlanes in both API versions
// (cluster-apis.md §1.7, §1.8 and gotcha 2): v1beta1 keeps the old node-based counters at the top and the new ones
// under status.v1beta2; v1beta2 puts the condition-based counters at the top and the old ones under
// status.deprecated.v1beta1.
// @see kubernetes-sigs/cluster-api internal/controllers/machineset/machineset_controller_status.go,
//      machinedeployment/machinedeployment_status.go, controlplane/kubeadm/internal/controllers/status.go @v1.11.0
import type { CapiVersion } from '../content/capi.js';
import { newConditions, oldConditions, type Condition } from '../content/conditions.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';

/** What the controller counted over its machines. */
export interface ReplicaCounts {
  desired: number;
  /** Machines that exist (deleting ones included). */
  replicas: number;
  /** Machines whose Node is Ready (old semantics). */
  nodeReady: number;
  /** Machines whose Ready condition is True (new semantics). */
  ready: number;
  upToDate: number;
  /** Names of machines that are not up to date / not ready / being deleted (for messages). */
  notUpToDate: string[];
  notReady: string[];
  deleting: string[];
  /** Minimum available machines before the owner counts as Available. */
  minAvailable: number;
}

const names = (list: string[]) => (list.length > 3 ? `${list.slice(0, 3).join(', ')}, ... (${list.length - 3} more)` : list.join(', '));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The new-style conditions every replica owner shares: Available, MachinesReady, MachinesUpToDate, RollingOut, Scaling*, … */
export function replicaConditions(kind: string, c: ReplicaCounts): Condition[] {
  const available = c.ready >= c.minAvailable;
  const scalingUp = c.replicas < c.desired;
  const scalingDown = c.replicas > c.desired;
  return [
    { type: 'Available', status: available ? 'True' : 'False', reason: available ? 'Available' : 'NotAvailable', message: available ? '' : `${c.ready} available replicas, at least ${c.minAvailable} required` },
    { type: 'MachinesReady', status: c.notReady.length ? 'False' : 'True', reason: c.notReady.length ? 'NotReady' : 'Ready', message: c.notReady.length ? `* Machines ${names(c.notReady)}: not ready` : '' },
    { type: 'MachinesUpToDate', status: c.notUpToDate.length ? 'False' : 'True', reason: c.notUpToDate.length ? 'NotUpToDate' : 'UpToDate', message: c.notUpToDate.length ? `* Machines ${names(c.notUpToDate)}: Version or template of the owner changed` : '' },
    { type: 'RollingOut', status: c.notUpToDate.length ? 'True' : 'False', reason: c.notUpToDate.length ? 'RollingOut' : 'NotRollingOut', message: c.notUpToDate.length ? `Rolling out ${plural(c.notUpToDate.length, 'not up-to-date replica')}` : '' },
    { type: 'ScalingUp', status: scalingUp ? 'True' : 'False', reason: scalingUp ? 'ScalingUp' : 'NotScalingUp', message: scalingUp ? `Scaling up from ${c.replicas} to ${c.desired} replicas` : '' },
    { type: 'ScalingDown', status: scalingDown ? 'True' : 'False', reason: scalingDown ? 'ScalingDown' : 'NotScalingDown', message: scalingDown ? `Scaling down from ${c.replicas} to ${c.desired} replicas${c.deleting.length ? `\n* Machines ${names(c.deleting)} are in deletion` : ''}` : '' },
    { type: 'Remediating', status: 'False', reason: 'NotRemediating' },
    { type: 'Deleting', status: 'False', reason: 'NotDeleting' },
    { type: 'Paused', status: 'False', reason: 'NotPaused' },
    ...(kind === 'KubeadmControlPlane'
      ? [
          { type: 'Initialized', status: 'True', reason: 'Initialized' } as Condition,
          { type: 'CertificatesAvailable', status: 'True', reason: 'Available' } as Condition,
          { type: 'EtcdClusterHealthy', status: c.nodeReady > 0 ? 'True' : 'Unknown', reason: c.nodeReady > 0 ? 'Healthy' : 'HealthUnknown' } as Condition,
          { type: 'ControlPlaneComponentsHealthy', status: c.nodeReady > 0 ? 'True' : 'Unknown', reason: c.nodeReady > 0 ? 'Healthy' : 'HealthUnknown' } as Condition,
        ]
      : []),
  ];
}

/** The old-style (v1beta1) conditions of a replica owner. */
export function replicaOldConditions(kind: string, c: ReplicaCounts): Condition[] {
  const available = c.nodeReady >= c.minAvailable;
  const availableCond: Condition = available
    ? { type: 'Available', status: 'True' }
    : { type: 'Available', status: 'False', reason: 'WaitingForAvailableMachines', severity: 'Warning', message: `Minimum availability requires ${c.minAvailable} replicas, current ${c.nodeReady} available` };
  const machinesReady: Condition = c.nodeReady === c.replicas ? { type: 'MachinesReady', status: 'True' } : { type: 'MachinesReady', status: 'False', reason: 'Deleted', severity: 'Info', message: `${c.replicas - c.nodeReady} of ${c.replicas} machines are not ready` };
  const resized: Condition = c.replicas === c.desired ? { type: 'Resized', status: 'True' } : { type: 'Resized', status: 'False', reason: c.replicas < c.desired ? 'ScalingUp' : 'ScalingDown', severity: 'Warning', message: `${c.replicas < c.desired ? 'Scaling up' : 'Scaling down'} MachineSet to ${c.desired} replicas (actual ${c.replicas})` };
  if (kind === 'MachineSet') return [{ ...availableCond, type: 'Ready' }, { type: 'MachinesCreated', status: 'True' }, machinesReady, resized];
  if (kind === 'MachineDeployment') {
    const msReady: Condition = available ? { type: 'MachineSetReady', status: 'True' } : { ...availableCond, type: 'MachineSetReady' };
    return [{ ...availableCond, type: 'Ready' }, availableCond, msReady];
  }
  const upToDate: Condition = c.notUpToDate.length ? { type: 'MachinesSpecUpToDate', status: 'False', reason: 'RollingUpdateInProgress', severity: 'Warning', message: `Rolling ${c.replicas} replicas with outdated spec (${c.upToDate} replicas up to date)` } : { type: 'MachinesSpecUpToDate', status: 'True' };
  return [{ ...availableCond, type: 'Ready' }, availableCond, { type: 'CertificatesAvailable', status: 'True' }, { type: 'MachinesCreated', status: 'True' }, machinesReady, upToDate, { ...resized, message: resized.message?.replace('MachineSet', 'control plane') }];
}

/** Counters, selector, observedGeneration and conditions, placed where the version keeps them. */
export function replicaStatus(v: CapiVersion, kind: string, obj: KubeObject, c: ReplicaCounts, nowMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = timestamp(nowMs);
  const prev = (obj.status ?? {}) as Record<string, unknown>;
  const prevOld = v === 'v1beta1' ? prev.conditions : getPath(prev, 'deprecated.v1beta1.conditions');
  const prevNew = v === 'v1beta1' ? getPath(prev, 'v1beta2.conditions') : prev.conditions;
  const oldList = oldConditions(replicaOldConditions(kind, c), prevOld, now);
  const newList = newConditions(replicaConditions(kind, c), prevNew, now, obj.metadata.generation);
  const unavailable = Math.max(0, c.replicas - c.nodeReady);
  const oldCounters: Record<string, number> = { readyReplicas: c.nodeReady };
  if (kind !== 'KubeadmControlPlane') oldCounters.availableReplicas = c.nodeReady;
  if (kind === 'MachineSet') oldCounters.fullyLabeledReplicas = c.replicas;
  else {
    oldCounters.updatedReplicas = c.upToDate;
    oldCounters.unavailableReplicas = unavailable;
  }
  const status: Record<string, unknown> = { ...extra, replicas: c.replicas, observedGeneration: obj.metadata.generation };
  if (v === 'v1beta1') {
    Object.assign(status, oldCounters, { conditions: oldList, v1beta2: { readyReplicas: c.ready, availableReplicas: c.ready, upToDateReplicas: c.upToDate, conditions: newList } });
  } else {
    Object.assign(status, { readyReplicas: c.ready, availableReplicas: c.ready, upToDateReplicas: c.upToDate, conditions: newList, deprecated: { v1beta1: { ...oldCounters, conditions: oldList } } });
  }
  return status;
}

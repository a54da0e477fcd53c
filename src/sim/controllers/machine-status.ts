// The status the Machine controller writes, in the scenario's API version: phase, initialization flags, nodeRef,
// addresses, nodeInfo, deletion timers, and both condition styles (v1beta1 keeps new-style conditions under
// status.v1beta2; v1beta2 keeps old-style ones under status.deprecated.v1beta1) — cluster-apis.md §1.1–§1.3.
// @see kubernetes-sigs/cluster-api internal/controllers/machine/machine_controller_status.go @v1.11.0
import { nodeRef, type CapiVersion } from '../content/capi.js';
import { newConditions, oldConditions, type Condition } from '../content/conditions.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import { nodeCondition } from './machine-health.js';

/** Where a deletion stands, from machine-deletion.ts. */
export interface DeletionState {
  /** v1beta2 Deleting reason: DrainingNode, WaitingForVolumeDetach, WaitingForInfrastructureDeletion, … */
  reason: string;
  message: string;
  /** Old-style DrainingSucceeded / VolumeDetachSucceeded / PreTerminateDeleteHookSucceeded conditions. */
  oldConditions: Condition[];
  nodeDrainStartTime?: string;
  waitForNodeVolumeDetachStartTime?: string;
}

/** What the Machine controller found out. */
export interface MachineFacts {
  infra?: KubeObject;
  node?: KubeObject;
  nodeExpected: boolean;
  bootstrapReady: boolean;
  infraReady: boolean;
  upToDate: boolean;
  deletion?: DeletionState;
  nowMs: number;
}

const pressure = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

function nodeConditions(f: MachineFacts): { old: Condition; nodeReady: Condition; nodeHealthy: Condition } {
  if (!f.node) {
    const msg = f.nodeExpected ? 'Node does not exist' : 'Waiting for a Node with spec.providerID to exist';
    return {
      old: { type: 'NodeHealthy', status: 'False', reason: f.nodeExpected ? 'NodeNotFound' : 'WaitingForNodeRef', severity: f.nodeExpected ? 'Error' : 'Info' },
      nodeReady: { type: 'NodeReady', status: 'Unknown', reason: f.nodeExpected ? 'NodeDeleted' : 'NodeDoesNotExist', message: msg },
      nodeHealthy: { type: 'NodeHealthy', status: 'Unknown', reason: f.nodeExpected ? 'NodeDeleted' : 'NodeDoesNotExist', message: msg },
    };
  }
  const ready = nodeCondition(f.node, 'Ready');
  const status = (ready?.status ?? 'Unknown') as Condition['status'];
  const readyMsg = status === 'True' ? '' : `* Node.Ready: ${ready?.message ?? 'Node condition Ready is not set'}`;
  const pressured = pressure.filter((t) => nodeCondition(f.node, t)?.status !== 'False');
  const healthy = status === 'True' && pressured.length === 0;
  const healthyMsg = healthy ? '' : [readyMsg, ...pressured.map((t) => `* Node.${t}: Condition ${nodeCondition(f.node, t)?.status ?? 'not set'}`)].filter(Boolean).join('\n');
  return {
    old: healthy
      ? { type: 'NodeHealthy', status: 'True' }
      : { type: 'NodeHealthy', status: 'False', reason: 'NodeConditionsFailed', severity: status === 'Unknown' ? 'Warning' : 'Error', message: `Node condition Ready is ${status}. ${ready?.message ?? ''}`.trim() },
    nodeReady: { type: 'NodeReady', status, reason: status === 'True' ? 'NodeReady' : status === 'False' ? 'NodeNotReady' : 'NodeReadyUnknown', message: readyMsg },
    nodeHealthy: { type: 'NodeHealthy', status: healthy ? 'True' : status === 'Unknown' ? 'Unknown' : 'False', reason: healthy ? 'NodeHealthy' : status === 'Unknown' ? 'NodeHealthyUnknown' : 'NodeNotHealthy', message: healthyMsg },
  };
}

/** The phase: Deleting, Running (node linked), Provisioned, Provisioning or Pending (machine_phase_types.go). */
function phaseOf(m: KubeObject, f: MachineFacts): string {
  if (m.metadata.deletionTimestamp) return 'Deleting';
  if (f.node) return 'Running';
  if (f.infraReady) return 'Provisioned';
  if (f.bootstrapReady) return 'Provisioning';
  return 'Pending';
}

/** The full status for a Machine. */
export function machineStatus(v: CapiVersion, m: KubeObject, f: MachineFacts): Record<string, unknown> {
  const now = timestamp(f.nowMs);
  const prev = (m.status ?? {}) as Record<string, unknown>;
  const n = nodeConditions(f);
  const deleting = !!m.metadata.deletionTimestamp;
  const infraOld: Condition = f.infraReady ? { type: 'InfrastructureReady', status: 'True' } : { type: 'InfrastructureReady', status: 'False', reason: f.infra ? 'WaitingForInfrastructure' : 'InfrastructureNotFound', severity: 'Info', message: f.infra ? `${f.infra.kind} status.ready is false` : '' };
  const summaryOld = [infraOld, n.old].find((c) => c.status !== 'True');
  const old: Condition[] = [
    deleting ? { type: 'Ready', status: 'False', reason: 'Deleting', severity: 'Info' } : summaryOld ? { ...summaryOld, type: 'Ready' } : { type: 'Ready', status: 'True' },
    { type: 'BootstrapReady', status: f.bootstrapReady ? 'True' : 'False', ...(f.bootstrapReady ? {} : { reason: 'WaitingForDataSecret', severity: 'Info' as const }) },
    infraOld,
    n.old,
    ...(f.deletion?.oldConditions ?? []),
  ];
  const deletingCond: Condition = deleting
    ? { type: 'Deleting', status: 'True', reason: f.deletion?.reason ?? 'Deleting', message: f.deletion?.message ?? '' }
    : { type: 'Deleting', status: 'False', reason: 'NotDeleting' };
  const notReady = [
    ...(deleting ? [`* Deleting: Machine deletion in progress, stage: ${f.deletion?.reason ?? 'Deleting'}`] : []),
    ...(f.infraReady ? [] : ['* InfrastructureReady: Waiting for the OpenStackMachine to be provisioned']),
    ...(n.nodeHealthy.status === 'True' ? [] : [`* NodeHealthy: ${n.nodeHealthy.message || n.nodeHealthy.reason}`]),
  ];
  const ready = notReady.length === 0;
  const conditions: Condition[] = [
    { type: 'Available', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'NotAvailable', message: ready ? '' : '* Ready: Condition is False' },
    { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Ready' : 'NotReady', message: notReady.join('\n') },
    { type: 'UpToDate', status: f.upToDate ? 'True' : 'False', reason: f.upToDate ? 'UpToDate' : 'NotUpToDate', message: f.upToDate ? '' : '* Version or template of the owner changed' },
    { type: 'BootstrapConfigReady', status: f.bootstrapReady ? 'True' : 'False', reason: f.bootstrapReady ? 'DataSecretProvided' : 'NotReady' },
    { type: 'InfrastructureReady', status: f.infraReady ? 'True' : 'False', reason: f.infraReady ? 'Ready' : f.infra ? 'NotReady' : 'DoesNotExist' },
    n.nodeReady,
    n.nodeHealthy,
    deletingCond,
    { type: 'Paused', status: 'False', reason: 'NotPaused' },
  ];
  const phase = phaseOf(m, f);
  const status: Record<string, unknown> = {
    phase,
    observedGeneration: m.metadata.generation,
    lastUpdated: prev.phase === phase && typeof prev.lastUpdated === 'string' ? prev.lastUpdated : now,
  };
  const addresses = getPath(f.infra, 'status.addresses');
  if (Array.isArray(addresses) && addresses.length) status.addresses = addresses;
  if (f.node) {
    status.nodeRef = nodeRef(v, f.node);
    const info = getPath(f.node, 'status.nodeInfo');
    if (info) status.nodeInfo = info;
  } else if (prev.nodeRef && deleting) {
    status.nodeRef = prev.nodeRef;
  }
  const timers: Record<string, string> = {};
  if (f.deletion?.nodeDrainStartTime) timers.nodeDrainStartTime = f.deletion.nodeDrainStartTime;
  if (f.deletion?.waitForNodeVolumeDetachStartTime) timers.waitForNodeVolumeDetachStartTime = f.deletion.waitForNodeVolumeDetachStartTime;
  if (Object.keys(timers).length) status.deletion = timers;
  const prevOld = v === 'v1beta1' ? prev.conditions : getPath(prev, 'deprecated.v1beta1.conditions');
  const prevNew = v === 'v1beta1' ? getPath(prev, 'v1beta2.conditions') : prev.conditions;
  const oldList = oldConditions(old, prevOld, now);
  const newList = newConditions(conditions, prevNew, now, m.metadata.generation);
  if (v === 'v1beta1') {
    status.bootstrapReady = f.bootstrapReady;
    status.infrastructureReady = f.infraReady;
    status.conditions = oldList;
    status.v1beta2 = { conditions: newList };
  } else {
    status.initialization = { bootstrapDataSecretCreated: f.bootstrapReady, infrastructureProvisioned: f.infraReady };
    status.conditions = newList;
    status.deprecated = { v1beta1: { conditions: oldList } };
  }
  return status;
}

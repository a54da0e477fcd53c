// The machines table: phase, who replaces the machine if it goes away, its node, a one-line condition summary
// and, while deleting, how far the deletion got (drain and volume-detach timers against their timeouts).
// @see /work/shared/reference/cluster-apis.md §1.3, §1.4 (conditions and the deletion steps)
import { ageSince, humanAge } from '../../format/duration.js';
import type { ClusterModel, ConditionView, MachineView } from '../types.js';
import { compareText } from '../read.js';

/** How a deleting Machine is progressing. Times are ISO strings; `…ForMs` are ages at `now`. */
export interface MachineDeletion {
  since: string;
  forMs: number;
  drainStartedAt?: string;
  drainingForMs?: number;
  volumeDetachStartedAt?: string;
  waitingForVolumeDetachForMs?: number;
  /** Configured timeouts in seconds (undefined = not set, which means wait forever). */
  nodeDrainSeconds?: number;
  nodeVolumeDetachSeconds?: number;
  /** Time left before CAPI stops waiting for the drain (0 = elapsed); only when a drain timeout is set. */
  drainTimeoutLeftMs?: number;
}

/** One row of the machines table. */
export interface MachineRow {
  namespace: string;
  name: string;
  phase: string;
  /** The object that creates a replacement (MachineDeployment, KubeadmControlPlane, or a MachineSet on its own). */
  owner?: { kind: string; name: string };
  /** False when nothing owns the machine: deleting it is final. */
  replacedOnDelete: boolean;
  version?: string;
  providerID?: string;
  node?: string;
  age: string;
  summary: string;
  deletion?: MachineDeletion;
}

const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0]!.trim();
const describe = (c: ConditionView) => [c.reason, firstLine(c.message)].filter(Boolean).join(': ') || `${c.type}=${c.status}`;

/** The Machine's owner that replaces it: the MachineDeployment behind its MachineSet, or its KCP. */
export function machineOwner(machine: MachineView, model: Pick<ClusterModel, 'machineSets' | 'machineDeployments' | 'controlPlanes'>): MachineRow['owner'] {
  const owner = machine.owner;
  const ns = machine.namespace;
  if (owner?.kind === 'KubeadmControlPlane' || (!owner && machine.controlPlaneName)) {
    return { kind: 'KubeadmControlPlane', name: owner?.name ?? machine.controlPlaneName! };
  }
  if (owner?.kind === 'MachineSet') {
    const md = machine.deploymentName ?? model.machineSets.get(`${ns}/${owner.name}`)?.deploymentName;
    return md && model.machineDeployments.has(`${ns}/${md}`) ? { kind: 'MachineDeployment', name: md } : { kind: 'MachineSet', name: owner.name };
  }
  return owner ? { kind: owner.kind, name: owner.name } : undefined;
}

/** A one-line summary: the deletion step, a terminal failure, the first condition that is not fine, or the phase. */
export function machineSummary(machine: MachineView): string {
  const find = (list: ConditionView[], type: string) => list.find((c) => c.type === type);
  if (machine.deleting) {
    const deleting = find(machine.conditions, 'Deleting');
    if (deleting && deleting.status === 'True') return describe(deleting);
    const legacy = machine.legacyConditions.find((c) => c.status === 'False' && ['DrainingSucceeded', 'VolumeDetachSucceeded', 'PreTerminateDeleteHookSucceeded'].includes(c.type));
    return legacy ? `${legacy.type}: ${describe(legacy)}` : 'Deleting';
  }
  // v1beta2 keeps a v1beta1 failure under status.deprecated after the machine recovered: only a Failed phase
  // makes it the headline.
  const failure = [machine.failureReason, firstLine(machine.failureMessage)].filter(Boolean).join(': ');
  if (failure && machine.phase === 'Failed') return failure;
  for (const type of ['Ready', 'NodeHealthy', 'InfrastructureReady', 'BootstrapConfigReady']) {
    const c = find(machine.conditions, type) ?? find(machine.legacyConditions, type === 'BootstrapConfigReady' ? 'BootstrapReady' : type);
    if (c && c.status !== 'True') return `${type}: ${describe(c)}`;
  }
  return find(machine.conditions, 'Ready') || find(machine.legacyConditions, 'Ready') ? 'Ready' : failure || machine.phase;
}

/** Deletion progress of a Machine with a deletionTimestamp, at `nowMs`. */
export function machineDeletion(machine: MachineView, nowMs: number): MachineDeletion | undefined {
  if (!machine.deleting) return undefined;
  const since = (iso: string | undefined) => (iso ? nowMs - Date.parse(iso) : undefined);
  const out: MachineDeletion = { since: machine.deleting, forMs: since(machine.deleting) ?? 0 };
  if (machine.drainStartedAt) {
    out.drainStartedAt = machine.drainStartedAt;
    out.drainingForMs = since(machine.drainStartedAt)!;
    if (machine.nodeDrainSeconds) out.drainTimeoutLeftMs = Math.max(0, machine.nodeDrainSeconds * 1000 - out.drainingForMs);
  }
  if (machine.volumeDetachStartedAt) {
    out.volumeDetachStartedAt = machine.volumeDetachStartedAt;
    out.waitingForVolumeDetachForMs = since(machine.volumeDetachStartedAt)!;
  }
  if (machine.nodeDrainSeconds !== undefined) out.nodeDrainSeconds = machine.nodeDrainSeconds;
  if (machine.nodeVolumeDetachSeconds !== undefined) out.nodeVolumeDetachSeconds = machine.nodeVolumeDetachSeconds;
  return out;
}

/** Owners whose controllers create a replacement Machine. */
const replacing = new Set(['MachineDeployment', 'KubeadmControlPlane', 'MachineSet', 'MachinePool']);

/** The machines table, sorted by namespace and name. */
export function summarizeMachines(model: ClusterModel, nowMs: number): MachineRow[] {
  return [...model.machines.values()]
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name))
    .map((m) => {
      const owner = machineOwner(m, model);
      const row: MachineRow = { namespace: m.namespace, name: m.name, phase: m.phase, replacedOnDelete: replacing.has(owner?.kind ?? ''), age: ageSince(m.created, nowMs), summary: machineSummary(m) };
      if (owner) row.owner = owner;
      if (m.version) row.version = m.version;
      if (m.providerID) row.providerID = m.providerID;
      if (m.nodeName) row.node = m.nodeName;
      const deletion = machineDeletion(m, nowMs);
      if (deletion) row.deletion = deletion;
      return row;
    });
}

/** "draining for 12m (timeout 10m0s: 0s left)"-style text for a screen; empty when not deleting. */
export function deletionText(d: MachineDeletion | undefined): string {
  if (!d) return '';
  const parts = [`deleting for ${humanAge(d.forMs)}`];
  if (d.drainingForMs !== undefined) parts.push(`draining for ${humanAge(d.drainingForMs)}${d.nodeDrainSeconds ? ` (timeout ${humanAge(d.nodeDrainSeconds * 1000)})` : ' (no drain timeout)'}`);
  if (d.waitingForVolumeDetachForMs !== undefined) parts.push(`waiting for volume detach for ${humanAge(d.waitingForVolumeDetachForMs)}`);
  return parts.join(', ');
}

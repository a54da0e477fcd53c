// Rollouts per MachineDeployment and KubeadmControlPlane: the counters, old vs new machines, progress, and
// "stalled" when a rollout that is not complete has not moved (no machine created, deleted or changing
// condition, no owner condition change) for a configurable time.
// @see /work/shared/reference/cluster-apis.md §1.7 ("How a template change shows up"), §1.8
import { humanAge } from '../../format/duration.js';
import type { ClusterModel, MachineView, RolloutOwnerView } from '../types.js';
import { compareText } from '../read.js';

/** One row of the rollouts table. */
export interface RolloutRow {
  kind: 'MachineDeployment' | 'KubeadmControlPlane';
  namespace: string;
  name: string;
  version?: string;
  desired?: number;
  replicas?: number;
  upToDate?: number;
  ready?: number;
  available?: number;
  machines: { total: number; new: number; old: number; deleting: number };
  /** e.g. "2/3 up to date". */
  progress: string;
  complete: boolean;
  paused: boolean;
  stalled: boolean;
  lastMovement?: string;
  idleFor?: string;
}

/** Default: a rollout that has not moved for 15 minutes is stalled (CAPI re-evaluates drains every 20 s). */
export const defaultStalledAfterMs = 15 * 60_000;

/** The machines a rollout owner manages. */
export function ownedMachines(owner: RolloutOwnerView, model: Pick<ClusterModel, 'machines' | 'machineSets'>): MachineView[] {
  return [...model.machines.values()].filter((m) => {
    if (m.namespace !== owner.namespace) return false;
    if (owner.kind === 'KubeadmControlPlane') return m.controlPlaneName === owner.name || (m.owner?.kind === 'KubeadmControlPlane' && m.owner.name === owner.name);
    if (m.deploymentName === owner.name) return true;
    return m.owner?.kind === 'MachineSet' && model.machineSets.get(`${m.namespace}/${m.owner.name}`)?.deploymentName === owner.name;
  });
}

/** The template hash of a MachineDeployment's newest MachineSet (highest revision, then newest). */
function newestHash(owner: RolloutOwnerView, model: Pick<ClusterModel, 'machineSets'>): string | undefined {
  const sets = [...model.machineSets.values()].filter((s) => s.namespace === owner.namespace && s.deploymentName === owner.name);
  sets.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0) || compareText(b.created ?? '', a.created ?? ''));
  return sets[0]?.templateHash;
}

/** Whether a machine matches its owner's current spec: its UpToDate condition if reported, else hash/version. */
export function isUpToDate(machine: MachineView, owner: RolloutOwnerView, newest: string | undefined): boolean {
  const condition = machine.conditions.find((c) => c.type === 'UpToDate');
  if (condition) return condition.status === 'True';
  if (owner.kind === 'KubeadmControlPlane') return machine.version === owner.version;
  return newest !== undefined && machine.templateHash === newest;
}

/** The latest time anything about this rollout changed, from timestamps the views carry. */
function lastMovement(owner: RolloutOwnerView, machines: MachineView[]): number | undefined {
  const times = [owner.created, ...owner.conditions.map((c) => c.lastTransitionTime)];
  for (const m of machines) times.push(m.created, m.deleting, ...m.conditions.map((c) => c.lastTransitionTime), ...m.legacyConditions.map((c) => c.lastTransitionTime));
  const parsed = times.flatMap((t) => (t ? [Date.parse(t)] : [])).filter((t) => !Number.isNaN(t));
  return parsed.length ? Math.max(...parsed) : undefined;
}

/** One rollout row at `nowMs`. */
export function summarizeRollout(owner: RolloutOwnerView, model: ClusterModel, nowMs: number, stalledAfterMs = defaultStalledAfterMs): RolloutRow {
  const machines = ownedMachines(owner, model);
  const newest = owner.kind === 'MachineDeployment' ? newestHash(owner, model) : undefined;
  const live = machines.filter((m) => !m.deleting);
  const fresh = live.filter((m) => isUpToDate(m, owner, newest)).length;
  const desired = owner.desired;
  const upToDate = owner.upToDate ?? fresh;
  const observed = owner.generation === undefined || owner.observedGeneration === undefined || owner.observedGeneration >= owner.generation;
  const target = desired ?? live.length;
  const complete = observed && upToDate === target && (owner.replicas ?? live.length) === target && live.length - fresh === 0 && machines.length === live.length && owner.rollingOut !== true;
  const moved = lastMovement(owner, machines);
  const row: RolloutRow = {
    kind: owner.kind,
    namespace: owner.namespace,
    name: owner.name,
    machines: { total: machines.length, new: fresh, old: live.length - fresh, deleting: machines.length - live.length },
    progress: `${upToDate}/${target} up to date`,
    complete,
    paused: owner.paused,
    stalled: !complete && !owner.paused && moved !== undefined && nowMs - moved > stalledAfterMs,
  };
  for (const key of ['version', 'desired', 'replicas', 'upToDate', 'ready', 'available'] as const) {
    const value = owner[key];
    if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
  }
  if (moved !== undefined) {
    row.lastMovement = new Date(moved).toISOString();
    row.idleFor = humanAge(nowMs - moved);
  }
  return row;
}

/** The rollouts table for MachineDeployments and KubeadmControlPlanes, sorted by namespace and name. */
export function summarizeRollouts(model: ClusterModel, nowMs: number, stalledAfterMs = defaultStalledAfterMs): { machineDeployments: RolloutRow[]; controlPlanes: RolloutRow[] } {
  const rows = (owners: Iterable<RolloutOwnerView>) =>
    [...owners].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)).map((o) => summarizeRollout(o, model, nowMs, stalledAfterMs));
  return { machineDeployments: rows(model.machineDeployments.values()), controlPlanes: rows(model.controlPlanes.values()) };
}

// What the screens read beyond the derived tables of selectors.ts: the row types (re-exported, since screens may
// import only view types from src/kube), per-job and per-node usage series for sparklines and charts, the usage of
// each Prow job's pod right now, and the objects a detail pane lists. Pure functions of the state, memoised on
// the references they read, so a re-render without changes returns the same values.
import type { ComponentRow } from '../kube/summarize/components.js';
import { isUpToDate, ownedMachines } from '../kube/summarize/rollouts.js';
import type { ClusterModel, EventView, MachineView, PodView, Resources, RolloutOwnerView } from '../kube/types.js';
import { memoizeLast } from './selectors.js';
import type { AppState } from './state.js';

export type { ComponentEvent, ComponentRow } from '../kube/summarize/components.js';
export type { JobUsageFlag, JobUsageRow } from '../kube/summarize/job-usage.js';
export type { MachineDeletion, MachineRow } from '../kube/summarize/machines.js';
export type { NodeResourceColumn, NodeRow } from '../kube/summarize/nodes.js';
export type { ProwJobRow, ProwJobsSummary } from '../kube/summarize/prow-jobs.js';
export type { RolloutRow } from '../kube/summarize/rollouts.js';
export type { KindStatus } from './selectors.js';

type History = AppState['metrics']['history'];

/** CPU (millicores) of one node over the recorded polls, oldest first. */
export function nodeCpuSeries(history: History, node: string): number[] {
  return (history.nodes.get(node) ?? []).map((p) => p.cpuMilli);
}

const jobSeriesCache = new WeakMap<History, Map<string, { cpu: number[]; memory: number[] }>>();

/** A job's usage over time: at each poll, the sum over the job's pods sampled in it (CPU and memory series). */
export function jobUsageSeries(history: History, job: string): { cpu: number[]; memory: number[] } {
  let cache = jobSeriesCache.get(history);
  if (!cache) jobSeriesCache.set(history, (cache = new Map()));
  const hit = cache.get(job);
  if (hit) return hit;
  const byTime = new Map<number, Resources>();
  for (const run of history.jobs.get(job) ?? []) {
    for (const point of history.pods.get(run.pod) ?? []) {
      const sum = byTime.get(point.at) ?? { cpuMilli: 0, memoryBytes: 0 };
      byTime.set(point.at, { cpuMilli: sum.cpuMilli + point.cpuMilli, memoryBytes: sum.memoryBytes + point.memoryBytes });
    }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const series = { cpu: times.map((t) => byTime.get(t)!.cpuMilli), memory: times.map((t) => byTime.get(t)!.memoryBytes) };
  cache.set(job, series);
  return series;
}

const sameUsage = (a: ReadonlyMap<string, Resources>, b: ReadonlyMap<string, Resources>) => {
  if (a.size !== b.size) return false;
  for (const [id, r] of a) {
    const other = b.get(id);
    if (!other || other.cpuMilli !== r.cpuMilli || other.memoryBytes !== r.memoryBytes) return false;
  }
  return true;
};

let lastUsage: ReadonlyMap<string, Resources> = new Map();

/**
 * Usage of each ProwJob's pod in the latest poll, by ProwJob id; jobs without a sample are absent. Worked out again
 * when the pods change, but the previous map is returned while it holds the same numbers: the jobs table's columns
 * are built from it, and new columns make the table filter all 20,000 rows again and redraw every cell, which on
 * every watch batch of pod status changes kept the dashboard busy while the operator typed (bench figure 3 at L).
 */
export const selectJobPodUsage = memoizeLast((pods: ClusterModel['pods'], history: History): ReadonlyMap<string, Resources> => {
  const out = new Map<string, Resources>();
  if (history.lastPollAt !== undefined) {
    for (const pod of pods.values()) {
      if (!pod.job) continue;
      const last = history.pods.get(`${pod.namespace}/${pod.name}`)?.at(-1);
      if (last && last.at === history.lastPollAt) out.set(pod.job.prowJobId, { cpuMilli: last.cpuMilli, memoryBytes: last.memoryBytes });
    }
  }
  if (!sameUsage(out, lastUsage)) lastUsage = out;
  return lastUsage;
});

/** When each Prow component's Deployment was created, by `namespace/name`. */
export function componentCreated(model: ClusterModel, row: Pick<ComponentRow, 'namespace' | 'name'>): string | undefined {
  return model.deployments.get(`${row.namespace}/${row.name}`)?.created;
}

/** The newest event or bookmark over all watch sources (ms), for the header's API freshness. */
export function newestEventAt(sources: AppState['cluster']['sources']): number | undefined {
  let newest: number | undefined;
  for (const source of Object.values(sources)) {
    if (source.lastEventAt !== undefined && (newest === undefined || source.lastEventAt > newest)) newest = source.lastEventAt;
  }
  return newest;
}

/** Watch sources that are not watching (retrying or stopped), for the header. */
export function troubledSources(sources: AppState['cluster']['sources']): { kind: string; phase: string; error?: string }[] {
  return Object.values(sources)
    .filter((s) => s.phase === 'backoff' || s.phase === 'stopped')
    .map((s) => ({ kind: s.kind, phase: s.phase, ...(s.error ? { error: s.error } : {}) }));
}

/** What a node's detail pane lists: the pods bound to it (job pods grouped by job name) and recent Warning events. */
export interface NodeDetailData {
  jobPods: { job: string; pods: PodView[] }[];
  otherPods: PodView[];
  events: EventView[];
}

/** The pods and events of one node (events about the node itself or any pod on it, newest first). */
export function nodeDetailData(model: ClusterModel, node: string): NodeDetailData {
  const pods = [...model.pods.values()].filter((p) => p.nodeName === node && p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const byJob = new Map<string, PodView[]>();
  const otherPods: PodView[] = [];
  for (const pod of pods) {
    if (pod.job) byJob.set(pod.job.job, [...(byJob.get(pod.job.job) ?? []), pod]);
    else otherPods.push(pod);
  }
  const podKeys = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const events = [...model.events.values()]
    .filter((e) => (e.involved.kind === 'Node' && e.involved.name === node) || (e.involved.kind === 'Pod' && podKeys.has(`${e.involved.namespace ?? e.namespace}/${e.involved.name}`)))
    .sort((a, b) => (b.lastSeen ?? b.created ?? '').localeCompare(a.lastSeen ?? a.created ?? ''));
  return {
    jobPods: [...byJob].sort((a, b) => a[0].localeCompare(b[0])).map(([job, list]) => ({ job, pods: list })),
    otherPods: otherPods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    events,
  };
}

/** Pods of Prow jobs waiting to be scheduled (phase Pending without a node): what a scale-out would help. */
export function pendingJobPods(model: ClusterModel): PodView[] {
  return [...model.pods.values()].filter((p) => p.job && p.phase === 'Pending' && !p.nodeName && !p.deleting);
}

/** A machine of a rollout and whether it already matches the owner's current spec. */
export interface RolloutMachine {
  machine: MachineView;
  upToDate: boolean;
}

/** The machines a MachineDeployment or KubeadmControlPlane manages, new ones first, for the rollout detail. */
export function rolloutMachines(model: ClusterModel, kind: RolloutOwnerView['kind'], namespace: string, name: string): RolloutMachine[] {
  const owner = (kind === 'MachineDeployment' ? model.machineDeployments : model.controlPlanes).get(`${namespace}/${name}`);
  if (!owner) return [];
  // The newest MachineSet (highest revision) carries the template hash new machines have, as summarize does.
  const sets = [...model.machineSets.values()].filter((s) => s.namespace === namespace && s.deploymentName === name);
  sets.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0) || (b.created ?? '').localeCompare(a.created ?? ''));
  const newest = sets[0]?.templateHash;
  return ownedMachines(owner, model)
    .map((machine) => ({ machine, upToDate: isUpToDate(machine, owner, newest) }))
    .sort((a, b) => Number(b.upToDate) - Number(a.upToDate) || a.machine.name.localeCompare(b.machine.name));
}

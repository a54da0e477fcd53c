// Derived tables for screens: the pure summaries of src/kube/summarize, memoised on the inputs' references and
// the second of `now`, so a re-render without changes returns the same rows (and useShallow sees no change).
import { latestNodeUsage } from '../kube/metrics-history.js';
import { summarizeComponents, type ComponentRow } from '../kube/summarize/components.js';
import { summarizeJobUsage, type JobUsageRow } from '../kube/summarize/job-usage.js';
import { summarizeMachines, type MachineRow } from '../kube/summarize/machines.js';
import { summarizeNodes, type NodeRow } from '../kube/summarize/nodes.js';
import { prowJobsCache, summarizeProwJobs, type ProwJobsSummary } from '../kube/summarize/prow-jobs.js';
import { defaultStalledAfterMs, summarizeRollouts, type RolloutRow } from '../kube/summarize/rollouts.js';
import type { KindId } from '../kube/types.js';
import type { AppState, SourceStatus } from './state.js';

/** Remembers the last result and recomputes only when an argument changes (Object.is). */
export function memoizeLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}

const second = (nowMs: number) => Math.floor(nowMs / 1000) * 1000;

const nodes = memoizeLast((model: AppState['cluster']['model'], history: AppState['metrics']['history'], now: number) => summarizeNodes(model, latestNodeUsage(history), now));
/** The nodes table. */
export const selectNodeRows = (s: AppState, nowMs: number): NodeRow[] => nodes(s.cluster.model, s.metrics.history, second(nowMs));

const machines = memoizeLast(summarizeMachines);
/** The machines table. */
export const selectMachineRows = (s: AppState, nowMs: number): MachineRow[] => machines(s.cluster.model, second(nowMs));

const rollouts = memoizeLast(summarizeRollouts);
/** The rollouts of MachineDeployments and KubeadmControlPlanes. */
export const selectRollouts = (s: AppState, nowMs: number, stalledAfterMs = defaultStalledAfterMs): { machineDeployments: RolloutRow[]; controlPlanes: RolloutRow[] } =>
  rollouts(s.cluster.model, second(nowMs), stalledAfterMs);

// Keyed on the two maps it reads: an event of any other kind replaces the model object but changes no job row. The
// cache carries the rows from one call to the next, so a call costs the jobs that changed (and the running ones).
const prowJobRows = prowJobsCache();
const prowJobs = memoizeLast((jobs: AppState['cluster']['model']['prowJobs'], pods: AppState['cluster']['model']['pods'], now: number) =>
  summarizeProwJobs({ prowJobs: jobs, pods }, now, prowJobRows));
/** The Prow jobs table with counts by state. */
export const selectProwJobs = (s: AppState, nowMs: number): ProwJobsSummary => prowJobs(s.cluster.model.prowJobs, s.cluster.model.pods, second(nowMs));

const jobUsage = memoizeLast(summarizeJobUsage);
/** Per-job usage by full job name. */
export const selectJobUsage = (s: AppState): JobUsageRow[] => jobUsage(s.cluster.model, s.metrics.history);

const components = memoizeLast(summarizeComponents);
/** Prow component health (Deployments in the Prow namespace). */
export const selectComponents = (s: AppState, nowMs: number): ComponentRow[] => components(s.cluster.model, second(nowMs));

/** A kind's state over its sources: the worst phase, synced when all are, freshness of the stalest. */
export interface KindStatus {
  kind: KindId;
  phase: SourceStatus['phase'] | 'unknown';
  synced: boolean;
  error?: string;
  reason?: string;
  /** ms since the last event or bookmark of the stalest source; undefined before any. */
  staleForMs?: number;
}

const severity: Record<KindStatus['phase'], number> = { watching: 0, listing: 1, backoff: 2, stopped: 3, 'not-installed': 4, unknown: 5 };

/** The status of one kind at `nowMs`. */
export function selectKindStatus(s: AppState, kind: KindId, nowMs: number): KindStatus {
  const sources = Object.values(s.cluster.sources).filter((x) => x.kind === kind);
  if (sources.length === 0) return { kind, phase: 'unknown', synced: false };
  const worst = sources.reduce((a, b) => (severity[b.phase] > severity[a.phase] ? b : a));
  const out: KindStatus = { kind, phase: worst.phase, synced: sources.every((x) => x.synced) };
  const error = sources.find((x) => x.error)?.error;
  if (error) out.error = error;
  if (worst.reason) out.reason = worst.reason;
  const times = sources.map((x) => x.lastEventAt);
  if (times.every((t) => t !== undefined)) out.staleForMs = nowMs - Math.min(...(times as number[]));
  return out;
}

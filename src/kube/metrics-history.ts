// Bounded usage histories, per node, per pod and per job name, updated immutably from each metrics poll so
// they can live in the store. Per job, each run (pod) keeps its peak: sizing a job's request is about the
// peak a run reaches, so p95 and max are taken over per-run peaks (job-usage.ts).
import { pushBounded } from '../format/stats.js';
import type { MetricsPoll } from './metrics.js';
import type { Resources } from './types.js';

/** One sample in a history. */
export interface UsagePoint extends Resources {
  at: number;
}

/** One run of a job (one pod) as seen by the metrics polls. */
export interface JobRun {
  /** `namespace/name` of the pod. */
  pod: string;
  node?: string;
  firstSeen: number;
  lastSeen: number;
  samples: number;
  peak: Resources;
  last: Resources;
}

/** All histories. Maps and arrays are replaced, never mutated. */
export interface MetricsHistory {
  nodes: ReadonlyMap<string, readonly UsagePoint[]>;
  pods: ReadonlyMap<string, readonly UsagePoint[]>;
  jobs: ReadonlyMap<string, readonly JobRun[]>;
  /** `at` of the last poll recorded. */
  lastPollAt?: number;
  polls: number;
}

/** Bounds: points per node/pod history, runs per job, number of jobs, and how long a vanished pod is kept. */
export interface HistoryLimits {
  points: number;
  runsPerJob: number;
  jobs: number;
  podRetentionMs: number;
}

/** One hour of 15 s samples per node and pod, the last 200 runs of at most 500 jobs, pods kept 10 min after. */
export const defaultHistoryLimits: HistoryLimits = { points: 240, runsPerJob: 200, jobs: 500, podRetentionMs: 10 * 60_000 };

/** An empty history. */
export function emptyHistory(): MetricsHistory {
  return { nodes: new Map(), pods: new Map(), jobs: new Map(), polls: 0 };
}

/** What the model knows about a sampled pod: its full job name (if a Prow job) and node. */
export type PodLookup = (namespace: string, name: string) => { job?: string; node?: string } | undefined;

/** Records one poll: appends samples, updates job runs, and drops what fell out of the bounds. */
export function recordPoll(history: MetricsHistory, poll: MetricsPoll, lookup: PodLookup, limits: HistoryLimits = defaultHistoryLimits): MetricsHistory {
  const point = (r: Resources): UsagePoint => ({ at: poll.at, cpuMilli: r.cpuMilli, memoryBytes: r.memoryBytes });
  const nodes = new Map(history.nodes);
  for (const sample of poll.nodes) nodes.set(sample.name, pushBounded(nodes.get(sample.name) ?? [], point(sample), limits.points));

  const pods = new Map(history.pods);
  const jobs = new Map(history.jobs);
  for (const sample of poll.pods) {
    const key = `${sample.namespace}/${sample.name}`;
    pods.set(key, pushBounded(pods.get(key) ?? [], point(sample), limits.points));
    const info = lookup(sample.namespace, sample.name);
    if (!info?.job) continue;
    const runs = jobs.get(info.job) ?? [];
    const index = runs.findIndex((r) => r.pod === key);
    const usage = { cpuMilli: sample.cpuMilli, memoryBytes: sample.memoryBytes };
    if (index >= 0) {
      const run = runs[index]!;
      const updated: JobRun = {
        ...run,
        lastSeen: poll.at,
        samples: run.samples + 1,
        peak: { cpuMilli: Math.max(run.peak.cpuMilli, usage.cpuMilli), memoryBytes: Math.max(run.peak.memoryBytes, usage.memoryBytes) },
        last: usage,
        ...(info.node ? { node: info.node } : {}),
      };
      jobs.set(info.job, runs.map((r, i) => (i === index ? updated : r)));
    } else {
      const run: JobRun = { pod: key, firstSeen: poll.at, lastSeen: poll.at, samples: 1, peak: usage, last: usage, ...(info.node ? { node: info.node } : {}) };
      jobs.set(info.job, pushBounded(runs, run, limits.runsPerJob));
    }
  }
  // Nodes and pods that stopped reporting (deleted, or their kubelet is gone) age out.
  for (const map of [nodes, pods]) for (const [key, points] of map) if ((points.at(-1)?.at ?? 0) < poll.at - limits.podRetentionMs) map.delete(key);
  if (jobs.size > limits.jobs) {
    const lastSeen = (runs: readonly JobRun[]) => Math.max(...runs.map((r) => r.lastSeen));
    const oldest = [...jobs.entries()].sort((a, b) => lastSeen(a[1]) - lastSeen(b[1])).slice(0, jobs.size - limits.jobs);
    for (const [job] of oldest) jobs.delete(job);
  }
  return { nodes, pods, jobs, lastPollAt: poll.at, polls: history.polls + 1 };
}

/** The latest sample of each node from the last poll (nodes that were not in it, e.g. with a dead kubelet, are absent). */
export function latestNodeUsage(history: MetricsHistory): Map<string, Resources> {
  const out = new Map<string, Resources>();
  for (const [name, points] of history.nodes) {
    const last = points.at(-1);
    if (last && last.at === history.lastPollAt) out.set(name, { cpuMilli: last.cpuMilli, memoryBytes: last.memoryBytes });
  }
  return out;
}

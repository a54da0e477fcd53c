// Per-job usage, aggregated by the FULL job name (annotation, not the truncated label): runs seen, runs going
// now, current usage summed over its pods, max and p95 of per-run peaks, the requests configured in the job's
// pod spec, a suggested request (p95 plus headroom) and flags for jobs without requests or above them.
// @see /work/shared/reference/operations.md ("usage must be tracked per job name, not per pod name")
import { max, percentile } from '../../format/stats.js';
import type { JobRun, MetricsHistory } from '../metrics-history.js';
import type { ClusterModel, ContainerRequests, Resources } from '../types.js';
import { compareText } from '../read.js';

/** A problem worth showing next to a job. */
export type JobUsageFlag = 'no-requests' | 'over-requests';

/** One row of the per-job usage table. */
export interface JobUsageRow {
  job: string;
  runsSeen: number;
  runningNow: number;
  /** Summed over the job's pods in the latest poll; undefined before any poll. */
  current?: Resources;
  /** Over per-run peaks within the observed window; undefined without samples. */
  max?: Resources;
  p95?: Resources;
  /** Per pod (containers summed); a field is undefined when no container requests it. */
  requests: { cpuMilli?: number; memoryBytes?: number };
  suggested?: Resources;
  flags: JobUsageFlag[];
}

/** Headroom on top of p95 for the suggestion, in percent. */
export const defaultHeadroomPercent = 20;

const MI = 2 ** 20;

/** p95 × (100 + headroom)%, rounded up to 10m CPU and 1Mi memory (integer percent, so 100m → 120m exactly). */
export function suggestRequest(p95: Resources, headroomPercent = defaultHeadroomPercent): Resources {
  const grow = (v: number) => (v * (100 + headroomPercent)) / 100;
  // The epsilon absorbs float noise so that an exact multiple is not pushed up a step.
  const up = (v: number, step: number) => Math.max(0, Math.ceil(v / step - 1e-9) * step);
  return { cpuMilli: up(grow(p95.cpuMilli), 10), memoryBytes: up(grow(p95.memoryBytes), MI) };
}

/** Requests of one pod from its containers; undefined per resource when no container sets it. */
export function summedRequests(containers: readonly ContainerRequests[]): JobUsageRow['requests'] {
  const sum = (key: 'cpuMilli' | 'memoryBytes') => {
    const values = containers.flatMap((c) => (c[key] === undefined ? [] : [c[key]!]));
    return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  const out: JobUsageRow['requests'] = {};
  const cpu = sum('cpuMilli');
  const memory = sum('memoryBytes');
  if (cpu !== undefined) out.cpuMilli = cpu;
  if (memory !== undefined) out.memoryBytes = memory;
  return out;
}

/** The requests each job is configured with: from its newest ProwJob's pod_spec, else from one of its pods. */
function configuredRequests(model: ClusterModel): Map<string, JobUsageRow['requests']> {
  const newest = new Map<string, { created: string; requests: readonly ContainerRequests[] }>();
  for (const pj of model.prowJobs.values()) {
    if (pj.requests.length === 0) continue;
    const seen = newest.get(pj.job);
    if (!seen || (pj.created ?? '') > seen.created) newest.set(pj.job, { created: pj.created ?? '', requests: pj.requests });
  }
  const out = new Map([...newest].map(([job, { requests }]) => [job, summedRequests(requests)]));
  for (const pod of model.pods.values()) if (pod.job && !out.has(pod.job.job)) out.set(pod.job.job, summedRequests(pod.containerRequests));
  return out;
}

function peaks(runs: readonly JobRun[], key: keyof Resources): number[] {
  return runs.map((r) => r.peak[key]);
}

/** The per-job usage table, busiest (current CPU, then peak CPU) first. */
export function summarizeJobUsage(model: ClusterModel, history: MetricsHistory, headroomPercent = defaultHeadroomPercent): JobUsageRow[] {
  const running = new Map<string, number>();
  for (const pod of model.pods.values()) if (pod.job && pod.phase === 'Running') running.set(pod.job.job, (running.get(pod.job.job) ?? 0) + 1);
  const names = new Set([...history.jobs.keys(), ...running.keys()]);
  const configured = configuredRequests(model);
  const rows = [...names].map((job) => {
    const runs = history.jobs.get(job) ?? [];
    const row: JobUsageRow = { job, runsSeen: runs.length, runningNow: running.get(job) ?? 0, requests: configured.get(job) ?? {}, flags: [] };
    if (history.lastPollAt !== undefined) {
      const now = runs.filter((r) => r.lastSeen === history.lastPollAt);
      row.current = { cpuMilli: now.reduce((s, r) => s + r.last.cpuMilli, 0), memoryBytes: now.reduce((s, r) => s + r.last.memoryBytes, 0) };
    }
    if (runs.length > 0) {
      row.max = { cpuMilli: max(peaks(runs, 'cpuMilli'))!, memoryBytes: max(peaks(runs, 'memoryBytes'))! };
      row.p95 = { cpuMilli: percentile(peaks(runs, 'cpuMilli'), 95)!, memoryBytes: percentile(peaks(runs, 'memoryBytes'), 95)! };
      row.suggested = suggestRequest(row.p95, headroomPercent);
    }
    const { cpuMilli, memoryBytes } = row.requests;
    if (!cpuMilli || !memoryBytes) row.flags.push('no-requests');
    if (row.max && ((cpuMilli && row.max.cpuMilli > cpuMilli) || (memoryBytes && row.max.memoryBytes > memoryBytes))) row.flags.push('over-requests');
    return row;
  });
  return rows.sort((a, b) => (b.current?.cpuMilli ?? 0) - (a.current?.cpuMilli ?? 0) || (b.max?.cpuMilli ?? 0) - (a.max?.cpuMilli ?? 0) || compareText(a.job, b.job));
}

// The Prow jobs table: one row per ProwJob (newest first) with its repository, first PR and author, timing,
// node (through its pod: pod name = ProwJob name) and URL, plus counts by state.
// @see /work/shared/reference/cluster-apis.md §3.2, §3.3
import { humanAge } from '../../format/duration.js';
import type { ClusterModel, PodView, ProwJobView } from '../types.js';
import { compareText } from '../read.js';

/** One row of the Prow jobs table. */
export interface ProwJobRow {
  id: string;
  namespace: string;
  job: string;
  type: string;
  state: string;
  repo?: string;
  pr?: number;
  author?: string;
  started?: string;
  durationMs?: number;
  duration?: string;
  node?: string;
  url?: string;
}

/** The table and its counts. */
export interface ProwJobsSummary {
  /** Jobs per state, every state Prow defines present (0 when none). */
  counts: Record<string, number>;
  total: number;
  rows: ProwJobRow[];
}

/** The states of ProwJob status.state, in lifecycle order. */
export const prowJobStates = ['scheduling', 'triggered', 'pending', 'success', 'failure', 'aborted', 'error'] as const;

/** Pods by ProwJob id (the `prow.k8s.io/id` label, else the pod name). */
export function podsByJobId(pods: Iterable<PodView>): Map<string, PodView> {
  const out = new Map<string, PodView>();
  for (const pod of pods) if (pod.job) out.set(pod.job.prowJobId, pod);
  return out;
}

/** One row at `nowMs`: duration runs to completion, or to now while the job is still going. */
export function prowJobRow(job: ProwJobView, pod: PodView | undefined, nowMs: number): ProwJobRow {
  const row: ProwJobRow = { id: job.name, namespace: job.namespace, job: job.job, type: job.type, state: job.state };
  if (job.org && job.repo) row.repo = `${job.org}/${job.repo}`;
  const pull = job.pulls[0];
  if (pull) {
    row.pr = pull.number;
    if (pull.author) row.author = pull.author;
  }
  if (job.started) {
    row.started = job.started;
    const end = job.completed ? Date.parse(job.completed) : nowMs;
    const ms = end - Date.parse(job.started);
    if (!Number.isNaN(ms)) {
      row.durationMs = ms;
      row.duration = humanAge(ms);
    }
  }
  if (pod?.nodeName) row.node = pod.nodeName;
  if (job.url) row.url = job.url;
  return row;
}

const rowFields: readonly (keyof ProwJobRow)[] = ['id', 'namespace', 'job', 'type', 'state', 'repo', 'pr', 'author', 'started', 'durationMs', 'duration', 'node', 'url'];
const sameRow = (a: ProwJobRow, b: ProwJobRow) => rowFields.every((f) => a[f] === b[f]);

// Rows are built once per job view and reused while its pod and (for a running job) the second stay the same; a new
// view that shows the same row (a status field the table does not show) keeps the old row object too. Unchanged rows
// keep their identity and their order, so a summary is re-sorted only when a job came, went or changed its start
// time, and is the previous summary itself when no row changed (the screen then does not render again). With
// 20,000 jobs, building every row and sorting on each watch batch and each second was most of the dashboard's CPU
// (bench/results.md, figure 4).
const built = new WeakMap<ProwJobView, { pod: PodView | undefined; nowMs: number; row: ProwJobRow }>();
const podIndexes = new WeakMap<ReadonlyMap<string, PodView>, Map<string, PodView>>();
let last: { summary: ProwJobsSummary; byKey: Map<string, ProwJobRow> } | undefined;

/** The Prow jobs table, newest first. */
export function summarizeProwJobs(model: Pick<ClusterModel, 'prowJobs' | 'pods'>, nowMs: number): ProwJobsSummary {
  const counts: Record<string, number> = Object.fromEntries(prowJobStates.map((s) => [s, 0]));
  let pods = podIndexes.get(model.pods);
  if (!pods) podIndexes.set(model.pods, (pods = podsByJobId(model.pods.values())));
  const byKey = last?.byKey ?? new Map<string, ProwJobRow>();
  const replaced = new Map<ProwJobRow, ProwJobRow>();
  let reorder = last === undefined;
  for (const [key, job] of model.prowJobs) {
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    const pod = pods.get(job.name) ?? pods.get(job.podName);
    const hit = built.get(job);
    const old = byKey.get(key);
    // (The last check keeps this right when two models take turns, e.g. two stores in one process.)
    if (hit && hit.pod === pod && (!job.started || job.completed !== undefined || hit.nowMs === nowMs) && old === hit.row) continue;
    let row = prowJobRow(job, pod, nowMs);
    if (old && sameRow(old, row)) row = old;
    else {
      if (old) replaced.set(old, row);
      if (!old || old.started !== row.started) reorder = true;
      byKey.set(key, row);
    }
    built.set(job, { pod, nowMs, row });
  }
  if (byKey.size > model.prowJobs.size) {
    for (const key of byKey.keys()) if (!model.prowJobs.has(key)) byKey.delete(key);
    reorder = true;
  }
  const previous = last?.summary;
  let rows: ProwJobRow[];
  if (!reorder && previous) {
    if (replaced.size === 0 && prowJobStates.every((s) => counts[s] === previous.counts[s])) return previous;
    rows = previous.rows.map((r) => replaced.get(r) ?? r);
  } else {
    rows = [...byKey.values()].sort((a, b) => compareText(b.started ?? '', a.started ?? '') || compareText(a.id, b.id));
  }
  const summary = { counts, total: rows.length, rows };
  last = { summary, byKey };
  return summary;
}

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

/** What a row was built from, so the next summary can hand back the same object when nothing it shows changed. */
interface Built {
  job: ProwJobView;
  pod: PodView | undefined;
  /** The time a running job's duration was computed at; finished jobs do not depend on it. */
  nowMs: number;
  row: ProwJobRow;
}

const rowFields: readonly (keyof ProwJobRow)[] = ['id', 'namespace', 'job', 'type', 'state', 'repo', 'pr', 'author', 'started', 'durationMs', 'duration', 'node', 'url'];
const sameRow = (a: ProwJobRow, b: ProwJobRow) => rowFields.every((f) => a[f] === b[f]);

// Per model map: the pod index and the rows built last time. Rows are reused when their job, pod and (for running
// jobs) the second are the same, and also when a new job view shows the same row (a status update of a field the
// table does not show): unchanged rows keep their identity, so a summary whose rows all stayed the same is the
// previous summary itself, and the screen does not render again. With 20,000 jobs, building every row and sorting
// on each watch batch was most of the dashboard's CPU under churn (bench/results.md, figure 4).
const podIndexes = new WeakMap<ReadonlyMap<string, PodView>, Map<string, PodView>>();
let previous: { built: Map<string, Built>; summary: ProwJobsSummary } | undefined;

/** The Prow jobs table, newest first. */
export function summarizeProwJobs(model: Pick<ClusterModel, 'prowJobs' | 'pods'>, nowMs: number): ProwJobsSummary {
  const counts: Record<string, number> = Object.fromEntries(prowJobStates.map((s) => [s, 0]));
  let pods = podIndexes.get(model.pods);
  if (!pods) podIndexes.set(model.pods, (pods = podsByJobId(model.pods.values())));
  const before = previous?.built;
  const built = new Map<string, Built>();
  const rows: ProwJobRow[] = [];
  let reused = 0;
  for (const job of model.prowJobs.values()) {
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    const pod = pods.get(job.name) ?? pods.get(job.podName);
    const key = `${job.namespace}/${job.name}`;
    const old = before?.get(key);
    const timeless = !job.started || job.completed !== undefined;
    let row: ProwJobRow;
    if (old && old.job === job && old.pod === pod && (timeless || old.nowMs === nowMs)) row = old.row;
    else {
      row = prowJobRow(job, pod, nowMs);
      if (old && sameRow(old.row, row)) row = old.row;
    }
    if (row === old?.row) reused += 1;
    built.set(key, { job, pod, nowMs, row });
    rows.push(row);
  }
  const last = previous?.summary;
  const unchanged = last !== undefined && reused === rows.length && rows.length === last.rows.length &&
    prowJobStates.every((s) => counts[s] === last.counts[s]);
  if (unchanged) {
    previous = { built, summary: last };
    return last;
  }
  rows.sort((a, b) => compareText(b.started ?? '', a.started ?? '') || compareText(a.id, b.id));
  const summary = { counts, total: rows.length, rows };
  previous = { built, summary };
  return summary;
}

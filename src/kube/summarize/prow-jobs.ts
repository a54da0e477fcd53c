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

/** The Prow jobs table, newest first. */
export function summarizeProwJobs(model: ClusterModel, nowMs: number): ProwJobsSummary {
  const counts: Record<string, number> = Object.fromEntries(prowJobStates.map((s) => [s, 0]));
  const pods = podsByJobId(model.pods.values());
  const rows: ProwJobRow[] = [];
  for (const job of model.prowJobs.values()) {
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    rows.push(prowJobRow(job, pods.get(job.name) ?? pods.get(job.podName), nowMs));
  }
  rows.sort((a, b) => compareText(b.started ?? '', a.started ?? '') || compareText(a.id, b.id));
  return { counts, total: rows.length, rows };
}

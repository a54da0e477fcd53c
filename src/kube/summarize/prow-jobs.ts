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
  /** `started` in ms since the epoch (absent when it does not parse): the age column reads it on every tick. */
  startedMs?: number;
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
    const start = Date.parse(job.started);
    if (!Number.isNaN(start)) row.startedMs = start;
    const end = job.completed ? Date.parse(job.completed) : nowMs;
    const ms = end - start;
    if (!Number.isNaN(ms)) {
      row.durationMs = ms;
      row.duration = humanAge(ms);
    }
  }
  if (pod?.nodeName) row.node = pod.nodeName;
  if (job.url) row.url = job.url;
  return row;
}

// Field by field (a loop over the keys made this the costliest part of a clock tick).
const sameRow = (a: ProwJobRow, b: ProwJobRow) =>
  a.durationMs === b.durationMs && a.duration === b.duration && a.state === b.state && a.node === b.node && a.id === b.id &&
  a.namespace === b.namespace && a.job === b.job && a.type === b.type && a.repo === b.repo && a.pr === b.pr &&
  a.author === b.author && a.started === b.started && a.url === b.url;
/** Newest first; a total order (a row's key is namespace/id), so a row's place can be found by binary search. */
const newestFirst = (a: ProwJobRow, b: ProwJobRow) => compareText(b.started ?? '', a.started ?? '') || compareText(a.id, b.id) || compareText(a.namespace, b.namespace);
/** A row follows the clock while its job has started and not completed. */
const followsClock = (job: ProwJobView) => job.started !== undefined && job.completed === undefined;

/**
 * What summarizeProwJobs remembers between two calls of one caller (make one with prowJobsCache and pass it on every
 * call): the maps it last read, the pod index, every job's row and the jobs whose row follows the clock.
 */
export interface ProwJobsCache {
  jobs?: ReadonlyMap<string, ProwJobView>;
  pods?: ReadonlyMap<string, PodView>;
  nowMs: number;
  /** Pods by ProwJob id, as podsByJobId builds it from `pods`. */
  podIndex: Map<string, PodView>;
  /** How many pods carry each ProwJob id (more than one: the index is built again when one of them changes). */
  podsPerId: Map<string, number>;
  /** Job keys by the pod ids their row looks up (their name and pod name). */
  jobsByPodId: Map<string, string[]>;
  rows: Map<string, ProwJobRow>;
  /** The jobs whose row follows the clock (started, not completed): key → start (ms). */
  clocked: Map<string, number>;
  summary?: ProwJobsSummary;
}

/** An empty cache for summarizeProwJobs. */
export function prowJobsCache(): ProwJobsCache {
  return { nowMs: Number.NaN, podIndex: new Map(), podsPerId: new Map(), jobsByPodId: new Map(), rows: new Map(), clocked: new Map() };
}

/**
 * Calls `visit` for each key added, removed or given another value between `prev` and `next`. Maps of the model are
 * copies of the previous map with events applied (updates in place, additions at the end), so both are walked side
 * by side and only keys out of step are looked up: a pass of identity checks, with no work for unchanged entries.
 */
function diffMaps<V>(prev: ReadonlyMap<string, V>, next: ReadonlyMap<string, V>, visit: (key: string, before: V | undefined, after: V | undefined) => void): void {
  // Keys and values walked side by side: no [key, value] array per entry.
  const prevKeys = prev.keys();
  const prevValues = prev.values();
  const nextValues = next.values();
  let cur = prevKeys.next();
  let seen = 0;
  const step = () => {
    cur = prevKeys.next();
    seen++;
  };
  for (const key of next.keys()) {
    const after = nextValues.next().value as V;
    while (!cur.done && cur.value !== key && !next.has(cur.value)) {
      visit(cur.value, prevValues.next().value, undefined);
      step();
    }
    if (!cur.done && cur.value === key) {
      const before = prevValues.next().value as V;
      if (before !== after) visit(key, before, after);
      step();
    } else if (prev.has(key)) {
      const before = prev.get(key);
      if (before !== after) visit(key, before, after);
      seen++;
    } else visit(key, undefined, after);
  }
  // Entries before `cur` were all matched or visited; removed ones after it are left.
  for (; seen < prev.size && !cur.done; cur = prevKeys.next()) {
    const before = prevValues.next().value as V;
    if (next.has(cur.value)) continue;
    visit(cur.value, before, undefined);
    seen++;
  }
}

/** Brings the pod index up to `pods`, marking the jobs whose pod may have changed; false when it must be built again. */
function updatePods(cache: ProwJobsCache, pods: ReadonlyMap<string, PodView>, dirty: Set<string>): boolean {
  let exact = true;
  const touch = (id: string) => {
    for (const key of cache.jobsByPodId.get(id) ?? []) dirty.add(key);
  };
  diffMaps(cache.pods!, pods, (_key, before, after) => {
    const was = before?.job?.prowJobId;
    const is = after?.job?.prowJobId;
    if (was !== undefined && was !== is) {
      const n = cache.podsPerId.get(was)!;
      if (n > 1) exact = false;
      if (n === 1) {
        cache.podsPerId.delete(was);
        cache.podIndex.delete(was);
      } else cache.podsPerId.set(was, n - 1);
      touch(was);
    }
    if (is !== undefined) {
      const n = was === is ? cache.podsPerId.get(is)! : (cache.podsPerId.get(is) ?? 0) + 1;
      // With several pods of one id, the index holds the last one in the map's order: built again below.
      if (n > 1) exact = false;
      cache.podsPerId.set(is, n);
      cache.podIndex.set(is, after!);
      touch(is);
    }
  });
  return exact;
}

function indexJob(cache: ProwJobsCache, key: string, job: ProwJobView, add: boolean): void {
  for (const id of job.podName === job.name ? [job.name] : [job.name, job.podName]) {
    const keys = cache.jobsByPodId.get(id);
    if (add) {
      if (keys) keys.push(key);
      else cache.jobsByPodId.set(id, [key]);
    } else if (keys) {
      const i = keys.indexOf(key);
      if (i >= 0) keys.splice(i, 1);
      if (keys.length === 0) cache.jobsByPodId.delete(id);
    }
  }
}

/** The place of `row` in `rows` (sorted newestFirst): where it is, or where it would go. */
function placeOf(rows: readonly ProwJobRow[], row: ProwJobRow): number {
  // newestFirst, written out: this runs for every row a clock tick changes.
  const started = row.started ?? '';
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = rows[mid]!;
    const s = other.started ?? '';
    if (s > started || (s === started && (other.id < row.id || (other.id === row.id && other.namespace < row.namespace)))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Above this many rows coming, going or moving, the table is sorted again rather than spliced. */
const spliceLimit = 64;

// Rows are built again only for jobs whose view or pod changed since the last call, and, when the second changed,
// for the jobs still running (their duration follows the clock): model maps are diffed against the ones the cache
// saw last, so a batch costs the jobs it changed plus a pass of identity checks, and a clock tick costs the running
// jobs. A rebuilt row equal to the old one keeps the old object; unchanged rows keep their identity and their order
// (rows coming, going or changing their start are spliced into place), and the summary is the previous one itself
// when no row changed (the screen then does not render again). With 20,000 jobs, building every row and sorting on
// each watch batch and each second was most of the dashboard's CPU (bench/results.md, figure 4).
/**
 * The Prow jobs table, newest first. Pass the same `cache` on every call to reuse the previous rows (the result is
 * the same either way).
 */
export function summarizeProwJobs(model: Pick<ClusterModel, 'prowJobs' | 'pods'>, nowMs: number, cache: ProwJobsCache = prowJobsCache()): ProwJobsSummary {
  const jobs = model.prowJobs;
  /** Jobs whose view or pod changed. */
  const dirty = new Set<string>();
  const previous = cache.summary;
  const full = previous === undefined || cache.jobs === undefined || (cache.pods !== model.pods && !updatePods(cache, model.pods, dirty));
  const counts: Record<string, number> = full ? Object.fromEntries(prowJobStates.map((s) => [s, 0])) : { ...previous.counts };
  const count = (state: string, by: number) => {
    const n = (counts[state] ?? 0) + by;
    if (n === 0 && !(prowJobStates as readonly string[]).includes(state)) delete counts[state];
    else counts[state] = n;
  };
  const replaced = new Map<ProwJobRow, ProwJobRow>();
  const gone: ProwJobRow[] = [];
  const come: ProwJobRow[] = [];
  if (full) {
    // Everything again, but rows that show the same keep their object.
    Object.assign(cache, { ...prowJobsCache(), rows: cache.rows, podIndex: podsByJobId(model.pods.values()) });
    for (const pod of model.pods.values()) if (pod.job) cache.podsPerId.set(pod.job.prowJobId, (cache.podsPerId.get(pod.job.prowJobId) ?? 0) + 1);
    for (const [key, job] of jobs) {
      indexJob(cache, key, job, true);
      dirty.add(key);
    }
    for (const key of cache.rows.keys()) if (!jobs.has(key)) cache.rows.delete(key);
  } else {
    if (cache.jobs !== jobs) {
      diffMaps(cache.jobs!, jobs, (key, before, after) => {
        if (before) indexJob(cache, key, before, false);
        if (after) {
          indexJob(cache, key, after, true);
          dirty.add(key);
          return;
        }
        const row = cache.rows.get(key)!;
        cache.rows.delete(key);
        cache.clocked.delete(key);
        count(row.state, -1);
        gone.push(row);
      });
    }
  }
  for (const key of dirty) {
    const job = jobs.get(key);
    if (!job) continue; // removed (its pod changed in the same batch)
    const pod = cache.podIndex.get(job.name) ?? cache.podIndex.get(job.podName);
    let row = prowJobRow(job, pod, nowMs);
    // The start the row parsed (NaN when it does not parse: that row has no duration to move).
    if (followsClock(job)) cache.clocked.set(key, row.startedMs ?? Number.NaN);
    else cache.clocked.delete(key);
    const old = cache.rows.get(key);
    if (old && sameRow(old, row)) row = old;
    else {
      cache.rows.set(key, row);
      if (!full) {
        if (old) count(old.state, -1);
        count(row.state, 1);
        if (!old) come.push(row);
        else if (old.started === row.started) replaced.set(old, row);
        else {
          gone.push(old);
          come.push(row);
        }
      }
    }
    if (full) count(row.state, 1);
  }
  // Running jobs that did not change otherwise: only their duration moves (prowJobRow's, without building the row).
  if (!full && nowMs !== cache.nowMs) {
    for (const [key, start] of cache.clocked) {
      if (dirty.has(key) || Number.isNaN(start)) continue;
      const old = cache.rows.get(key)!;
      const ms = nowMs - start;
      if (old.durationMs === ms) continue;
      const row = { ...old, durationMs: ms, duration: humanAge(ms) };
      cache.rows.set(key, row);
      replaced.set(old, row);
    }
  }
  cache.jobs = jobs;
  cache.pods = model.pods;
  cache.nowMs = nowMs;
  let rows: ProwJobRow[];
  if (full || gone.length + come.length > spliceLimit) {
    rows = [...cache.rows.values()].sort(newestFirst);
    const same = previous && rows.length === previous.rows.length && rows.every((row, i) => row === previous.rows[i]);
    if (same && Object.keys(counts).length === Object.keys(previous.counts).length && Object.entries(counts).every(([k, n]) => previous.counts[k] === n)) return previous;
  } else if (replaced.size === 0 && gone.length === 0 && come.length === 0) return previous;
  else {
    rows = previous.rows.slice();
    // A replaced row has the same start, id and namespace: the new one takes the old one's place.
    for (const [old, row] of replaced) rows[placeOf(rows, old)] = row;
    for (const row of gone) rows.splice(placeOf(rows, row), 1);
    for (const row of come) rows.splice(placeOf(rows, row), 0, row);
  }
  const summary = { counts, total: rows.length, rows };
  cache.summary = summary;
  return summary;
}

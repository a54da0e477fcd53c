// List then watch one collection, the way client-go's reflector does and client-node 1.4's ListWatch does not:
// paged list, watch with bookmarks from the list's resourceVersion, relist on 410, capped exponential backoff on
// other errors, a watchdog for streams that die silently, and a stop that really stops (no callback after it).
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
// @see https://github.com/kubernetes/client-go/blob/master/tools/cache/reflector.go (ListAndWatch)
// @see /work/shared/reference/libraries.md §1.2 (why client-node's ListWatch is not used)
import type { KubeClient, WatchStream } from './client.js';
import { describeRequest, KubeError, statusError } from './errors.js';
import { int, list, text } from './read.js';

/** What a source reports: a full (re)list, one change, or only a bookmark (the stream is alive and current). */
export type WatchEvent<T> =
  | { type: 'replace'; items: T[] }
  | { type: 'upsert'; item: T }
  | { type: 'delete'; item: T }
  | { type: 'bookmark' };

/** Where a source is in its cycle. */
export type WatchPhase = 'listing' | 'watching' | 'backoff' | 'stopped';

/** A source's state, reported on every transition (not on every event). */
export interface WatchState {
  phase: WatchPhase;
  /** A list has completed at least once: the model holds this collection. */
  synced: boolean;
  /** The last error; cleared by the next successful list or event. */
  error?: KubeError;
  /** When the next attempt starts (phase backoff). */
  retryAt?: number;
  /** Lists done so far (1 after the first; more after 410s). */
  lists: number;
  /** Objects the projector could not read (skipped, counted so that it shows). */
  skipped: number;
}

/** Timing knobs; tests shrink them. */
export interface WatchTuning {
  pageSize: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** No event and no bookmark for this long means a dead stream: reconnect (client-node issues #596, #958). */
  watchdogMs: number;
  /** Server-side end of each watch request; the source reconnects from its resourceVersion. */
  timeoutSeconds: number;
}

/**
 * Defaults: 100 per page, backoff 1 s doubling to 30 s, watchdog 2.5 min (bookmarks come about once a minute).
 * Pages of 100, not kubectl's 500: a parsed page of 500 ProwJobs (several KB each, with pod_spec) outlives the young
 * generation and is promoted before it is dropped, and V8 keeps the grown heap. At tier M (5,000 ProwJobs) the RSS
 * after the first list was 322–329 MB with pages of 500, 293 with 200, 250–255 with 100 and 264 with 50, in the same
 * time to sync (bench figure 2, measured in-process with and without a GC).
 */
export const defaultTuning: WatchTuning = { pageSize: 100, backoffInitialMs: 1000, backoffMaxMs: 30_000, watchdogMs: 150_000, timeoutSeconds: 300 };

/** One collection to keep in sync. */
export interface WatchSourceOptions<T> {
  client: KubeClient;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machines`. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  project(raw: unknown): T;
  onEvent(event: WatchEvent<T>): void;
  onState(state: WatchState): void;
  tuning?: Partial<WatchTuning>;
  now?: () => number;
}

/** A running source. */
export interface WatchHandle {
  stop(): void;
  state(): WatchState;
}

/** Starts listing and watching; returns at once. */
export function startWatch<T>(options: WatchSourceOptions<T>): WatchHandle {
  const tuning = { ...defaultTuning, ...options.tuning };
  const now = options.now ?? Date.now;
  const { client, path } = options;
  const selectors = { fieldSelector: options.fieldSelector, labelSelector: options.labelSelector };
  const abort = new AbortController();
  let state: WatchState = { phase: 'listing', synced: false, lists: 0, skipped: 0 };
  let resourceVersion: string | undefined;
  let failures = 0;
  let stream: WatchStream | undefined;
  let retry: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  const stopped = () => abort.signal.aborted;

  const setState = (patch: Partial<WatchState>) => {
    if (stopped()) return;
    state = { ...state, ...patch };
    if (patch.error === undefined && 'error' in patch) delete state.error;
    options.onState(state);
  };
  const project = (raw: unknown): T | undefined => {
    try {
      return options.project(raw);
    } catch {
      state = { ...state, skipped: state.skipped + 1 };
      return undefined;
    }
  };
  const fail = (error: KubeError, next: () => void) => {
    failures += 1;
    const delay = Math.min(tuning.backoffMaxMs, tuning.backoffInitialMs * 2 ** (failures - 1));
    setState({ phase: 'backoff', error, retryAt: now() + delay });
    retry = setTimeout(next, delay);
  };
  const disarmWatchdog = () => {
    clearTimeout(watchdog);
    watchdog = undefined;
  };
  const closeStream = () => {
    disarmWatchdog();
    stream?.stop();
    stream = undefined;
  };

  const listAll = async () => {
    setState({ phase: 'listing', retryAt: undefined });
    const items: T[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    do {
      const query = { ...selectors, limit: tuning.pageSize, continue: token };
      const { body } = await client.request({ method: 'GET', path, query, signal: abort.signal });
      for (const raw of list(body, 'items')) {
        const item = project(raw);
        if (item !== undefined) items.push(item);
      }
      rv = text(body, 'metadata.resourceVersion');
      token = text(body, 'metadata.continue');
    } while (token && !stopped());
    return { items, rv };
  };

  const relist = () => {
    if (stopped()) return;
    closeStream();
    listAll().then(
      ({ items, rv }) => {
        if (stopped()) return;
        resourceVersion = rv;
        failures = 0;
        options.onEvent({ type: 'replace', items });
        setState({ phase: 'watching', synced: true, lists: state.lists + 1, error: undefined, retryAt: undefined });
        openWatch();
      },
      (err: unknown) => {
        if (stopped()) return;
        // An expired continue token (410) means the snapshot is gone: the next attempt lists from the start.
        fail(err instanceof KubeError ? err : new KubeError('server', String(err)), relist);
      },
    );
  };

  const armWatchdog = () => {
    // Every event re-arms it: restart the armed timer rather than allocate a new one per event (figure 4 churn).
    // `watchdog` is defined only while armed (disarmWatchdog), as refresh() would revive a cleared timer.
    if (watchdog) {
      watchdog.refresh();
      return;
    }
    watchdog = setTimeout(() => {
      watchdog = undefined;
      if (stopped()) return;
      closeStream();
      fail(new KubeError('timeout', `no event or bookmark for ${Math.round(tuning.watchdogMs / 1000)}s on ${path}; reconnecting`), openWatch);
    }, tuning.watchdogMs);
  };

  const onWatchEvent = (type: string, object: unknown) => {
    if (stopped()) return;
    armWatchdog();
    if (type === 'ERROR') {
      const code = int(object, 'code') ?? 500;
      closeStream();
      if (code === 410) return relist();
      // Any other in-stream error also ends with a fresh list, after the backoff, as client-go's reflector does
      // (ListAndWatch returns and is called again): resuming from the same resourceVersion may fail forever, e.g.
      // kube-apiserver without a watch cache answers a watch from just below a compaction with a 500
      // "etcd event received with PrevKv=nil" every time (test/k8s/OBSERVED.md).
      return fail(statusError(code, object, describeRequest('GET', path, true), client.target.server), relist);
    }
    const rv = text(object, 'metadata.resourceVersion');
    if (rv) resourceVersion = rv;
    if (state.error) setState({ error: undefined });
    failures = 0;
    if (type === 'BOOKMARK') return options.onEvent({ type: 'bookmark' });
    const item = project(object);
    if (item === undefined) return;
    if (type === 'DELETED') options.onEvent({ type: 'delete', item });
    else if (type === 'ADDED' || type === 'MODIFIED') options.onEvent({ type: 'upsert', item });
  };

  const openWatch = () => {
    if (stopped()) return;
    if (resourceVersion === undefined) return relist();
    if (state.phase !== 'watching') setState({ phase: 'watching', retryAt: undefined });
    const opened = now();
    const query = { ...selectors, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: tuning.timeoutSeconds };
    armWatchdog();
    stream = client.watch(path, query, onWatchEvent, (err) => {
      disarmWatchdog();
      stream = undefined;
      if (stopped()) return;
      if (err?.kind === 'gone') return relist();
      if (err) return fail(err, openWatch);
      // A clean end (timeoutSeconds, a server restart) resumes from the last resourceVersion; a stream that ends
      // at once, again and again, is backed off like an error so that it cannot spin.
      if (now() - opened < 1000) return fail(new KubeError('server', `watch on ${path} closed immediately`), openWatch);
      openWatch();
    });
  };

  relist();
  return {
    stop: () => {
      if (stopped()) return;
      state = { ...state, phase: 'stopped' };
      options.onState(state);
      abort.abort();
      clearTimeout(retry);
      closeStream();
    },
    state: () => state,
  };
}


// The application store: a zustand vanilla store created by the composition root (no module singleton), so
// every test builds its own. Watch events are queued and applied in batches, at most one batch per interval
// (default 100 ms, i.e. ~10 updates per second), so an event storm costs one render, not thousands; while events
// keep coming, batches are spaced further apart (default 250 ms), because each one costs a full frame.
// @see /work/shared/reference/libraries.md §6 (zustand 5: coalesce high-rate streams in the store)
import { createStore, type StoreApi } from 'zustand/vanilla';
import { emptyHistory, recordPoll, type HistoryLimits } from '../kube/metrics-history.js';
import { applyEvents, emptyModel, type SourceEvent } from '../kube/model.js';
import type { SourceInfo, SourceState } from '../kube/session.js';
import type { AppState, SourceStatus } from './state.js';

/** The store type screens and the composition root pass around. */
export type AppStore = StoreApi<AppState>;

/** Options of createAppStore. */
export interface AppStoreOptions {
  /** Clock for recorded times (freshness, flash); default Date.now. */
  now?: () => number;
  /** Minimum time between two applied batches; default 100 ms. */
  batchIntervalMs?: number;
  /**
   * Minimum time between batches while events keep coming (each batch found events waiting, and the one before it
   * too); default 250 ms. Every batch that changes what is on screen costs a whole frame (React and Ink render the
   * full screen), so under sustained churn this is what bounds the dashboard's CPU (bench/results.md, figure 4).
   */
  busyIntervalMs?: number;
  historyLimits?: HistoryLimits;
  /** The screen shown first. */
  screen?: string;
}

type Queued = { type: 'event'; event: SourceEvent; at: number } | { type: 'state'; source: SourceInfo; state: SourceState };

/** The source id an event belongs to (matches SourceInfo.id). */
const sourceIdOf = (event: SourceEvent) => (event.namespace ? `${event.kind}@${event.namespace}` : event.kind);

function statusOf(source: SourceInfo, state: SourceState, previous: SourceStatus | undefined): SourceStatus {
  const base = { id: source.id, kind: source.kind, ...(source.namespace ? { namespace: source.namespace } : {}) };
  if (state.phase === 'not-installed') return { ...base, phase: 'not-installed', synced: false, reason: state.reason, lists: 0 };
  const status: SourceStatus = { ...base, phase: state.phase, synced: state.synced, lists: state.lists };
  if (state.error) {
    status.error = state.error.message;
    status.errorKind = state.error.kind;
  }
  if (state.retryAt !== undefined) status.retryAt = state.retryAt;
  if (previous?.lastEventAt !== undefined) status.lastEventAt = previous.lastEventAt;
  return status;
}

/** Creates a store with empty slices. */
export function createAppStore(options: AppStoreOptions = {}): AppStore {
  const now = options.now ?? Date.now;
  const interval = options.batchIntervalMs ?? 100;
  const busyInterval = Math.max(interval, options.busyIntervalMs ?? 250);
  const queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastFlush = Number.NEGATIVE_INFINITY;
  /** Consecutive batches that each followed the previous one closely: a sustained stream. */
  let streak = 0;
  let disposed = false;

  return createStore<AppState>()((set, get) => {
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const at = performance.now();
      streak = queue.length > 0 && at - lastFlush <= busyInterval + interval ? streak + 1 : 0;
      lastFlush = at;
      if (queue.length === 0) return;
      const entries = queue.splice(0);
      set((s) => {
        const sources = { ...s.cluster.sources };
        const events: SourceEvent[] = [];
        for (const entry of entries) {
          if (entry.type === 'state') {
            sources[entry.source.id] = statusOf(entry.source, entry.state, sources[entry.source.id]);
            continue;
          }
          events.push(entry.event);
          const id = sourceIdOf(entry.event);
          const known = sources[id];
          if (known) sources[id] = { ...known, lastEventAt: entry.at };
        }
        return { cluster: { model: applyEvents(s.cluster.model, events), sources, appliedAt: now(), batches: s.cluster.batches + 1 } };
      });
    };
    const schedule = () => {
      if (timer || disposed) return;
      const spacing = streak >= 2 ? busyInterval : interval;
      timer = setTimeout(flush, Math.max(0, lastFlush + spacing - performance.now()));
    };
    const patchSlice = <K extends 'connection' | 'metrics' | 'ui'>(key: K, patch: Partial<AppState[K]>) =>
      set((s) => ({ [key]: { ...s[key], ...patch } }) as Partial<AppState>);

    return {
      connection: { status: 'idle' },
      cluster: { model: emptyModel(), sources: {}, batches: 0 },
      metrics: { history: emptyHistory() },
      ui: { screen: options.screen ?? 'nodes', selection: {}, filter: '' },
      actions: {
        connecting: (target) => set({ connection: { status: 'connecting', ...(target ? { target } : {}), since: now() } }),
        connected: (discovery) => {
          const metrics = discovery.families.metrics;
          set((s) => ({
            connection: { ...s.connection, status: 'connected', discovery, since: now(), error: undefined, errorKind: undefined },
            metrics: { ...s.metrics, available: metrics.installed, reason: metrics.installed ? undefined : metrics.reason },
          }));
        },
        connectionFailed: (error) =>
          set((s) => ({ connection: { ...s.connection, status: 'failed', error: error.message, errorKind: error.kind, since: now() } })),
        disconnected: () => patchSlice('connection', { status: 'closed', since: now() }),
        enqueue: (event) => {
          queue.push({ type: 'event', event, at: now() });
          schedule();
        },
        sourceState: (source, state) => {
          queue.push({ type: 'state', source, state });
          schedule();
        },
        flush,
        resetCluster: () => {
          queue.length = 0;
          set({ cluster: { model: emptyModel(), sources: {}, batches: 0 }, metrics: { history: emptyHistory() } });
        },
        recordMetrics: (poll) => {
          flush(); // job names come from the pods, so pods must be current first
          const pods = get().cluster.model.pods;
          const lookup = (namespace: string, name: string) => {
            const pod = pods.get(`${namespace}/${name}`);
            return pod ? { ...(pod.job ? { job: pod.job.job } : {}), ...(pod.nodeName ? { node: pod.nodeName } : {}) } : undefined;
          };
          set((s) => ({ metrics: { ...s.metrics, history: recordPoll(s.metrics.history, poll, lookup, options.historyLimits), error: undefined } }));
        },
        metricsFailed: (error) => patchSlice('metrics', { error: error.message }),
        setScreen: (screen) => patchSlice('ui', { screen }),
        select: (screen, key) => set((s) => ({ ui: { ...s.ui, selection: { ...s.ui.selection, [screen]: key } } })),
        setFilter: (filter) => patchSlice('ui', { filter }),
        flash: (level, text) => patchSlice('ui', { flash: { level, text, at: now() } }),
        clearFlash: () => set((s) => ({ ui: { screen: s.ui.screen, selection: s.ui.selection, filter: s.ui.filter } })),
        dispose: () => {
          disposed = true;
          clearTimeout(timer);
          queue.length = 0;
        },
      },
    };
  });
}

// One connection's worth of watching: discovery once, then a list+watch source per kind (per namespace where the
// profile limits namespaces) and the metrics poller. Reports through a listener; the store turns that into state.
import type { KubeClient } from './client.js';
import { discover, type Discovery, type FamilySupport } from './discovery.js';
import type { KubeError } from './errors.js';
import { collectionPath, kindIds, kinds, resolveKind, watchedFamilies, type KindSpec } from './kinds.js';
import { metricsFamily, startMetricsPoller, type MetricsPoll, type MetricsPoller } from './metrics.js';
import type { SourceEvent } from './model.js';
import type { KindId } from './types.js';
import { startWatch, type WatchHandle, type WatchState, type WatchTuning } from './watch.js';

/** What a session watches and how. */
export interface SessionOptions {
  client: KubeClient;
  /** Namespace of the Prow components (Deployments). Default `prow`. */
  prowNamespace?: string;
  /** Watch pods only in these namespaces (and poll their metrics); default all namespaces. */
  podNamespaces?: readonly string[];
  /** Metrics poll interval; 0 turns the poller off (one-shot callers poll with `pollMetrics`). Default 15 s. */
  metricsIntervalMs?: number;
  /** Only these kinds (default all). */
  kinds?: readonly KindId[];
  tuning?: Partial<WatchTuning>;
  now?: () => number;
}

/** One list+watch source: a kind, in one namespace or all. */
export interface SourceInfo {
  /** `pods` or `pods@test-pods`. */
  id: string;
  kind: KindId;
  namespace?: string;
  path: string;
}

/** A source's state, or why its kind is not watched at all. */
export type SourceState = WatchState | { phase: 'not-installed'; reason: string };

/** Receives everything a session observes. */
export interface SessionListener {
  onEvent(event: SourceEvent): void;
  onSourceState(source: SourceInfo, state: SourceState): void;
  onMetrics(poll: MetricsPoll): void;
  onMetricsError(error: KubeError): void;
}

/** A running session. */
export interface ClusterSession {
  discovery: Discovery;
  sources: SourceInfo[];
  /** Whether the metrics API is there (and at which version). */
  metrics: FamilySupport;
  /** Polls metrics once now; resolves when the sample is reported (immediately when metrics are missing). */
  pollMetrics(): Promise<void>;
  /** Stops every watch and the poller; nothing is reported afterwards. */
  stop(): void;
}

function namespacesFor(spec: KindSpec, options: SessionOptions): (string | undefined)[] {
  if (spec.scope === 'prow-namespace') return [options.prowNamespace ?? 'prow'];
  if (spec.scope === 'pod-namespaces' && options.podNamespaces?.length) return [...options.podNamespaces];
  return [undefined];
}

/** Discovers the cluster and starts watching; throws KubeError when the API cannot be reached or read. */
export async function startSession(options: SessionOptions, listener: SessionListener): Promise<ClusterSession> {
  const discovery = await discover(options.client, [...watchedFamilies, metricsFamily]);
  const handles: WatchHandle[] = [];
  const sources: SourceInfo[] = [];
  let stopped = false;
  let poller: MetricsPoller | undefined;
  // The first metrics poll waits until every source has listed (or failed once), so that pods already carry
  // their job names when the first samples are attributed to jobs.
  const pending = new Set<string>();
  const settled = (source: SourceInfo, state: SourceState) => {
    if (!pending.has(source.id) || !(state.phase === 'watching' || state.phase === 'backoff')) return;
    pending.delete(source.id);
    if (pending.size === 0) void poller?.pollNow();
  };
  for (const id of options.kinds ?? kindIds) {
    const resolved = resolveKind(kinds[id] as KindSpec, discovery);
    if (!resolved.installed) {
      const source: SourceInfo = { id, kind: id, path: '' };
      sources.push(source);
      listener.onSourceState(source, { phase: 'not-installed', reason: resolved.reason });
      continue;
    }
    const spec = resolved.spec;
    for (const namespace of namespacesFor(spec, options)) {
      const path = collectionPath(resolved.group, resolved.version, spec.plural, namespace);
      const source: SourceInfo = { id: namespace ? `${id}@${namespace}` : id, kind: id, path, ...(namespace ? { namespace } : {}) };
      sources.push(source);
      pending.add(source.id);
      handles.push(
        startWatch({
          client: options.client,
          path,
          ...(spec.fieldSelector ? { fieldSelector: spec.fieldSelector } : {}),
          project: resolved.project,
          onEvent: (event) => listener.onEvent({ kind: id, ...(namespace ? { namespace } : {}), event } as SourceEvent),
          onState: (state) => {
            listener.onSourceState(source, state);
            settled(source, state);
          },
          ...(options.tuning ? { tuning: options.tuning } : {}),
          ...(options.now ? { now: options.now } : {}),
        }),
      );
    }
  }
  const metrics = discovery.families.metrics;
  if (metrics.installed) {
    poller = startMetricsPoller({
      client: options.client,
      version: metrics.version,
      intervalMs: options.metricsIntervalMs ?? 15_000,
      immediate: pending.size === 0,
      ...(options.podNamespaces?.length ? { namespaces: options.podNamespaces } : {}),
      onPoll: (poll) => !stopped && listener.onMetrics(poll),
      onError: (err) => !stopped && listener.onMetricsError(err),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  return {
    discovery,
    sources,
    metrics,
    pollMetrics: () => poller?.pollNow() ?? Promise.resolve(),
    stop: () => {
      stopped = true;
      for (const h of handles) h.stop();
      poller?.stop();
    },
  };
}

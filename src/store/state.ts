// The shape of the application state: connection, cluster model, metrics history and UI slices, plus the
// actions that change them. Plain data and immutable updates only (libraries.md §6): no class instances, no
// in-place mutation, so selectors can compare by reference.
import type { ConnectionTarget } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import type { KubeErrorKind } from '../kube/errors.js';
import type { MetricsPoll } from '../kube/metrics.js';
import type { MetricsHistory } from '../kube/metrics-history.js';
import type { SourceEvent } from '../kube/model.js';
import type { SourceInfo, SourceState } from '../kube/session.js';
import type { ClusterModel, KindId } from '../kube/types.js';
import type { WatchPhase } from '../kube/watch.js';

/** The connection to the API server. */
export interface ConnectionSlice {
  status: 'idle' | 'connecting' | 'connected' | 'failed' | 'closed';
  target?: Pick<ConnectionTarget, 'context' | 'cluster' | 'server' | 'proxyUrl' | 'user'>;
  discovery?: Discovery;
  error?: string;
  errorKind?: KubeErrorKind;
  /** When the status last changed (ms). */
  since?: number;
}

/** One watch source as the status bar shows it. */
export interface SourceStatus {
  id: string;
  kind: KindId;
  namespace?: string;
  phase: WatchPhase | 'not-installed';
  synced: boolean;
  error?: string;
  errorKind?: KubeErrorKind;
  /** Why the kind is not watched (phase not-installed). */
  reason?: string;
  retryAt?: number;
  lists: number;
  /** When the last event or bookmark arrived: freshness is `now - lastEventAt`. */
  lastEventAt?: number;
}

/** The live cluster model and where each part comes from. */
export interface ClusterSlice {
  model: ClusterModel;
  sources: Readonly<Record<string, SourceStatus>>;
  /** When the last batch was applied. */
  appliedAt?: number;
  batches: number;
}

/** Metrics availability and the bounded histories. */
export interface MetricsSlice {
  available?: boolean;
  reason?: string;
  history: MetricsHistory;
  error?: string;
}

/** A transient message for the status line. */
export interface Flash {
  level: 'info' | 'warn' | 'error';
  text: string;
  at: number;
}

/** What the screens show: which screen, what is selected per screen, the filter, a flash message. */
export interface UiSlice {
  screen: string;
  selection: Readonly<Record<string, string | undefined>>;
  filter: string;
  flash?: Flash;
}

/** Everything that changes state. */
export interface AppActions {
  connecting(target: ConnectionSlice['target']): void;
  connected(discovery: Discovery): void;
  connectionFailed(error: { message: string; kind?: KubeErrorKind }): void;
  disconnected(): void;
  /** Queues a watch event; queued changes are applied in batches, at most once per batch interval. */
  enqueue(event: SourceEvent): void;
  /** Queues a source state change, ordered with the events around it. */
  sourceState(source: SourceInfo, state: SourceState): void;
  /** Applies everything queued now (tests, one-shot commands). */
  flush(): void;
  resetCluster(): void;
  recordMetrics(poll: MetricsPoll): void;
  metricsFailed(error: { message: string }): void;
  setScreen(screen: string): void;
  select(screen: string, key: string | undefined): void;
  setFilter(filter: string): void;
  flash(level: Flash['level'], text: string): void;
  clearFlash(): void;
  /** Stops the batch timer; the store is not used afterwards. */
  dispose(): void;
}

/** The whole state. */
export interface AppState {
  connection: ConnectionSlice;
  cluster: ClusterSlice;
  metrics: MetricsSlice;
  ui: UiSlice;
  actions: AppActions;
}

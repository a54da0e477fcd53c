// metrics.k8s.io has no watch and no paging, so it is polled (default every 15 s, metrics-server's own
// resolution). Node and pod samples are parsed with kubectl top's arithmetic (pod = sum of its containers).
// @see /work/shared/reference/cluster-apis.md §4
// @see https://github.com/kubernetes-sigs/metrics-server/blob/master/FAQ.md
import { parseGoDuration } from '../format/duration.js';
import type { KubeClient } from './client.js';
import type { ApiFamily } from './discovery.js';
import { KubeError } from './errors.js';
import { collectionPath } from './kinds.js';
import { cpuAt, list, memoryAt, text, withDefined } from './read.js';
import type { NodeSample, PodSample } from './types.js';

/** The metrics API (metrics-server). */
export const metricsFamily: ApiFamily = {
  id: 'metrics',
  title: 'metrics API (metrics-server)',
  group: 'metrics.k8s.io',
  versions: ['v1beta1'],
  resources: ['nodes', 'pods'],
};

/** One poll's samples. */
export interface MetricsPoll {
  /** When the poll finished (ms). */
  at: number;
  nodes: NodeSample[];
  pods: PodSample[];
}

function windowMs(raw: unknown): number | undefined {
  const window = text(raw, 'window');
  if (!window) return undefined;
  try {
    return parseGoDuration(window);
  } catch {
    return undefined;
  }
}

/** Parses a NodeMetricsList body. */
export function parseNodeMetrics(body: unknown): NodeSample[] {
  return list(body, 'items').flatMap((item) => {
    const name = text(item, 'metadata.name');
    if (!name) return [];
    const sample: NodeSample = {
      name,
      timestamp: text(item, 'timestamp') ?? '',
      cpuMilli: cpuAt(item, 'usage.cpu') ?? 0,
      memoryBytes: memoryAt(item, 'usage.memory') ?? 0,
    };
    return [withDefined(sample, { windowMs: windowMs(item) })];
  });
}

/** Parses a PodMetricsList body; a pod's usage is the sum over its containers, as `kubectl top pod` prints it. */
export function parsePodMetrics(body: unknown): PodSample[] {
  return list(body, 'items').flatMap((item) => {
    const name = text(item, 'metadata.name');
    const namespace = text(item, 'metadata.namespace');
    if (!name || !namespace) return [];
    const containers = list(item, 'containers');
    const sample: PodSample = {
      namespace,
      name,
      timestamp: text(item, 'timestamp') ?? '',
      cpuMilli: containers.reduce<number>((sum, c) => sum + (cpuAt(c, 'usage.cpu') ?? 0), 0),
      memoryBytes: containers.reduce<number>((sum, c) => sum + (memoryAt(c, 'usage.memory') ?? 0), 0),
    };
    return [withDefined(sample, { windowMs: windowMs(item) })];
  });
}

/** Fetches node and pod metrics once; `namespaces` limits pods to those namespaces (default: all). */
export async function fetchMetrics(
  client: KubeClient, version: string, namespaces: readonly string[] | undefined, now: () => number, signal?: AbortSignal,
): Promise<MetricsPoll> {
  const get = (plural: string, ns?: string) => client.request({ method: 'GET', path: collectionPath(metricsFamily.group, version, plural, ns), ...(signal ? { signal } : {}) });
  const nodes = get('nodes');
  const pods = namespaces?.length
    ? Promise.all(namespaces.map((ns) => get('pods', ns))).then((all) => all.flatMap((r) => parsePodMetrics(r.body)))
    : get('pods').then((r) => parsePodMetrics(r.body));
  const [nodeBody, podSamples] = await Promise.all([nodes, pods]);
  return { at: now(), nodes: parseNodeMetrics(nodeBody.body), pods: podSamples };
}

/** Options of the poller. */
export interface MetricsPollerOptions {
  client: KubeClient;
  version: string;
  /** Poll interval; 0 polls only on demand. Default 15 s. */
  intervalMs?: number;
  /** Poll once at start (default true). */
  immediate?: boolean;
  namespaces?: readonly string[];
  onPoll(poll: MetricsPoll): void;
  onError(error: KubeError): void;
  now?: () => number;
}

/** A running poller. */
export interface MetricsPoller {
  /** Polls now (also used by `deckhand status`); resolves when the poll is reported. */
  pollNow(): Promise<void>;
  stop(): void;
}

/** Polls at a fixed interval; overlapping polls are skipped, errors are reported and the next tick retries. */
export function startMetricsPoller(options: MetricsPollerOptions): MetricsPoller {
  const now = options.now ?? Date.now;
  const abort = new AbortController();
  let stopped = false;
  let running: Promise<void> | undefined;
  const poll = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= fetchMetrics(options.client, options.version, options.namespaces, now, abort.signal)
      .then(
        (result) => void (stopped || options.onPoll(result)),
        (err: unknown) => void (stopped || options.onError(err instanceof KubeError ? err : new KubeError('server', String(err)))),
      )
      .finally(() => (running = undefined));
    return running;
  };
  const interval = options.intervalMs ?? 15_000;
  const timer = interval > 0 ? setInterval(() => void poll(), interval) : undefined;
  if (options.immediate ?? true) void poll();
  return {
    pollNow: poll,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      abort.abort(); // a poll in flight ends too: nothing is sent or reported after stop
    },
  };
}

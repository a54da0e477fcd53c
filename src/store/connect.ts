// Wires a cluster session (src/kube) into the store: the session reports through callbacks, the store turns them
// into state. The composition root calls connectCluster(); screens only read the result.
import { KubeError } from '../kube/errors.js';
import { startSession, type ClusterSession, type SessionListener, type SessionOptions } from '../kube/session.js';
import type { AppStore } from './app-store.js';

/** A SessionListener that feeds the store (events and source states are batched, metrics applied at once). */
export function sessionListener(store: AppStore): SessionListener {
  const actions = () => store.getState().actions;
  return {
    onEvent: (event) => actions().enqueue(event),
    onSourceState: (source, state) => actions().sourceState(source, state),
    onMetrics: (poll) => actions().recordMetrics(poll),
    onMetricsError: (error) => actions().metricsFailed(error),
  };
}

/**
 * Connects: marks the connection as connecting, discovers and starts watching, then marks it connected; on
 * failure records the one-line reason in the connection slice and rethrows the KubeError.
 */
export async function connectCluster(store: AppStore, options: SessionOptions): Promise<ClusterSession> {
  const { context, cluster, server, proxyUrl, user } = options.client.target;
  const actions = store.getState().actions;
  actions.connecting({ context, cluster, server, user, ...(proxyUrl ? { proxyUrl } : {}) });
  try {
    const session = await startSession(options, sessionListener(store));
    actions.connected(session.discovery);
    return session;
  } catch (err) {
    const error = err instanceof KubeError ? err : new KubeError('server', (err as Error)?.message ?? String(err));
    actions.connectionFailed({ message: error.message, kind: error.kind });
    throw error;
  }
}

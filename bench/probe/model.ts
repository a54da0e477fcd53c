// When the dashboard's model is complete (every kind listed and watching, metrics fetched) and its first full frame
// drawn; and a counter of applied watch events for the churn benchmark.
import type { AppStore } from '../../src/store/app-store.js';
import type { AppState } from '../../src/store/state.js';
import type { Counts } from '../lib/protocol.js';
import type { FakeStdout } from './terminal.js';

const countsOf = (s: AppState): Counts => ({ nodes: s.cluster.model.nodes.size, pods: s.cluster.model.pods.size, prowJobs: s.cluster.model.prowJobs.size });

/** Every source listed (or not installed) and, where metrics are served, a first poll recorded. */
function complete(s: AppState): boolean {
  const sources = Object.values(s.cluster.sources);
  if (s.connection.status !== 'connected' || sources.length === 0) return false;
  if (!sources.every((x) => x.phase === 'not-installed' || (x.synced && x.phase === 'watching'))) return false;
  return s.metrics.available === false || s.metrics.history.lastPollAt !== undefined;
}

/**
 * Resolves with the time the model became complete and the time of the first frame that shows it: the header's
 * metrics age (drawn only after the first poll, which itself waits for every list) and the node count.
 */
export async function completeModel(store: AppStore, stdout: FakeStdout, timeoutMs: number): Promise<{ modelAt: number; frameAt: number; counts: Counts }> {
  const modelAt = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      const sources = Object.values(store.getState().cluster.sources).filter((x) => !x.synced && x.phase !== 'not-installed');
      reject(new Error(`model not complete after ${timeoutMs} ms; waiting for ${sources.map((x) => `${x.id} (${x.phase}${x.error ? `: ${x.error}` : ''})`).join(', ') || 'metrics'}`));
    }, timeoutMs);
    const check = () => {
      if (!complete(store.getState())) return;
      clearTimeout(timer);
      stop();
      resolve(performance.now());
    };
    const stop = store.subscribe(check);
    check();
  });
  const counts = countsOf(store.getState());
  const marker = new RegExp(`Nodes  ${counts.nodes}\\b`);
  const frame = await stdout.next((f) => f.at >= modelAt && /metrics \S+ ago/.test(f.text) && marker.test(f.text), timeoutMs);
  return { modelAt, frameAt: frame.at, counts };
}

/** Counts watch events for a set of objects as they are received and as they are applied to the model. */
export function counting(store: AppStore) {
  let watched = new Set<string>();
  let received = 0;
  let applied = 0;
  const actions = store.getState().actions;
  // sessionListener reads store.getState().actions on every event, so a wrapped enqueue sees each one.
  store.setState({
    actions: {
      ...actions,
      enqueue: (event) => {
        if (event.event.type === 'upsert' && watched.has(`${event.event.item.namespace ?? ''}/${event.event.item.name}`)) received += 1;
        actions.enqueue(event);
      },
    },
  });
  // A batch applies the whole queue at once, so everything received before it is in the model after it.
  let batches = store.getState().cluster.batches;
  store.subscribe((s) => {
    if (s.cluster.batches === batches) return;
    batches = s.cluster.batches;
    applied = received;
  });
  return {
    watch(names: string[]) {
      watched = new Set(names);
      received = 0;
      applied = 0;
    },
    applied: () => ({ received, applied }),
    counts: () => countsOf(store.getState()),
  };
}

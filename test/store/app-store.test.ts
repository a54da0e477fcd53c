import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeError } from '../../src/kube/errors.js';
import type { SourceInfo } from '../../src/kube/session.js';
import { createAppStore } from '../../src/store/app-store.js';
import { selectJobUsage, selectKindStatus, selectNodeRows } from '../../src/store/selectors.js';
import { keepWarm, prowJobsChanged } from '../../src/store/warm.js';
import { node, pod } from '../kube/views.js';

const pods: SourceInfo = { id: 'pods', kind: 'pods', path: '/api/v1/pods' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an event storm is applied in batches at a bounded rate, in order, with state changes in the same batch', async () => {
  const store = createAppStore({ batchIntervalMs: 100 });
  let updates = 0;
  store.subscribe(() => (updates += 1));
  const { actions } = store.getState();
  actions.sourceState(pods, { phase: 'listing', synced: false, lists: 0, skipped: 0 });
  actions.enqueue({ kind: 'pods', event: { type: 'replace', items: [pod('a', 'p0')] } });
  actions.sourceState(pods, { phase: 'watching', synced: true, lists: 1, skipped: 0 });
  const started = performance.now();
  // 3000 events over ~400 ms: at ~10 batches per second that is about 5 updates, never thousands.
  for (let i = 1; i <= 3000; i++) {
    actions.enqueue({ kind: 'pods', event: { type: 'upsert', item: pod('a', `p${i % 1000}`) } });
    if (i % 500 === 0) await sleep(70);
  }
  actions.enqueue({ kind: 'pods', event: { type: 'delete', item: pod('a', 'p0') } });
  await sleep(250);
  const elapsed = performance.now() - started;
  const state = store.getState();
  assert.equal(state.cluster.model.pods.size, 999);
  assert.equal(state.cluster.model.pods.has('a/p0'), false);
  assert.equal(state.cluster.sources.pods?.synced, true);
  assert.ok(updates >= 2 && updates <= Math.ceil(elapsed / 100) + 1, `${updates} updates in ${Math.round(elapsed)} ms`);
  assert.equal(updates, state.cluster.batches);
  actions.dispose();
});

test('freshness: every event, bookmarks included, stamps its source; flush applies at once', () => {
  let clock = 1000;
  const store = createAppStore({ now: () => clock });
  const { actions } = store.getState();
  actions.sourceState(pods, { phase: 'watching', synced: true, lists: 1, skipped: 0 });
  actions.flush();
  assert.equal(store.getState().cluster.sources.pods?.lastEventAt, undefined);
  assert.equal(selectKindStatus(store.getState(), 'pods', 5000).staleForMs, undefined);
  clock = 2000;
  actions.enqueue({ kind: 'pods', event: { type: 'bookmark' } });
  actions.flush();
  assert.equal(store.getState().cluster.sources.pods?.lastEventAt, 2000);
  assert.deepEqual(selectKindStatus(store.getState(), 'pods', 5000), { kind: 'pods', phase: 'watching', synced: true, staleForMs: 3000 });
  actions.sourceState(pods, { phase: 'backoff', synced: true, lists: 1, skipped: 0, error: new KubeError('forbidden', '403 Forbidden: not allowed to watch pods'), retryAt: 9000 });
  actions.sourceState({ id: 'machines', kind: 'machines', path: '' }, { phase: 'not-installed', reason: 'Cluster API is not installed' });
  actions.flush();
  const s = store.getState();
  assert.deepEqual(selectKindStatus(s, 'pods', 5000), { kind: 'pods', phase: 'backoff', synced: true, error: '403 Forbidden: not allowed to watch pods', staleForMs: 3000 });
  assert.deepEqual(selectKindStatus(s, 'machines', 5000), { kind: 'machines', phase: 'not-installed', synced: false, reason: 'Cluster API is not installed' });
  assert.equal(s.cluster.sources.pods?.lastEventAt, 2000, 'a state change keeps the freshness');
  actions.dispose();
});

test('metrics polls feed the histories with job names from the model, flushing queued pods first', () => {
  const store = createAppStore();
  const { actions } = store.getState();
  actions.enqueue({ kind: 'nodes', event: { type: 'replace', items: [node('n1')] } });
  actions.enqueue({ kind: 'pods', event: { type: 'replace', items: [pod('test-pods', 'uuid-1', { nodeName: 'n1', job: { job: 'a-very-long-full-job-name', prowJobId: 'uuid-1' } })] } });
  actions.recordMetrics({ at: 10_000, nodes: [{ name: 'n1', timestamp: '', cpuMilli: 4000, memoryBytes: 2 ** 30 }], pods: [{ namespace: 'test-pods', name: 'uuid-1', timestamp: '', cpuMilli: 1500, memoryBytes: 2 ** 29 }] });
  const s = store.getState();
  assert.deepEqual(s.metrics.history.jobs.get('a-very-long-full-job-name')?.map((r) => [r.pod, r.node, r.peak.cpuMilli]), [['test-pods/uuid-1', 'n1', 1500]]);
  const [row] = selectNodeRows(s, 10_000);
  assert.deepEqual([row!.cpu.usage, row!.cpu.usagePercent], [4000, 50]);
  assert.deepEqual(selectJobUsage(s).map((r) => [r.job, r.current?.cpuMilli]), [['a-very-long-full-job-name', 1500]]);
  actions.dispose();
});

test('derived tables are memoised: same inputs and second give the same rows; a change recomputes', () => {
  const store = createAppStore();
  const { actions } = store.getState();
  actions.enqueue({ kind: 'nodes', event: { type: 'replace', items: [node('n1')] } });
  actions.flush();
  const first = selectNodeRows(store.getState(), 10_100);
  assert.equal(selectNodeRows(store.getState(), 10_900), first);
  assert.notEqual(selectNodeRows(store.getState(), 11_000), first);
  actions.enqueue({ kind: 'nodes', event: { type: 'upsert', item: node('n2') } });
  actions.flush();
  assert.equal(selectNodeRows(store.getState(), 11_000).length, 2);
  actions.dispose();
});

test('connection and UI slices change through named actions', () => {
  const store = createAppStore({ now: () => 5 });
  const { actions } = store.getState();
  actions.connecting({ context: 'prod', cluster: 'prod', server: 'https://x', user: 'admin', proxyUrl: 'socks5h://127.0.0.1:6443' });
  assert.equal(store.getState().connection.status, 'connecting');
  actions.connectionFailed({ message: 'API server https://x unreachable through the tunnel socks5h://127.0.0.1:6443: …', kind: 'unreachable' });
  assert.deepEqual([store.getState().connection.status, store.getState().connection.errorKind], ['failed', 'unreachable']);
  actions.connected({ serverVersion: 'v1.32.0', families: { capi: { installed: true, version: 'v1beta2' }, kcp: { installed: true, version: 'v1beta2' }, capo: { installed: true, version: 'v1beta1' }, prow: { installed: true, version: 'v1' }, metrics: { installed: false, reason: 'no metrics' } } });
  assert.deepEqual([store.getState().connection.status, store.getState().connection.error, store.getState().metrics.available, store.getState().metrics.reason], ['connected', undefined, false, 'no metrics']);
  actions.setScreen('machines');
  actions.select('machines', 'default/m1');
  actions.setFilter('md-0');
  actions.flash('warn', 'stale plan');
  assert.deepEqual(store.getState().ui, { screen: 'machines', selection: { machines: 'default/m1' }, filter: 'md-0', flash: { level: 'warn', text: 'stale plan', at: 5 } });
  actions.clearFlash();
  assert.equal(store.getState().ui.flash, undefined);
  actions.dispose();
});

test('keepWarm works once after a burst of changes to what it reads, not for other changes, and not after stop', async () => {
  const store = createAppStore({ batchIntervalMs: 1 });
  const seen: number[] = [];
  const stop = keepWarm(store, prowJobsChanged, (s) => seen.push(s.cluster.model.pods.size), 20);
  await sleep(60);
  assert.deepEqual(seen, [0], 'once after starting');
  const { actions } = store.getState();
  for (let i = 0; i < 5; i++) {
    actions.enqueue({ kind: 'pods', event: { type: 'upsert', item: pod('a', `p${i}`) } });
    actions.flush();
  }
  await sleep(60);
  assert.deepEqual(seen, [0, 5], 'five changes, one call, with the latest state');
  actions.setFilter('lint');
  actions.select('nodes', 'n1');
  await sleep(60);
  assert.deepEqual(seen, [0, 5], 'the UI slice is not what it reads');
  actions.enqueue({ kind: 'pods', event: { type: 'upsert', item: pod('a', 'p9') } });
  actions.flush();
  stop();
  await sleep(60);
  assert.deepEqual(seen, [0, 5], 'stopped: the pending call is dropped');
  actions.dispose();
});

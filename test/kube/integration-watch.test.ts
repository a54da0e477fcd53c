// A 403 on one kind, through the real client over HTTPS: that source retries with a capped backoff while the others
// sync. (The other faults — 410 after a compaction, dropped connections, a silent stream, stop — and bookmarks are
// in the shared live-model suite, test/shared/live-model.ts, which runs against deckhand sim and a real server.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession } from '../../src/kube/session.js';
import { defaultTuning, type WatchState } from '../../src/kube/watch.js';
import { Collector, eventually, fastTuning, simFixture, type SimFixture } from './sim-helpers.js';

describe('a kind the identity may not list (static capi-v1beta2 sim)', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  before(async () => {
    fx = await simFixture({ scenario: 'capi-v1beta2', controllers: false, deny: [{ resource: 'openstackclusters', verbs: ['list', 'watch'] }] });
  });
  after(async () => {
    await fx?.stop();
  });

  test('a 403 on one kind leaves it retrying with a capped backoff while everything else syncs', async () => {
    const collector = new Collector();
    const tuning = { ...fastTuning, backoffInitialMs: 40, backoffMaxMs: 160 };
    const session = await startSession({ client: fx.client(), tuning, metricsIntervalMs: 0 }, collector);
    try {
      await eventually('other sources synced and four failed attempts', () => {
        const failures = collector.states.filter((s) => s.source.kind === 'openstackClusters' && s.state.phase === 'backoff');
        const others = [...collector.latest()].filter(([id]) => id !== 'openstackClusters');
        return failures.length >= 4 && others.every(([, s]) => s.phase === 'not-installed' || s.synced);
      });
      const failures = collector.states.filter((s) => s.source.kind === 'openstackClusters' && s.state.phase === 'backoff').map((s) => s.state as WatchState);
      assert.match(failures[0]!.error!.message, /^403 Forbidden: not allowed to list openstackclusters\.infrastructure\.cluster\.x-k8s\.io \(all namespaces\) — /);
      assert.equal(failures[0]!.error!.kind, 'forbidden');
      assert.equal(failures[0]!.synced, false);
      // Delays 40, 80, 160, 160…: doubling, capped.
      const delays = collector.states
        .filter((s) => s.source.kind === 'openstackClusters' && s.state.phase === 'backoff')
        .map((s) => (s.state as WatchState).retryAt! - s.at);
      assert.ok(delays.every((d) => d <= 160 + 5), delays.join(','));
      assert.ok(delays[0]! <= 45 && delays[3]! >= 150, delays.join(','));
      assert.ok(collector.model.openstackMachines.size > 0, 'the other CAPO kind is readable');
      assert.equal(collector.model.openstackClusters.size, 0);
    } finally {
      session.stop();
    }
  });
});

describe('the watchdog of a busy stream (static demo sim)', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  before(async () => {
    fx = await simFixture({ scenario: 'demo', controllers: false, bookmarkIntervalMs: 60_000 });
  });
  after(async () => {
    await fx?.stop();
  });

  test('events arriving more often than the watchdog interval keep it from firing, for several intervals', async () => {
    const collector = new Collector();
    const session = await startSession({ client: fx.client(), tuning: { ...fastTuning, watchdogMs: 400 }, metricsIntervalMs: 0, kinds: ['nodes'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      const [node] = fx.sim.store.list('nodes');
      const start = collector.events;
      // Bookmarks come every few seconds only: without the events re-arming it, the watchdog would fire within 400 ms.
      for (let i = 0; i < 12; i++) {
        fx.sim.store.put('nodes', { ...node!, metadata: { ...node!.metadata, labels: { ...node!.metadata.labels, busy: String(i) } } });
        await new Promise((r) => setTimeout(r, 100));
      }
      await eventually('every change arrived', () => collector.events - start >= 12);
      const fired = collector.states.filter((s) => /no event or bookmark/.test((s.state as WatchState).error?.message ?? ''));
      assert.deepEqual(fired, [], 'the watchdog stayed quiet');
      assert.equal((collector.latest().get('nodes') as WatchState).phase, 'watching');
    } finally {
      session.stop();
    }
  });
});

describe('a collection of several default pages (static large sim)', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  before(async () => {
    fx = await simFixture({ scenario: 'large', size: { nodes: 3, pods: 20, prowjobs: 250 }, controllers: false });
  });
  after(async () => {
    await fx?.stop();
  });

  test('with the default tuning, a list of 250 ProwJobs follows its continue tokens to the last page', async () => {
    const collector = new Collector();
    const session = await startSession({ client: fx.client(), metricsIntervalMs: 0, kinds: ['prowJobs'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      assert.equal(defaultTuning.pageSize < 250, true, 'more than two pages');
      assert.deepEqual([...collector.model.prowJobs.keys()].sort(), fx.sim.store.list('prowjobs.prow.k8s.io').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort());
    } finally {
      session.stop();
    }
  });
});

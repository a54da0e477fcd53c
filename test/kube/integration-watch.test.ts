// Watches under faults, through the real client over HTTPS: 410 after a compaction (relist, and objects deleted
// during the gap disappear), connections dropped mid-watch, a silent dead stream (watchdog), a 403 on one kind,
// and stop meaning stop. The sim runs without controllers so that only the test changes anything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession } from '../../src/kube/session.js';
import type { WatchState } from '../../src/kube/watch.js';
import { call } from '../helpers/http.js';
import { startFreezingProxy, type FreezingProxy } from './freezing-proxy.js';
import { Collector, eventually, fastTuning, modelDiff, simFixture, type SimFixture } from './sim-helpers.js';

const event = (name: string) => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, type: 'Warning', reason: 'FailedMount', message: `${name}: secret "github-token" not found`,
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'needs-rebase-abc' }, count: 1,
});

describe('watches under faults (static capi-v1beta2 sim)', { timeout: 120_000 }, () => {
  let fx: SimFixture;
  let proxy: FreezingProxy;
  let proxied: string;
  const server = () => ({ url: fx.sim.info.api, caPem: fx.sim.caPem, token: fx.sim.token });
  const mustCall = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    // dropConnections() also kills this helper's pooled keep-alive socket: one retry on a fresh one.
    const res = await call(server(), method, path, body, headers).catch(() => call(server(), method, path, body, headers));
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const label = (node: string, value: string) => mustCall('PATCH', `/api/v1/nodes/${node}`, { metadata: { labels: { 'deckhand-test': value } } }, { 'Content-Type': 'application/merge-patch+json' });

  before(async () => {
    fx = await simFixture({ scenario: 'capi-v1beta2', controllers: false, deny: [{ resource: 'openstackclusters', verbs: ['list', 'watch'] }] });
    const api = new URL(fx.sim.info.api);
    proxy = await startFreezingProxy({ host: api.hostname, port: Number(api.port) });
    proxied = join(fx.dir, 'proxied');
    writeFileSync(proxied, fx.sim.kubeconfig.replaceAll(fx.sim.info.api, `https://127.0.0.1:${proxy.port}`));
  });
  after(async () => {
    await proxy?.close();
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

  test('410 after a compaction: the watch relists, and what was deleted during the gap is gone', async () => {
    await mustCall('POST', '/api/v1/namespaces/default/events', event('before-gap'));
    const collector = new Collector();
    const client = fx.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 0, kinds: ['nodes', 'events', 'machines'] }, collector);
    try {
      await eventually('synced with the first event', () => collector.synced() && collector.model.events.has('default/before-gap'));
      const node = [...collector.model.nodes.keys()][0]!;
      proxy.freeze();
      await mustCall('DELETE', '/api/v1/namespaces/default/events/before-gap');
      await mustCall('POST', '/api/v1/namespaces/default/events', event('during-gap'));
      await label(node, 'gap');
      fx.sim.store.compact();
      proxy.cut();
      proxy.thaw();
      await eventually('model caught up', () => collector.model.events.has('default/during-gap') && !collector.model.events.has('default/before-gap') && collector.model.nodes.get(node)?.resourceVersion !== undefined);
      const relists = collector.states.filter((s) => s.source.kind === 'events' && s.state.phase === 'watching' && (s.state as WatchState).lists === 2);
      assert.ok(relists.length >= 1, 'the events source listed a second time');
      assert.equal(await modelDiff(fx.sim, session.discovery, collector.model, ['nodes', 'events', 'machines']), '');
    } finally {
      session.stop();
      client.close();
    }
  });

  test('connections dropped mid-watch: the watches resume and the model equals the server', async () => {
    const collector = new Collector();
    const session = await startSession({ client: fx.client(), tuning: fastTuning, metricsIntervalMs: 0, kinds: ['nodes', 'events', 'machines', 'prowJobs'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      const nodes = [...collector.model.nodes.keys()];
      for (let round = 0; round < 3; round++) {
        fx.sim.server.dropConnections();
        await label(nodes[round % nodes.length]!, `drop-${round}`);
        await mustCall('POST', '/api/v1/namespaces/default/events', event(`drop-${round}`));
        await new Promise((r) => setTimeout(r, 30));
      }
      await eventually('model == server', async () => (await modelDiff(fx.sim, session.discovery, collector.model, ['nodes', 'events', 'machines', 'prowJobs'])) === '');
      const lists = [...collector.latest().values()].map((s) => (s as WatchState).lists);
      assert.ok(lists.every((n) => n === 1), `resumed from resourceVersions, no relist: ${lists.join(',')}`);
    } finally {
      session.stop();
    }
  });

  test('a stream that goes silent is abandoned by the watchdog and resumed from its resourceVersion', async () => {
    const collector = new Collector();
    const client = fx.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: { ...fastTuning, watchdogMs: 600 }, metricsIntervalMs: 0, kinds: ['nodes'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      const node = [...collector.model.nodes.keys()][0]!;
      proxy.freeze();
      await label(node, 'silent');
      const silent = await eventually('the watchdog fired', () => collector.states.find((s) => s.state.phase === 'backoff' && /no event or bookmark for 1s on \/api\/v1\/nodes/.test((s.state as WatchState).error?.message ?? '')));
      assert.ok(silent);
      proxy.thaw();
      await eventually('the change made while silent arrived', async () => (await modelDiff(fx.sim, session.discovery, collector.model, ['nodes'])) === '');
      assert.equal((collector.latest().get('nodes') as WatchState).lists, 1, 'resumed, not relisted');
    } finally {
      session.stop();
      client.close();
      proxy.thaw();
    }
  });

  test('stop means stop: nothing is reported afterwards, whatever the server does, and no connection stays open', async () => {
    const collector = new Collector();
    const client = fx.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 0, kinds: ['nodes', 'events', 'machines'] }, collector);
    await eventually('synced', () => collector.synced());
    // These watches resumed with nothing to send yet: the sim has not even sent their response headers, the case
    // in which client-node's Watch cannot be aborted through its own controller.
    assert.ok(proxy.connections() >= 3);
    session.stop();
    client.close();
    await eventually('every connection closed', () => proxy.connections() === 0, 2000);
    const seen = { states: collector.states.length, events: collector.events };
    assert.ok(collector.states.slice(-2).every((s) => s.state.phase === 'stopped'));
    await label([...collector.model.nodes.keys()][0]!, 'after-stop');
    await mustCall('POST', '/api/v1/namespaces/default/events', event('after-stop'));
    fx.sim.server.dropConnections();
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual({ states: collector.states.length, events: collector.events }, seen);
  });
});

describe('bookmarks', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  before(async () => {
    fx = await simFixture({ scenario: 'capi-v1beta2', controllers: false, bookmarkIntervalMs: 100 });
  });
  after(async () => fx?.stop());

  test('watches ask for bookmarks: a quiet stream still reports that it is alive and current', async () => {
    const bookmarks: number[] = [];
    class Counting extends Collector {
      override onEvent(e: Parameters<Collector['onEvent']>[0]): void {
        if (e.event.type === 'bookmark') bookmarks.push(Date.now());
        else super.onEvent(e);
      }
    }
    const collector = new Counting();
    const session = await startSession({ client: fx.client(), tuning: { ...fastTuning, watchdogMs: 1000 }, metricsIntervalMs: 0, kinds: ['nodes'] }, collector);
    try {
      await eventually('five bookmarks', () => bookmarks.length >= 5);
      // Bookmarks keep the watchdog (1 s) from firing on a stream without changes.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(collector.states.filter((s) => s.state.phase === 'backoff').length, 0);
      assert.equal(collector.events, 1, 'no object changed: after the list only bookmarks arrived');
    } finally {
      session.stop();
    }
  });
});


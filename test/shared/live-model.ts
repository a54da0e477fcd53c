// The live cluster model through deckhand's real client, the same on both targets: discovery picks the served
// versions; after list+watch the model equals the server (keys and resourceVersions of every watched kind); a quiet
// watch is kept alive by bookmarks and resumes from them; after an etcd compaction the watch relists and what was
// deleted during the gap is gone; a dropped connection resumes without a relist; a silent stream is abandoned by the
// watchdog; stop means stop. Faults go through a TCP relay in front of the target (freezing-proxy.ts), which works
// the same whichever server is behind it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSession } from '../../src/kube/session.js';
import type { KindId } from '../../src/kube/types.js';
import type { WatchState } from '../../src/kube/watch.js';
import { call } from '../helpers/http.js';
import { startFreezingProxy, type FreezingProxy } from '../kube/freezing-proxy.js';
import { Collector, eventually, fastTuning, modelDiff } from '../kube/sim-helpers.js';
import { sharedScenarios, type Target, type TargetFactory } from './target.js';

/** A Warning event, as the kubelet would post one (core/v1, involvedObject in the same namespace). */
const warning = (name: string) => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, type: 'Warning', reason: 'FailedMount',
  message: `${name}: secret "github-token" not found`, involvedObject: { kind: 'Pod', namespace: 'default', name: 'needs-rebase-abc' },
  source: { component: 'kubelet', host: 'prow-md-0' }, count: 1,
});

/** Every kind the static seed fills: the CAPI, CAPO and Prow kinds, nodes, Prow's Deployments. */
const seededKinds: readonly KindId[] = ['nodes', 'deployments', 'machines', 'machineSets', 'machineDeployments', 'controlPlanes', 'openstackClusters', 'openstackMachines', 'prowJobs'];

/** Defines the live-model tests against the target `start` returns (started once, stopped after the suite). */
export function defineLiveModelSuite(start: TargetFactory): void {
  let target: Target;
  let proxy: FreezingProxy;
  let proxied: string;
  const mustCall = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await call(target.access, method, path, body, headers);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.body as { metadata: { resourceVersion: string } };
  };
  const label = (node: string, value: string) =>
    mustCall('PATCH', `/api/v1/nodes/${node}`, { metadata: { labels: { 'deckhand-test': value } } }, { 'Content-Type': 'application/merge-patch+json' });

  before(async () => {
    target = await start();
    const api = new URL(target.access.url);
    proxy = await startFreezingProxy({ host: api.hostname, port: Number(api.port) });
    proxied = join(target.dir, 'proxied.kubeconfig');
    writeFileSync(proxied, readFileSync(target.kubeconfig, 'utf8').replaceAll(target.access.url, `https://127.0.0.1:${proxy.port}`), { mode: 0o600 });
  });
  after(async () => {
    await proxy?.close();
    await target?.stop();
  });

  test('discovery picks the served versions of each family', async () => {
    const session = await startSession({ client: target.client(), tuning: fastTuning, metricsIntervalMs: 0, kinds: [] }, new Collector());
    session.stop();
    const expected = sharedScenarios.find((s) => s.capi === target.scenario.capi)!;
    const f = session.discovery.families;
    assert.deepEqual(f.capi, { installed: true, version: expected.capi });
    assert.deepEqual(f.kcp, { installed: true, version: expected.capi });
    assert.deepEqual(f.capo, { installed: true, version: expected.capo });
    assert.deepEqual(f.prow, { installed: true, version: 'v1' });
    if (target.metrics) assert.deepEqual(f.metrics, { installed: true, version: 'v1beta1' });
    else assert.deepEqual(f.metrics, { installed: false, reason: 'metrics API (metrics-server) is not installed: the API group metrics.k8s.io is not served' });
    assert.match(session.discovery.serverVersion, /^v1\.\d+\.\d+/);
  });

  test('list bodies as the server writes them: built-in items without apiVersion/kind, custom resources with them', async () => {
    // A typed list (NodeList) is encoded without each item's TypeMeta; an unstructured one (a custom resource's)
    // keeps it, and always has metadata.continue, empty on the last page. Clients that need the kind of a listed
    // built-in take it from the list (client-go's UnstructuredList does; k8s.io/apimachinery unstructured.go).
    const nodes = await call(target.access, 'GET', '/api/v1/nodes?limit=2');
    assert.equal(nodes.body.kind, 'NodeList');
    assert.ok(nodes.body.items.length > 0);
    for (const item of nodes.body.items) assert.deepEqual([item.apiVersion, item.kind], [undefined, undefined], JSON.stringify(item).slice(0, 120));
    assert.ok(nodes.body.metadata.continue, 'a continue token: there are more nodes');
    const machines = await call(target.access, 'GET', `/apis/cluster.x-k8s.io/${target.scenario.capi}/machines`);
    assert.equal(machines.body.kind, 'MachineList');
    for (const item of machines.body.items) assert.deepEqual([item.apiVersion, item.kind], [`cluster.x-k8s.io/${target.scenario.capi}`, 'Machine']);
    assert.deepEqual(Object.keys(machines.body.metadata).sort(), ['continue', 'resourceVersion']);
    assert.equal(machines.body.metadata.continue, '');
    const all = await call(target.access, 'GET', '/api/v1/nodes');
    assert.equal(all.body.metadata.continue, undefined, 'a built-in list has no continue on its last page');
  });

  test('after list+watch the model equals the server for every seeded kind', async () => {
    const collector = new Collector();
    const session = await startSession({ client: target.client(), tuning: fastTuning, metricsIntervalMs: 0 }, collector);
    try {
      await eventually('all sources synced', () => collector.synced());
      const machines = [...collector.model.machines.values()];
      assert.equal(machines.length, 3, 'one control-plane machine and two workers');
      assert.equal(collector.model.nodes.size, 3);
      assert.ok(collector.model.prowJobs.size > 0, 'the seeded ProwJobs');
      await eventually('model == server', async () => (await modelDiff(target.access, session.discovery, collector.model, seededKinds)) === '');
      // A change after the list arrives through the watch.
      const node = [...collector.model.nodes.keys()][0]!;
      const changed = await label(node, 'watched');
      await eventually('the label change', () => collector.model.nodes.get(node)?.resourceVersion === changed.metadata.resourceVersion);
      assert.ok([...collector.latest().values()].every((s) => s.phase === 'not-installed' || (s as WatchState).lists === 1));
    } finally {
      session.stop();
    }
  });

  test('bookmarks keep a quiet watch alive, and it resumes from them when the server ends the stream', async () => {
    let bookmarks = 0;
    class Counting extends Collector {
      override onEvent(e: Parameters<Collector['onEvent']>[0]): void {
        if (e.event.type === 'bookmark') bookmarks += 1;
        else super.onEvent(e);
      }
    }
    const collector = new Counting();
    // Writes elsewhere in the cluster, as kubelets' lease renewals are on a live one: a bookmark carries a
    // resourceVersion newer than the watch's, so a server whose revision does not move sends none (the watch
    // cache drops events not newer than a watcher's resourceVersion, bookmarks included; k8s.io/apiserver
    // pkg/storage/cacher cache_watcher.go processInterval). A consistent list makes the cache catch up with etcd.
    await mustCall('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'heartbeat' }, data: { n: '0' } });
    let beats = 0;
    const writer = setInterval(() => {
      beats += 1;
      void call(target.access, 'PATCH', '/api/v1/namespaces/default/configmaps/heartbeat', { data: { n: String(beats) } }, { 'Content-Type': 'application/merge-patch+json' })
        .then(() => call(target.access, 'GET', `/apis/cluster.x-k8s.io/${target.scenario.capi}/machines?limit=1`))
        .catch(() => undefined);
    }, 300);
    // A 4 s watch: the watch cache sends a bookmark about 2 s before a watch's deadline so that the client can
    // resume from it (cacheWatcher.nextBookmarkTime: min(now + 1 min, deadline − 2 s)).
    const session = await startSession({ client: target.client(), tuning: { ...fastTuning, timeoutSeconds: 4, watchdogMs: 15_000 }, metricsIntervalMs: 0, kinds: ['machines'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      await eventually('two bookmarks', () => bookmarks >= 2, 30_000);
      clearInterval(writer);
      assert.equal(collector.states.filter((s) => s.state.phase === 'backoff').length, 0, 'the watch never failed');
      assert.equal(collector.events, 1, 'no machine changed: after the list only bookmarks arrived');
      const name = [...collector.model.machines.values()][0]!.name;
      const path = `/apis/cluster.x-k8s.io/${target.scenario.capi}/namespaces/default/machines/${name}`;
      const changed = await mustCall('PATCH', path, { metadata: { labels: { 'deckhand-test': 'after-bookmarks' } } }, { 'Content-Type': 'application/merge-patch+json' });
      await eventually('the change after the resumed watches', () => collector.model.machines.get(`default/${name}`)?.resourceVersion === changed.metadata.resourceVersion);
      assert.equal((collector.latest().get('machines') as WatchState).lists, 1, 'resumed every time, never relisted');
    } finally {
      clearInterval(writer);
      session.stop();
    }
  });

  test('410 after a compaction: the watch relists, and what was deleted during the gap is gone', async () => {
    await mustCall('POST', '/api/v1/namespaces/default/events', warning('before-gap'));
    const collector = new Collector();
    const client = target.client({ kubeconfig: proxied });
    const kinds: KindId[] = ['nodes', 'events', 'machines'];
    const session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 0, kinds }, collector);
    try {
      await eventually('synced with the first event', () => collector.synced() && collector.model.events.has('default/before-gap'));
      const node = [...collector.model.nodes.keys()][0]!;
      proxy.freeze();
      await mustCall('DELETE', '/api/v1/namespaces/default/events/before-gap');
      await mustCall('POST', '/api/v1/namespaces/default/events', warning('during-gap'));
      const labelled = await label(node, 'gap');
      await target.compactEvents();
      proxy.cut();
      proxy.thaw();
      await eventually('model caught up', () => collector.model.events.has('default/during-gap') && !collector.model.events.has('default/before-gap') && collector.model.nodes.get(node)?.resourceVersion === labelled.metadata.resourceVersion);
      const relists = collector.states.filter((s) => s.source.kind === 'events' && s.state.phase === 'watching' && (s.state as WatchState).lists === 2);
      assert.ok(relists.length >= 1, 'the events source listed a second time');
      assert.equal(await modelDiff(target.access, session.discovery, collector.model, kinds), '');
    } finally {
      session.stop();
      client.close();
    }
  });

  test('a compaction right after one change: the watch lists again, whatever error the server reports', async () => {
    const collector = new Collector();
    const client = target.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: { ...fastTuning, backoffInitialMs: 20 }, metricsIntervalMs: 0, kinds: ['events'] }, collector);
    try {
      await mustCall('POST', '/api/v1/namespaces/default/events', warning('single-change'));
      await eventually('synced with the event', () => collector.synced() && collector.model.events.has('default/single-change'));
      proxy.freeze();
      const changed = await mustCall('PATCH', '/api/v1/namespaces/default/events/single-change', { count: 2 }, { 'Content-Type': 'application/merge-patch+json' });
      // Compacting at the revision of that one change leaves etcd without the value before it: kube-apiserver
      // without a watch cache answers the resumed watch with an in-stream 500 ("etcd event received with
      // PrevKv=nil"), not a 410 (test/k8s/OBSERVED.md); the sim's history answers 410. Either way the watch must
      // list again, as client-go's reflector does after any watch error.
      await target.compactEvents();
      proxy.cut();
      proxy.thaw();
      await eventually('the change arrived', () => collector.model.events.get('default/single-change')?.resourceVersion === changed.metadata.resourceVersion, 10_000);
      const lists = (collector.latest().get('events') as WatchState).lists;
      assert.ok(lists >= 2, `listed again (${lists} lists)`);
      assert.equal(await modelDiff(target.access, session.discovery, collector.model, ['events']), '');
    } finally {
      session.stop();
      client.close();
    }
  });

  test('connections dropped mid-watch: the watches resume and the model equals the server', async () => {
    const collector = new Collector();
    const client = target.client({ kubeconfig: proxied });
    const kinds: KindId[] = ['nodes', 'events', 'machines', 'prowJobs'];
    const session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 0, kinds }, collector);
    try {
      await eventually('synced', () => collector.synced());
      const nodes = [...collector.model.nodes.keys()];
      for (let round = 0; round < 3; round++) {
        proxy.cut();
        await label(nodes[round % nodes.length]!, `drop-${round}`);
        await mustCall('POST', '/api/v1/namespaces/default/events', warning(`drop-${round}`));
        await new Promise((r) => setTimeout(r, 30));
      }
      await eventually('model == server', async () => (await modelDiff(target.access, session.discovery, collector.model, kinds)) === '');
      const lists = [...collector.latest().values()].map((s) => (s as WatchState).lists);
      assert.ok(lists.every((n) => n === 1), `resumed from resourceVersions, no relist: ${lists.join(',')}`);
    } finally {
      session.stop();
      client.close();
    }
  });

  test('a stream that goes silent is abandoned by the watchdog and resumed from its resourceVersion', async () => {
    const collector = new Collector();
    const client = target.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: { ...fastTuning, watchdogMs: 600 }, metricsIntervalMs: 0, kinds: ['nodes'] }, collector);
    try {
      await eventually('synced', () => collector.synced());
      const node = [...collector.model.nodes.keys()][0]!;
      proxy.freeze();
      await label(node, 'silent');
      const silent = await eventually('the watchdog fired', () => collector.states.find((s) => s.state.phase === 'backoff' && /no event or bookmark for 1s on \/api\/v1\/nodes/.test((s.state as WatchState).error?.message ?? '')));
      assert.ok(silent);
      proxy.thaw();
      await eventually('the change made while silent arrived', async () => (await modelDiff(target.access, session.discovery, collector.model, ['nodes'])) === '');
      assert.equal((collector.latest().get('nodes') as WatchState).lists, 1, 'resumed, not relisted');
    } finally {
      session.stop();
      client.close();
      proxy.thaw();
    }
  });

  test('stop means stop: nothing is reported afterwards, whatever the server does, and no connection stays open', async () => {
    const collector = new Collector();
    const client = target.client({ kubeconfig: proxied });
    const session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 0, kinds: ['nodes', 'events', 'machines'] }, collector);
    await eventually('synced', () => collector.synced());
    // The watches are open with nothing to send yet: the case in which client-node's Watch cannot be aborted
    // through its own controller unless the response headers came at once.
    assert.ok(proxy.connections() >= 3);
    session.stop();
    client.close();
    await eventually('every connection closed', () => proxy.connections() === 0, 2000);
    const seen = { states: collector.states.length, events: collector.events };
    assert.ok(collector.states.slice(-2).every((s) => s.state.phase === 'stopped'));
    await label([...collector.model.nodes.keys()][0]!, 'after-stop');
    await mustCall('POST', '/api/v1/namespaces/default/events', warning('after-stop'));
    proxy.cut();
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual({ states: collector.states.length, events: collector.events }, seen);
  });
}

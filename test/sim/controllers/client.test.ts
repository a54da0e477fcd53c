// The simulator's REST client and informer against the real simulated API server: paged lists, typed Status errors,
// retry on 409, watch resume after a dropped connection (no relist), relist after 410 Gone, and stop.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createServingCerts } from '../../../src/sim/certs.js';
import { isAlreadyExists, isConflict, isNotFound, KubeApiError, SimClient, type Informer, type ResourceType } from '../../../src/sim/client.js';
import { coreResources } from '../../../src/sim/kinds/core.js';
import type { KubeObject } from '../../../src/sim/objects.js';
import { Registry } from '../../../src/sim/registry.js';
import { startApiServer, type ApiServer } from '../../../src/sim/server.js';
import { ObjectStore } from '../../../src/sim/store.js';
import { until } from './harness.js';

const configMaps: ResourceType = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true };
const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('SimClient and Informer', () => {
  let server: ApiServer;
  let store: ObjectStore;
  let client: SimClient;
  before(async () => {
    const certs = await createServingCerts(['127.0.0.1'], ['localhost']);
    const token = randomBytes(8).toString('hex');
    store = new ObjectStore();
    server = await startApiServer(new Registry(coreResources()), store, { host: '127.0.0.1', port: 0, cert: certs.certPem, key: certs.keyPem, token, bookmarkIntervalMs: 100 });
    client = new SimClient({ server: server.url, caPem: certs.caPem, token });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('lists every page with limit/continue', async () => {
    for (let i = 0; i < 7; i++) await client.create(configMaps, cm(`page-${i}`));
    let requests = 0;
    const original = client.request.bind(client);
    client.request = (...args) => {
      requests += 1;
      return original(...args);
    };
    const { items, resourceVersion } = await client.list(configMaps, { namespace: 'default', limit: 3 });
    client.request = original;
    assert.deepEqual(items.map((i) => i.metadata.name).filter((n) => n!.startsWith('page-')), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    assert.equal(requests, 3, 'three pages of at most 3');
    assert.match(resourceVersion, /^\d+$/);
  });

  it('throws typed errors from Status bodies and retries read-modify-write on 409', async () => {
    await assert.rejects(client.get(configMaps, 'missing', 'default'), (err: unknown) => isNotFound(err) && err instanceof KubeApiError && err.reason === 'NotFound');
    assert.equal(await client.find(configMaps, 'missing', 'default'), undefined);
    await assert.rejects(client.create(configMaps, cm('page-0')), (err: unknown) => isAlreadyExists(err));
    const stale = await client.get(configMaps, 'page-1', 'default');
    await client.patch(configMaps, 'page-1', { data: { moved: 'on' } }, { namespace: 'default' });
    await assert.rejects(client.update(configMaps, { ...stale, data: { a: '1' } }), (err: unknown) => isConflict(err) && (err as KubeApiError).code === 409);
    // modify() re-reads after a conflict: a concurrent writer bumps the object once, the second attempt wins.
    let attempts = 0;
    const result = await client.modify(configMaps, 'page-1', 'default', (obj) => {
      attempts += 1;
      if (attempts === 1) void store.put('configmaps', { ...store.get('configmaps', 'default', 'page-1')!, data: { concurrent: 'write' } });
      return { ...obj, data: { ...(obj.data as Record<string, string>), mine: 'yes' } };
    });
    assert.equal(attempts, 2);
    assert.deepEqual(result?.data, { concurrent: 'write', mine: 'yes' });
  });

  it('keeps an informer cache in sync, resumes after a dropped connection and relists after 410 Gone', async () => {
    const informer: Informer = client.informer(configMaps, { namespace: 'default', minBackoffMs: 20, maxBackoffMs: 200 });
    const seen: string[] = [];
    informer.addHandler({ add: (o) => seen.push(`add ${o.metadata.name}`), update: (o) => seen.push(`update ${o.metadata.name}`), delete: (o) => seen.push(`delete ${o.metadata.name}`) });
    await informer.start();
    assert.equal(informer.lists, 1);
    assert.ok(informer.get('page-3', 'default'));
    await client.create(configMaps, cm('live-1'));
    await until('the watch to deliver live-1', () => informer.get('live-1', 'default'));
    await client.delete(configMaps, 'page-0', { namespace: 'default' });
    await until('the deletion of page-0', () => !informer.get('page-0', 'default'));
    assert.ok(seen.includes('delete page-0'));

    // A dropped connection: the informer watches again from its last resourceVersion, without a new list.
    server.dropConnections();
    await client.create(configMaps, cm('after-drop'));
    await until('after-drop through the resumed watch', () => informer.get('after-drop', 'default'));
    assert.equal(informer.lists, 1, 'resumed without relisting');

    // 410: the event window moved past the informer's version while it was disconnected → relist and catch up.
    // Hold its reconnect back until the changes are made and etcd "compacted" (a test-only wrapper around watch).
    const watch = client.watch.bind(client);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    client.watch = () => {
      client.watch = watch;
      return { stop: () => release(), done: held.then(() => 'closed' as const) };
    };
    server.dropConnections();
    await until('the informer to try to reconnect', () => client.watch === watch);
    await client.create(configMaps, cm('during-gap'));
    await client.delete(configMaps, 'page-2', { namespace: 'default' });
    store.compact();
    release();
    await until('the relist after 410', () => informer.lists >= 2 && informer.get('during-gap', 'default') && !informer.get('page-2', 'default'), 10_000);
    assert.ok(seen.includes('delete page-2'), 'the relist reported the object deleted during the gap');
    await informer.stop();
    await client.create(configMaps, cm('after-stop'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(informer.get('after-stop', 'default'), undefined, 'a stopped informer does not watch');
  });

  it('evicts pods through the Eviction API and maps a PDB refusal to 429', async () => {
    const pods: ResourceType = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
    const pdbs: ResourceType = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true };
    const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    for (const name of ['a', 'b']) {
      // A create does not take a pod's status: the kubelet writes it through /status.
      const created = await client.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'x' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
      await client.update(pods, { ...created, status: ready }, { subresource: 'status' });
    }
    // No disruption controller runs here: the budget's status never catches up, so every eviction waits.
    await client.create(pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'x' } } } });
    await assert.rejects(client.evict('default', 'a'), (err: unknown) => err instanceof KubeApiError && err.code === 429 && err.reason === 'TooManyRequests' && /is still being processed by the server/.test(err.details?.causes?.[0]?.message ?? ''));
    await client.delete(pdbs, 'x', { namespace: 'default' });
    await client.evict('default', 'a');
    const evicted = await client.get(pods, 'a', 'default');
    assert.ok(evicted.metadata.deletionTimestamp, 'a graceful deletion began');
    await client.delete(pods, 'a', { namespace: 'default', gracePeriodSeconds: 0, preconditions: { uid: evicted.metadata.uid } });
    assert.equal(await client.find(pods, 'a', 'default'), undefined);
  });
});

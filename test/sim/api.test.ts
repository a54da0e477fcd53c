// The simulated API server's REST semantics over real HTTPS: paging, watch + bookmarks + 410, optimistic
// concurrency, patch types, strict validation and pruning, dryRun, finalizers, selectors, eviction, scale,
// and the Status shapes of errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServingCerts } from '../../src/sim/certs.js';
import { coreResources } from '../../src/sim/kinds/core.js';
import { Registry } from '../../src/sim/registry.js';
import type { ResourceDef } from '../../src/sim/resources.js';
import { startApiServer, type ApiServer } from '../../src/sim/server.js';
import { ObjectStore } from '../../src/sim/store.js';
import { call, openWatch, type Target } from '../helpers/http.js';

/** A custom resource with a structural schema, a status and a scale subresource, like CAPI's kinds. */
const widgets: ResourceDef = {
  group: 'example.deckhand.dev', kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: ['wd'], namespaced: true,
  builtin: false, status: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  versions: [{
    name: 'v1', storage: true,
    schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0 }, size: { type: 'string', enum: ['small', 'large'] }, timeoutSeconds: { type: 'integer' } } },
        status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
      },
    },
  }],
};

let server: ApiServer;
let store: ObjectStore;
let target: Target;
const ns = '/apis/example.deckhand.dev/v1/namespaces/default/widgets';
const widget = (name: string, spec: object = { replicas: 1 }) => ({ apiVersion: 'example.deckhand.dev/v1', kind: 'Widget', metadata: { name }, spec });

before(async () => {
  const certs = await createServingCerts(['127.0.0.1'], ['localhost']);
  store = new ObjectStore({ historyLimit: 50 });
  server = await startApiServer(new Registry([...coreResources(), widgets]), store, {
    host: '127.0.0.1', port: 0, cert: certs.certPem, key: certs.keyPem, token: 'test-token', bookmarkIntervalMs: 100,
    deny: [{ resource: 'secrets', verbs: ['list', 'watch'] }],
  });
  target = { url: server.url, caPem: certs.caPem, token: 'test-token' };
});
after(() => server.close());

describe('discovery', () => {
  test('lists groups, versions, resources and short names', async () => {
    const apis = await call(target, 'GET', '/apis');
    assert.equal(apis.status, 200);
    const names = apis.body.groups.map((g: { name: string }) => g.name);
    assert.ok(names.includes('apps') && names.includes('example.deckhand.dev'));
    const list = await call(target, 'GET', '/apis/example.deckhand.dev/v1');
    const main = list.body.resources.find((r: { name: string }) => r.name === 'widgets');
    assert.deepEqual(main.shortNames, ['wd']);
    assert.ok(list.body.resources.some((r: { name: string; kind: string }) => r.name === 'widgets/scale' && r.kind === 'Scale'));
    const core = await call(target, 'GET', '/api/v1');
    assert.ok(core.body.resources.some((r: { name: string }) => r.name === 'pods/eviction'));
    assert.equal((await call(target, 'GET', '/version')).body.major, '1');
  });
});

describe('list paging', () => {
  test('limit/continue walks a consistent snapshot', async () => {
    for (let i = 0; i < 25; i++) {
      const res = await call(target, 'POST', '/api/v1/namespaces/paging/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(2, '0')}` }, data: { i: String(i) } });
      assert.equal(res.status, 201);
    }
    const first = await call(target, 'GET', '/api/v1/namespaces/paging/configmaps?limit=10');
    assert.equal(first.body.items.length, 10);
    assert.equal(first.body.metadata.remainingItemCount, 15);
    const token = first.body.metadata.continue as string;
    assert.ok(token);
    // A change after the first page is not seen by later pages of the same list.
    await call(target, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-15', { data: { i: 'changed' } }, { 'Content-Type': 'application/merge-patch+json' });
    const second = await call(target, 'GET', `/api/v1/namespaces/paging/configmaps?limit=10&continue=${encodeURIComponent(token)}`);
    assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), Array.from({ length: 10 }, (_, i) => `cm-${10 + i}`));
    assert.equal(second.body.items[5].data.i, '15');
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    const third = await call(target, 'GET', `/api/v1/namespaces/paging/configmaps?limit=10&continue=${encodeURIComponent(second.body.metadata.continue)}`);
    assert.equal(third.body.items.length, 5);
    assert.equal(third.body.metadata.continue, undefined);
    const bad = await call(target, 'GET', '/api/v1/namespaces/paging/configmaps?limit=10&continue=garbage');
    assert.equal(bad.status, 400);
  });
});

describe('watch', () => {
  test('resumes from a resourceVersion, sends bookmarks, and answers 410 for expired versions', async () => {
    const created = await call(target, 'POST', ns, widget('w-watch'));
    const rv = created.body.metadata.resourceVersion;
    const w = await openWatch(target, `${ns}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
    assert.equal(w.status, 200);
    await call(target, 'PATCH', `${ns}/w-watch`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    const modified = await w.waitFor((e) => e.type === 'MODIFIED');
    assert.equal(modified.object.spec.replicas, 2);
    // A bookmark carries a newer resourceVersion than the watcher has, so only a write elsewhere brings one.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(w.events.filter((e) => e.type === 'BOOKMARK').length, 0, 'no bookmark while the revision stands still');
    await call(target, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere' } });
    const bookmark = await w.waitFor((e) => e.type === 'BOOKMARK', 2000);
    assert.ok(Number(bookmark.object.metadata.resourceVersion) > Number(modified.object.metadata.resourceVersion));
    assert.equal(bookmark.object.spec, undefined);
    await call(target, 'DELETE', `${ns}/w-watch`);
    const deleted = await w.waitFor((e) => e.type === 'DELETED');
    assert.equal(deleted.object.metadata.name, 'w-watch');
    w.close();

    // Like the watch cache: 200, then one ERROR event carrying the 410, then the stream ends.
    store.compact();
    const gone = await openWatch(target, `${ns}?watch=1&resourceVersion=${rv}`);
    assert.equal(gone.status, 200);
    const error = await gone.next();
    assert.equal(error.type, 'ERROR');
    assert.deepEqual([error.object.code, error.object.reason], [410, 'Expired']);
    assert.match(error.object.message, new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
    await gone.ended;
  });

  test('without a resourceVersion, existing objects arrive as ADDED first; selectors filter', async () => {
    await call(target, 'POST', '/api/v1/namespaces/sel/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'x' } } });
    await call(target, 'POST', '/api/v1/namespaces/sel/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels: { app: 'y' } } });
    const w = await openWatch(target, '/api/v1/namespaces/sel/configmaps?watch=true&labelSelector=app%3Dx');
    const first = await w.next();
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.metadata.name, 'a');
    // Relabelling b into the selection is an ADDED for this watch; relabelling a out of it is a DELETED.
    await call(target, 'PATCH', '/api/v1/namespaces/sel/configmaps/b', { metadata: { labels: { app: 'x' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await w.next()).type, 'ADDED');
    await call(target, 'PATCH', '/api/v1/namespaces/sel/configmaps/a', { metadata: { labels: { app: 'z' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const out = await w.next();
    assert.deepEqual([out.type, out.object.metadata.name], ['DELETED', 'a']);
    w.close();
  });
});

describe('writes', () => {
  test('a stale resourceVersion in a merge patch or an update is 409 Conflict', async () => {
    const created = await call(target, 'POST', ns, widget('w-409'));
    const rv = created.body.metadata.resourceVersion;
    const ok = await call(target, 'PATCH', `${ns}/w-409`, { metadata: { resourceVersion: rv }, spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(ok.status, 200);
    const stale = await call(target, 'PATCH', `${ns}/w-409`, { metadata: { resourceVersion: rv }, spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.match(stale.body.message, /the object has been modified; please apply your changes to the latest version and try again/);
    const put = await call(target, 'PUT', `${ns}/w-409`, { ...widget('w-409', { replicas: 9 }), metadata: { name: 'w-409', resourceVersion: rv } });
    assert.equal(put.status, 409);
    const noRv = await call(target, 'PUT', `${ns}/w-409`, widget('w-409', { replicas: 9 }));
    assert.equal(noRv.status, 422);
  });

  test('JSON patch with a failing test op is 422 and changes nothing', async () => {
    await call(target, 'POST', ns, widget('w-json', { replicas: 1, size: 'small' }));
    const res = await call(target, 'PATCH', `${ns}/w-json`, [{ op: 'test', path: '/spec/size', value: 'large' }, { op: 'replace', path: '/spec/replicas', value: 5 }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(res.status, 422);
    assert.deepEqual([res.body.message, res.body.details], ['the server rejected our request due to an error in our request', {}]);
    assert.equal((await call(target, 'GET', `${ns}/w-json`)).body.spec.replicas, 1);
    const good = await call(target, 'PATCH', `${ns}/w-json`, [{ op: 'test', path: '/spec/size', value: 'small' }, { op: 'replace', path: '/spec/replicas', value: 5 }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(good.status, 200);
    assert.equal(good.body.spec.replicas, 5);
    assert.equal(good.body.metadata.generation, 2);
  });

  test('strategic merge patch: 415 on a custom resource, merges lists by key on a built-in', async () => {
    await call(target, 'POST', ns, widget('w-smp'));
    const res = await call(target, 'PATCH', `${ns}/w-smp`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(res.status, 415);
    assert.equal(res.body.reason, 'UnsupportedMediaType');
    await call(target, 'POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p-smp' },
      spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] },
    });
    const patched = await call(target, 'PATCH', '/api/v1/namespaces/default/pods/p-smp', { spec: { containers: [{ name: 'b', image: 'b:2' }] } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.spec.containers.map((c: { image: string }) => c.image), ['a:1', 'b:2']);
  });

  test('fieldValidation=Strict rejects unknown fields; by default they are pruned with a warning', async () => {
    await call(target, 'POST', ns, widget('w-strict'));
    // A patch is applied first, then the result is decoded strictly: 422 with the patched object in the message.
    const strict = await call(target, `PATCH`, `${ns}/w-strict?fieldValidation=Strict`, { spec: { replicas: 2, colour: 'red', age: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(strict.status, 422);
    assert.equal(strict.body.reason, 'Invalid');
    assert.match(strict.body.message, /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec.age", unknown field "spec.colour"$/);
    assert.equal(strict.body.details.causes[0].field, 'patch');
    // A create cannot be decoded: 400.
    const strictCreate = await call(target, 'POST', `${ns}?fieldValidation=Strict`, widget('w-strict-new', { replicas: 1, colour: 'red' }));
    assert.equal(strictCreate.status, 400);
    assert.equal(strictCreate.body.message, 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"');
    const bogus = await call(target, 'PATCH', `${ns}/w-strict?fieldValidation=Bogus`, { spec: {} }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(bogus.status, 422);
    assert.match(bogus.body.message, /fieldValidation: Unsupported value: "Bogus"/);
    assert.equal((await call(target, 'GET', `${ns}/w-strict`)).body.spec.replicas, 1);
    const warn = await call(target, 'PATCH', `${ns}/w-strict`, { spec: { replicas: 2, colour: 'red' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(warn.status, 200);
    assert.equal(warn.body.spec.colour, undefined);
    assert.equal(warn.body.spec.replicas, 2);
    assert.match(String(warn.headers.warning), /^299 - "unknown field \\"spec.colour\\""$/);
    const wrongType = await call(target, 'PATCH', `${ns}/w-strict`, { spec: { replicas: 'two' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(wrongType.status, 422);
    assert.equal(wrongType.body.reason, 'Invalid');
    assert.match(wrongType.body.message, /^Widget.example.deckhand.dev "w-strict" is invalid: spec.replicas: Invalid value: "two": spec.replicas in body must be of type integer: "string"$/);
    assert.equal(wrongType.body.details.causes[0].field, 'spec.replicas');
    assert.equal(wrongType.body.details.causes[0].reason, 'FieldValueTypeInvalid');
    const badEnum = await call(target, 'PATCH', `${ns}/w-strict`, { spec: { size: 'medium' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(badEnum.status, 422);
  });

  test('dryRun=All validates and answers without persisting', async () => {
    await call(target, 'POST', ns, widget('w-dry'));
    const before = await call(target, 'GET', `${ns}/w-dry`);
    const dry = await call(target, 'PATCH', `${ns}/w-dry?dryRun=All`, { spec: { replicas: 7 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(dry.status, 200);
    assert.equal(dry.body.spec.replicas, 7);
    const after = await call(target, 'GET', `${ns}/w-dry`);
    assert.equal(after.body.spec.replicas, 1);
    assert.equal(after.body.metadata.resourceVersion, before.body.metadata.resourceVersion);
    const dryCreate = await call(target, 'POST', `${ns}?dryRun=All`, widget('w-dry-new'));
    assert.equal(dryCreate.status, 201);
    assert.equal((await call(target, 'GET', `${ns}/w-dry-new`)).status, 404);
    const dryInvalid = await call(target, 'PATCH', `${ns}/w-dry?dryRun=All&fieldValidation=Strict`, { spec: { nope: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(dryInvalid.status, 422);
  });

  test('finalizers hold a deleted object until removed; delete preconditions are checked', async () => {
    await call(target, 'POST', ns, { ...widget('w-fin'), metadata: { name: 'w-fin', finalizers: ['example/hold'] } });
    const del = await call(target, 'DELETE', `${ns}/w-fin`);
    assert.equal(del.status, 200);
    const held = await call(target, 'GET', `${ns}/w-fin`);
    assert.ok(held.body.metadata.deletionTimestamp);
    const addFinalizer = await call(target, 'PATCH', `${ns}/w-fin`, { metadata: { finalizers: ['example/hold', 'example/more'] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(addFinalizer.status, 422);
    await call(target, 'PATCH', `${ns}/w-fin`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await call(target, 'GET', `${ns}/w-fin`)).status, 404);

    const created = await call(target, 'POST', ns, widget('w-pre'));
    const wrong = await call(target, 'DELETE', `${ns}/w-pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    assert.equal(wrong.status, 409);
    assert.match(wrong.body.message, /^Operation cannot be fulfilled on Widget\.example\.deckhand\.dev "w-pre": the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified$/);
    const right = await call(target, 'DELETE', `${ns}/w-pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: created.body.metadata.resourceVersion } });
    assert.equal(right.status, 200);
  });

  test('status subresource: the main endpoint ignores status, /status ignores spec', async () => {
    await call(target, 'POST', ns, widget('w-status'));
    await call(target, 'PATCH', `${ns}/w-status`, { status: { replicas: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await call(target, 'GET', `${ns}/w-status`)).body.status, undefined);
    const st = await call(target, 'PATCH', `${ns}/w-status/status`, { spec: { replicas: 9 }, status: { replicas: 5, selector: 'app=w' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(st.status, 200);
    assert.equal(st.body.status.replicas, 5);
    assert.equal(st.body.spec.replicas, 1);
  });

  test('scale subresource: GET and merge patch of spec.replicas, with a resourceVersion precondition', async () => {
    await call(target, 'POST', ns, widget('w-scale'));
    const scale = await call(target, 'GET', `${ns}/w-scale/scale`);
    assert.equal(scale.body.kind, 'Scale');
    assert.equal(scale.body.apiVersion, 'autoscaling/v1');
    assert.equal(scale.body.spec.replicas, 1);
    const patched = await call(target, 'PATCH', `${ns}/w-scale/scale`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.spec.replicas, 3);
    assert.equal((await call(target, 'GET', `${ns}/w-scale`)).body.spec.replicas, 3);
    const stale = await call(target, 'PATCH', `${ns}/w-scale/scale`, { metadata: { resourceVersion: scale.body.metadata.resourceVersion }, spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(stale.status, 409);
    const negative = await call(target, 'PATCH', `${ns}/w-scale/scale`, { spec: { replicas: -1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(negative.status, 422);
    assert.equal(negative.body.message, 'Widget.example.deckhand.dev "w-scale" is invalid: .spec.replicas: Invalid value: -1: should be a non-negative integer');
  });
});

describe('selectors and eviction', () => {
  test('field selector spec.nodeName; unsupported field labels are 400', async () => {
    for (const [name, node] of [['p1', 'n1'], ['p2', 'n2'], ['p3', 'n1']] as const) {
      await call(target, 'POST', '/api/v1/namespaces/fs/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'fs' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] } });
    }
    const onN1 = await call(target, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1');
    assert.deepEqual(onN1.body.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort(), ['p1', 'p3']);
    const notN1 = await call(target, 'GET', '/api/v1/namespaces/fs/pods?fieldSelector=spec.nodeName!%3Dn1,metadata.name%3Dp2');
    assert.deepEqual(notN1.body.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['p2']);
    const bad = await call(target, 'GET', '/api/v1/pods?fieldSelector=spec.colour%3Dred');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /field label not supported: spec.colour/);
    const set = await call(target, 'GET', '/api/v1/pods?labelSelector=app%20in%20(fs,other)');
    assert.equal(set.body.items.length, 3);
  });

  test('eviction honours a PodDisruptionBudget (429) and deletes gracefully otherwise', async () => {
    const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    for (const name of ['e1', 'e2']) {
      await call(target, 'POST', '/api/v1/namespaces/ev/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'ev' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
      await call(target, 'PATCH', `/api/v1/namespaces/ev/pods/${name}/status`, { status: ready }, { 'Content-Type': 'application/merge-patch+json' });
    }
    await call(target, 'POST', '/apis/policy/v1/namespaces/ev/poddisruptionbudgets', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'ev-pdb' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'ev' } } } });
    const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'ev' } });
    const refused = await call(target, 'POST', '/api/v1/namespaces/ev/pods/e1/eviction', eviction('e1'));
    assert.equal(refused.status, 429);
    assert.equal(refused.body.reason, 'TooManyRequests');
    assert.match(refused.body.details.causes[0].message, /^The disruption budget ev-pdb is still being processed by the server\.$/);
    // What the disruption controller would write (no controller runs here): one disruption allowed.
    const pdb = await call(target, 'GET', '/apis/policy/v1/namespaces/ev/poddisruptionbudgets/ev-pdb');
    const status = { observedGeneration: pdb.body.metadata.generation, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 };
    await call(target, 'PATCH', '/apis/policy/v1/namespaces/ev/poddisruptionbudgets/ev-pdb/status', { status }, { 'Content-Type': 'application/merge-patch+json' });
    const allowed = await call(target, 'POST', '/api/v1/namespaces/ev/pods/e1/eviction', eviction('e1'));
    assert.equal(allowed.status, 201);
    const pod = await call(target, 'GET', '/api/v1/namespaces/ev/pods/e1');
    assert.ok(pod.body.metadata.deletionTimestamp, 'a bound pod is deleted gracefully: the kubelet finishes it');
    const spent = await call(target, 'GET', '/apis/policy/v1/namespaces/ev/poddisruptionbudgets/ev-pdb');
    assert.equal(spent.body.status.disruptionsAllowed, 0);
    assert.equal((await call(target, 'POST', '/api/v1/namespaces/ev/pods/e2/eviction', eviction('e2'))).status, 429, 'nothing left to spend');
    const force = await call(target, 'DELETE', '/api/v1/namespaces/ev/pods/e1?gracePeriodSeconds=0');
    assert.equal(force.status, 200);
    assert.equal((await call(target, 'GET', '/api/v1/namespaces/ev/pods/e1')).status, 404);
  });
});

describe('errors', () => {
  test('Status bodies for 404, 400, 401, 403, 405 and unknown paths; no crash on malformed input', async () => {
    const missing = await call(target, 'GET', `${ns}/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(
      { kind: missing.body.kind, status: missing.body.status, reason: missing.body.reason, code: missing.body.code, message: missing.body.message },
      { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'widgets.example.deckhand.dev "nope" not found' },
    );
    const malformed = await call(target, 'POST', ns, '{"apiVersion": ');
    assert.equal(malformed.status, 400);
    const malformedPatch = await call(target, 'PATCH', `${ns}/w-json`, '{nope', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(malformedPatch.status, 400);
    assert.match(malformedPatch.body.message, /^error decoding patch: /);
    const page = await call(target, 'GET', '/apis/nothing.here/v1/things');
    assert.equal(page.status, 404);
    assert.equal(page.text, '404 page not found\n');
    const weird = await call(target, 'GET', '/apis/example.deckhand.dev/v1/namespaces/default/widgets/a/b/c/d');
    assert.ok(weird.status >= 400 && weird.status < 500);
    const unauth = await call({ ...target, token: 'wrong' }, 'GET', '/api/v1/pods');
    assert.equal(unauth.status, 401);
    const denied = await call(target, 'GET', '/api/v1/namespaces/default/secrets');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.message, 'secrets is forbidden: User "kubernetes-admin" cannot list resource "secrets" in API group "" in the namespace "default"');
    assert.deepEqual(denied.body.details, { kind: 'secrets' });
    const badName = await call(target, 'POST', ns, widget('Not_A_Name'));
    assert.equal(badName.status, 422);
    const dup = await call(target, 'POST', ns, widget('w-json'));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    const generated = await call(target, 'POST', ns, { ...widget(''), metadata: { generateName: 'gen-' } });
    assert.match(generated.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('tables', () => {
  test('kubectl-style Table responses with server columns', async () => {
    const res = await call(target, 'GET', '/api/v1/namespaces/fs/pods', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(res.body.kind, 'Table');
    assert.deepEqual(res.body.columnDefinitions.slice(0, 5).map((c: { name: string }) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.equal(res.body.rows[0].cells[0], 'p1');
    assert.equal(res.body.rows[0].object.kind, 'PartialObjectMetadata');
  });
});

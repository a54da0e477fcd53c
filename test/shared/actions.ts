// deckhand's actions and the patch shapes per API version, through its real client, the same on both targets:
// every plan*() request is sent with applyPlan() exactly as planned and read back with an independent GET, so the
// shapes are proven against the schema the target serves (the real CRDs on a real server). Covers the drain
// timeouts (v1beta1 Duration strings, v1beta2 integer seconds), Strict rejection of the other version's field and
// its pruning without Strict, 415 for a strategic merge patch on a custom resource, 409 for stale plans (merge,
// JSON and /scale), a failed delete precondition, MachineDeployment /scale, the allowed CIDRs (merge patch and the
// JSON patch with a `test` op) and the bastion image in each CAPO shape (`id: null` when switching to `filter`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyPlan, getView, planDelete, planPatch, resourceRef } from '../../src/kube/actions.js';
import type { KubeClient } from '../../src/kube/client.js';
import { discover, type Discovery } from '../../src/kube/discovery.js';
import { KubeError } from '../../src/kube/errors.js';
import { watchedFamilies } from '../../src/kube/kinds.js';
import { planAllowedCidrs, planBastionImage, planDeleteMachine, planMachineTimeouts, planScaleMachineDeployment } from '../../src/kube/operations.js';
import { planAllowedCidrsTested } from '../../src/kube/runbook-reads.js';
import { call } from '../helpers/http.js';
import type { Target, TargetFactory } from './target.js';

/** A KubeError of this kind and HTTP status whose message matches. */
const failsWith = (kind: KubeError['kind'], status: number, pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof KubeError, String(e));
  assert.equal(e.kind, kind, e.message);
  assert.equal(e.status, status, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

/** Defines the actions tests against the target `start` returns. */
export function defineActionsSuite(start: TargetFactory): void {
  let target: Target;
  let client: KubeClient;
  let d: Discovery;
  const v = () => target.scenario.capi;
  const raw = async (path: string) => {
    const res = await call(target.access, 'GET', path);
    assert.equal(res.status, 200, `GET ${path}: ${res.text}`);
    return res.body as { spec: Record<string, unknown>; metadata: { resourceVersion: string } };
  };
  const worker = async () => {
    const all = await call(target.access, 'GET', `/apis/cluster.x-k8s.io/${v()}/namespaces/default/machines?labelSelector=cluster.x-k8s.io%2Fdeployment-name%3Dprow-md-0`);
    const name = (all.body.items as { metadata: { name: string } }[]).map((m) => m.metadata.name).sort()[0]!;
    return (await getView(client, d, 'machines', 'default', name))!;
  };
  const machinePath = (name: string) => `/apis/cluster.x-k8s.io/${v()}/namespaces/default/machines/${name}`;
  const oscPath = () => `/apis/infrastructure.cluster.x-k8s.io/${target.scenario.capo}/namespaces/default/openstackclusters/prow`;
  const readOsc = async () => (await getView(client, d, 'openstackClusters', 'default', 'prow'))!;
  const readMd = async () => (await getView(client, d, 'machineDeployments', 'default', 'prow-md-0'))!;

  before(async () => {
    target = await start();
    client = target.client();
    d = await discover(client, watchedFamilies);
  });
  after(async () => target?.stop());

  test('drain timeouts: a dry run changes nothing; applied, they read back in the version\'s shape', async () => {
    const m = await worker();
    const dry = await applyPlan(client, planMachineTimeouts(d, m, { nodeDrainSeconds: 600 }, { dryRun: true }));
    assert.equal(dry.dryRun, true);
    assert.equal((await worker()).nodeDrainSeconds, undefined, 'dry run changed nothing');
    const applied = await applyPlan(client, planMachineTimeouts(d, await worker(), { nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900 }));
    assert.deepEqual(applied.warnings, []);
    const spec = (await raw(machinePath(m.name))).spec;
    if (v() === 'v1beta1') assert.deepEqual([spec.nodeDrainTimeout, spec.nodeVolumeDetachTimeout], ['10m0s', '15m0s']);
    else assert.deepEqual(spec.deletion, { nodeDrainTimeoutSeconds: 600, nodeVolumeDetachTimeoutSeconds: 900 });
    const view = await worker();
    assert.deepEqual([view.nodeDrainSeconds, view.nodeVolumeDetachSeconds], [600, 900]);
    // A plan made from a view older than the last write is stale: 409, which runbooks turn into "preview again".
    await assert.rejects(applyPlan(client, planMachineTimeouts(d, m, { nodeDrainSeconds: 60 })), failsWith('conflict', 409, /the object has been modified/));
  });

  test('the other version\'s field is rejected with Strict, and pruned with a Warning without it', async () => {
    const m = await worker();
    const wrong = v() === 'v1beta2' ? { spec: { nodeDrainTimeout: '10m0s' } } : { spec: { deletion: { nodeDrainTimeoutSeconds: 600 } } };
    const field = v() === 'v1beta2' ? 'spec.nodeDrainTimeout' : 'spec.deletion';
    const plan = planPatch(resourceRef('machines', d, m.namespace, m.name), { type: 'merge', patch: wrong }, { resourceVersion: m.resourceVersion });
    // A patch is decoded after it is applied, so Strict answers 422 Invalid (a create would be 400).
    await assert.rejects(applyPlan(client, plan), failsWith('invalid', 422, new RegExp(`strict decoding error: unknown field "${field.replace('.', '\\.')}"`)));
    const lax = await applyPlan(client, { ...plan, request: { ...plan.request, query: {} } });
    assert.deepEqual(lax.warnings, [`unknown field "${field}"`]);
    assert.equal(field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], await raw(machinePath(m.name))), undefined, 'pruned');
  });

  test('a strategic merge patch on a Machine is 415; a failed delete precondition is 409', async () => {
    const m = await worker();
    const strategic = client.request({ method: 'PATCH', path: machinePath(m.name), contentType: 'application/strategic-merge-patch+json', body: { metadata: { labels: { a: 'b' } } } });
    await assert.rejects(strategic, failsWith('invalid', 415, /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/));
    const wire = await call(target.access, 'PATCH', machinePath(m.name), { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.deepEqual(wire.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType', code: 415,
    });
    // rest.BeforeDelete words it with the Kind and group, not the resource (k8s.io/apiserver pkg/registry/rest/delete.go).
    const uid = new RegExp(`Operation cannot be fulfilled on Machine\\.cluster\\.x-k8s\\.io "${m.name}": the UID in the precondition \\(not-this-one\\) does not match the UID in record \\(${m.uid}\\)\\. The object might have been deleted and then recreated$`);
    await assert.rejects(applyPlan(client, planDelete(resourceRef('machines', d, m.namespace, m.name), { uid: 'not-this-one' })), failsWith('conflict', 409, uid));
    assert.ok(await worker(), 'still there');
  });

  test('a delete: a stale resourceVersion precondition is 409; done at once, the answer is a Success Status', async () => {
    const created = await call(target.access, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'to-delete' }, data: { a: '1' } });
    assert.equal(created.status, 201, created.text);
    const ref = { group: '', version: 'v1', plural: 'configmaps', namespace: 'default', name: 'to-delete' };
    const { uid, resourceVersion } = created.body.metadata as { uid: string; resourceVersion: string };
    const stale = String(Number(resourceVersion) - 1);
    const refused = await call(target.access, 'DELETE', '/api/v1/namespaces/default/configmaps/to-delete', { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: stale } });
    assert.deepEqual(refused.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: `Operation cannot be fulfilled on ConfigMap "to-delete": the ResourceVersion in the precondition (${stale}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`,
      reason: 'Conflict', details: { name: 'to-delete', kind: 'ConfigMap' }, code: 409,
    });
    const done = await applyPlan(client, planDelete(ref, { uid, resourceVersion }));
    // Without finalizers or a grace period the object is gone at once, and the answer is a Status, not the object.
    assert.deepEqual(done.object, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'to-delete', kind: 'configmaps', uid } });
    assert.equal((await call(target.access, 'GET', '/api/v1/namespaces/default/configmaps/to-delete')).status, 404);
  });

  test('MachineDeployment /scale: applied, read back; a stale plan is 409', async () => {
    const before = await readMd();
    const scaled = await applyPlan(client, planScaleMachineDeployment(d, before, 3));
    assert.deepEqual([(scaled.object as { kind: string }).kind, (scaled.object as { spec: { replicas: number } }).spec.replicas], ['Scale', 3]);
    assert.equal((await raw(`/apis/cluster.x-k8s.io/${v()}/namespaces/default/machinedeployments/prow-md-0`)).spec.replicas, 3);
    await assert.rejects(applyPlan(client, planScaleMachineDeployment(d, before, 4)), failsWith('conflict', 409));
    await applyPlan(client, planScaleMachineDeployment(d, await readMd(), 2));
    assert.equal((await readMd()).desired, 2);
  });

  test('allowed CIDRs: the merge patch and the tested JSON patch; a failed test op is 422 with no detail', async () => {
    const key = target.scenario.capo === 'v1beta1' ? 'allowedCIDRs' : 'allowedCidrs';
    const start = (await readOsc()).apiServerLoadBalancer.allowedCidrs ?? [];
    const merged = [...start, '198.51.100.7/32'];
    await applyPlan(client, planAllowedCidrs(d, await readOsc(), merged));
    assert.deepEqual(((await raw(oscPath())).spec.apiServerLoadBalancer as Record<string, unknown>)[key], merged);
    const stale = await readOsc();
    const tested = planAllowedCidrsTested(d, stale, [...merged, '203.0.113.9/32']);
    assert.deepEqual((tested.request.body as { op: string; path: string }[]).map((o) => `${o.op} ${o.path}`), ['replace /metadata/resourceVersion', `test /spec/apiServerLoadBalancer/${key}`, `replace /spec/apiServerLoadBalancer/${key}`]);
    await applyPlan(client, tested);
    assert.deepEqual((await readOsc()).apiServerLoadBalancer.allowedCidrs, [...merged, '203.0.113.9/32']);
    // The same plan again: its `test` op no longer holds, which fails before the resourceVersion is compared.
    await assert.rejects(applyPlan(client, planAllowedCidrsTested(d, stale, start)), failsWith('invalid', 422, /the server rejected our request due to an error in our request/));
    await applyPlan(client, planAllowedCidrsTested(d, await readOsc(), start));
    assert.deepEqual((await readOsc()).apiServerLoadBalancer.allowedCidrs, start);
  });

  test('the bastion image in the version\'s shape: by name, by id, and back to a filter (id: null)', async () => {
    const bastion = async () => (await raw(oscPath())).spec.bastion as Record<string, Record<string, unknown>>;
    if (target.scenario.capo === 'v1alpha7') {
      await applyPlan(client, planBastionImage(d, await readOsc(), { kind: 'name', name: 'ubuntu-24.04' }));
      const b = await bastion();
      assert.equal(b.instance!.image, 'ubuntu-24.04');
      assert.ok(b.instance!.flavor, 'a merge patch keeps the siblings');
      const osc = await readOsc();
      assert.throws(() => planBastionImage(d, osc, { kind: 'filter', name: 'x' }), /takes an image name or UUID/);
      return;
    }
    const id = '8f3c1f44-6a5e-4d0e-9a57-6c1ad3f1f4a1';
    await applyPlan(client, planBastionImage(d, await readOsc(), { kind: 'id', id }));
    assert.deepEqual((await bastion()).spec!.image, { id });
    // The ImageParam takes exactly one key: the switch to a filter must null the id or the merge makes two.
    const plan = planBastionImage(d, await readOsc(), { kind: 'filter', name: 'ubuntu-24.04' });
    assert.deepEqual((plan.request.body as { spec: { bastion: { spec: { image: unknown } } } }).spec.bastion.spec.image, { filter: { name: 'ubuntu-24.04' }, id: null, imageRef: null });
    await applyPlan(client, plan);
    assert.deepEqual((await bastion()).spec!.image, { filter: { name: 'ubuntu-24.04' } });
    assert.deepEqual((await readOsc()).bastion.image, { kind: 'filter', name: 'ubuntu-24.04' });
  });

  test('a JSON patch carries the resourceVersion precondition: 409 once the object moved on', async () => {
    const name = (await call(target.access, 'GET', '/api/v1/nodes')).body.items[0].metadata.name as string;
    const node = async () => (await getView(client, d, 'nodes', undefined, name))!;
    const labelPlan = (resourceVersion: string, value: string) =>
      planPatch(resourceRef('nodes', d, undefined, name), { type: 'json', ops: [{ op: 'add', path: '/metadata/labels/deckhand-json-patch', value }] }, { resourceVersion });
    const stale = labelPlan((await node()).resourceVersion, 'stale');
    const labelled = await applyPlan(client, labelPlan((await node()).resourceVersion, 'first'));
    assert.equal((labelled.object as { metadata: { labels: Record<string, string> } }).metadata.labels['deckhand-json-patch'], 'first');
    await assert.rejects(applyPlan(client, stale), failsWith('conflict', 409));
  });

  test('deleting a Machine with a finalizer: the answer is the Machine, now deleting, with a new generation', async () => {
    const all = await call(target.access, 'GET', `/apis/cluster.x-k8s.io/${v()}/namespaces/default/machines?labelSelector=cluster.x-k8s.io%2Fcontrol-plane`);
    const name = all.body.items[0].metadata.name as string;
    const m = (await getView(client, d, 'machines', 'default', name))!;
    const before = await raw(machinePath(name));
    const answer = (await applyPlan(client, planDeleteMachine(d, m))).object as { kind: string; metadata: Record<string, unknown> };
    // Graceful deletion (finalizers, or a pod's grace period) bumps the generation (rest.BeforeDelete).
    assert.equal(answer.kind, 'Machine');
    assert.equal(answer.metadata.generation, (before.metadata as unknown as { generation: number }).generation + 1);
    assert.equal(answer.metadata.deletionGracePeriodSeconds, 0);
    assert.ok(answer.metadata.deletionTimestamp);
    assert.deepEqual(answer.metadata.finalizers, ['machine.cluster.x-k8s.io']);
    const again = await call(target.access, 'DELETE', machinePath(name));
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, answer.metadata.resourceVersion, 'a second delete changes nothing');
    const released = await call(target.access, 'PATCH', machinePath(name), { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(released.status, 200, released.text);
    assert.equal((await call(target.access, 'GET', machinePath(name))).status, 404, 'gone once the last finalizer is removed');
  });
}

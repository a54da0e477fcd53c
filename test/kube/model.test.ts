import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvents, emptyModel } from '../../src/kube/model.js';
import { pod } from './views.js';

test('a relist replaces its own scope only; upserts and deletes apply in order; untouched kinds keep their map', () => {
  const a = pod('a', 'one');
  const b = pod('b', 'two');
  let model = applyEvents(emptyModel(), [{ kind: 'pods', event: { type: 'replace', items: [a, b] } }]);
  assert.deepEqual([...model.pods.keys()], ['a/one', 'b/two']);
  const nodesBefore = model.nodes;
  // A relist of namespace "a" (a per-namespace source) must not drop namespace "b".
  model = applyEvents(model, [{ kind: 'pods', namespace: 'a', event: { type: 'replace', items: [pod('a', 'three')] } }]);
  assert.deepEqual([...model.pods.keys()].sort(), ['a/three', 'b/two']);
  model = applyEvents(model, [
    { kind: 'pods', event: { type: 'upsert', item: pod('b', 'two', { phase: 'Failed' }) } },
    { kind: 'pods', event: { type: 'delete', item: pod('a', 'three') } },
    { kind: 'pods', event: { type: 'upsert', item: pod('a', 'three') } },
    { kind: 'pods', event: { type: 'delete', item: pod('a', 'three') } },
  ]);
  assert.deepEqual([...model.pods.keys()], ['b/two']);
  assert.equal(model.pods.get('b/two')?.phase, 'Failed');
  assert.equal(model.nodes, nodesBefore);
  // Bookmarks change nothing: the very same model comes back.
  assert.equal(applyEvents(model, [{ kind: 'pods', event: { type: 'bookmark' } }]), model);
  // A cluster-wide relist drops everything not in it.
  model = applyEvents(model, [{ kind: 'pods', event: { type: 'replace', items: [] } }]);
  assert.equal(model.pods.size, 0);
});

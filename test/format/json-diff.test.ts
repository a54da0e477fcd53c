import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffJson, formatJsonDiff } from '../../src/format/json-diff.js';

const render = (before: unknown, after: unknown): string[] => formatJsonDiff(diffJson(before, after));

test('diffJson reports changes, additions and removals by path', () => {
  assert.deepEqual(diffJson({ spec: { replicas: 2 } }, { spec: { replicas: 3 } }), [
    { kind: 'changed', path: 'spec.replicas', before: 2, after: 3 },
  ]);
  assert.deepEqual(diffJson({ spec: { y: 1 } }, { spec: { x: { a: 1 } } }), [
    { kind: 'removed', path: 'spec.y', before: 1 },
    { kind: 'added', path: 'spec.x', after: { a: 1 } },
  ]);
  assert.deepEqual(diffJson({ a: [1, 2] }, { a: [1, 2] }), []);
});

test('formatJsonDiff renders one readable line per difference', () => {
  const cases: [unknown, unknown, string[]][] = [
    [{ spec: { replicas: 2 } }, { spec: { replicas: 3 } }, ['~ spec.replicas: 2 → 3']],
    [{ spec: {} }, { spec: { paused: true } }, ['+ spec.paused: true']],
    [{ spec: { y: 'old' } }, { spec: {} }, ['- spec.y']],
    [
      { metadata: { annotations: {} } },
      { metadata: { annotations: { 'cluster.x-k8s.io/paused': 'true' } } },
      ['+ metadata.annotations["cluster.x-k8s.io/paused"]: "true"'],
    ],
    [{ metadata: { labels: { 'node-role': 'a' } } }, { metadata: { labels: { 'node-role': 'b' } } }, [
      '~ metadata.labels.node-role: "a" → "b"',
    ]],
    [{ items: [1, 2] }, { items: [1, 3, 4] }, ['~ items[1]: 2 → 3', '+ items[2]: 4']],
    [{ items: [{ name: 'a' }, { name: 'b' }] }, { items: [{ name: 'a' }] }, ['- items[1]']],
    [{ items: [{ name: 'a' }] }, { items: [{ name: 'z' }] }, ['~ items[0].name: "a" → "z"']],
    [{ spec: { x: { a: 1 } } }, { spec: { x: 5 } }, ['~ spec.x: {"a":1} → 5']],
    [{ spec: { x: null } }, { spec: { x: 1 } }, ['~ spec.x: null → 1']],
    [{ spec: { x: [1] } }, { spec: { x: { 0: 1 } } }, ['~ spec.x: [1] → {"0":1}']],
    [{ a: undefined }, {}, []],
    [1, 2, ['~ (root): 1 → 2']],
    [[1], [2], ['~ [0]: 1 → 2']],
  ];
  for (const [before, after, expected] of cases) assert.deepEqual(render(before, after), expected);
});

test('keys of the old document come first, then new keys, each in document order', () => {
  assert.deepEqual(render({ b: 1, a: 1 }, { c: 1, a: 2, b: 2 }), ['~ b: 1 → 2', '~ a: 1 → 2', '+ c: 1']);
});

test('long values are cut to the value width', () => {
  const long = 'x'.repeat(100);
  assert.deepEqual(formatJsonDiff(diffJson({ a: long }, { a: 'y' }), 10), ['~ a: "xxxxxxxx… → "y"']);
});

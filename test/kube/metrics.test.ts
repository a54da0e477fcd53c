import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNodeMetrics, parsePodMetrics } from '../../src/kube/metrics.js';
import { emptyHistory, latestNodeUsage, recordPoll, type HistoryLimits } from '../../src/kube/metrics-history.js';

test('metrics lists parse with metrics-server quantities; a pod is the sum of its containers', () => {
  const nodes = parseNodeMetrics({
    items: [
      { metadata: { name: 'n1' }, timestamp: '2026-01-01T12:00:00Z', window: '20.044s', usage: { cpu: '123456789n', memory: '3702Mi' } },
      { metadata: {}, usage: { cpu: '1' } }, // nameless: skipped
    ],
  });
  assert.deepEqual(nodes, [{ name: 'n1', timestamp: '2026-01-01T12:00:00Z', cpuMilli: 123.456789, memoryBytes: 3702 * 2 ** 20, windowMs: 20044 }]);
  const pods = parsePodMetrics({
    items: [{ metadata: { name: 'p', namespace: 'test-pods' }, timestamp: 't', window: '15s', containers: [{ name: 'a', usage: { cpu: '250m', memory: '1234Ki' } }, { name: 'b', usage: { cpu: '2516m', memory: '1Mi' } }] }],
  });
  assert.deepEqual(pods, [{ namespace: 'test-pods', name: 'p', timestamp: 't', cpuMilli: 2766, memoryBytes: 1234 * 1024 + 2 ** 20, windowMs: 15000 }]);
});

test('histories: bounded per node and pod, job runs keep their peak, vanished pods and old jobs age out', () => {
  const limits: HistoryLimits = { points: 2, runsPerJob: 2, jobs: 1, podRetentionMs: 20_000 };
  const jobs: Record<string, { job?: string; node?: string }> = { p1: { job: 'J', node: 'n1' }, p2: {}, p3: { job: 'J' }, p4: { job: 'J' }, p5: { job: 'K' } };
  const lookup = (_ns: string, name: string) => jobs[name];
  const sample = (name: string, cpuMilli: number, memoryBytes: number) => ({ namespace: 'ns', name, timestamp: '', cpuMilli, memoryBytes });
  const node = (cpuMilli: number) => ({ name: 'n1', timestamp: '', cpuMilli, memoryBytes: 1 });

  let h = recordPoll(emptyHistory(), { at: 1000, nodes: [node(100)], pods: [sample('p1', 10, 100), sample('p2', 5, 5)] }, lookup, limits);
  const first = h;
  h = recordPoll(h, { at: 16_000, nodes: [node(200)], pods: [sample('p1', 30, 50)] }, lookup, limits);
  assert.equal(first.pods.get('ns/p1')!.length, 1, 'the earlier history is not mutated');
  assert.deepEqual(h.jobs.get('J'), [{ pod: 'ns/p1', node: 'n1', firstSeen: 1000, lastSeen: 16_000, samples: 2, peak: { cpuMilli: 30, memoryBytes: 100 }, last: { cpuMilli: 30, memoryBytes: 50 } }]);
  assert.deepEqual(latestNodeUsage(h), new Map([['n1', { cpuMilli: 200, memoryBytes: 1 }]]));

  h = recordPoll(h, { at: 31_000, nodes: [node(300)], pods: [sample('p3', 1, 1), sample('p4', 2, 2)] }, lookup, limits);
  assert.deepEqual(h.nodes.get('n1')!.map((p) => p.cpuMilli), [200, 300]); // 2 points kept
  assert.deepEqual(h.jobs.get('J')!.map((r) => r.pod), ['ns/p3', 'ns/p4']); // 2 runs kept, p1's run dropped
  assert.equal(h.pods.has('ns/p2'), false); // last seen at 1000, retention 20 s
  assert.equal(h.pods.has('ns/p1'), true); // last seen at 16 000: still within 20 s

  h = recordPoll(h, { at: 46_000, nodes: [], pods: [sample('p5', 9, 9)] }, lookup, limits);
  assert.deepEqual([...h.jobs.keys()], ['K']); // at most 1 job: J (last seen 31 000) goes
  assert.equal(latestNodeUsage(h).size, 0); // n1 missed this poll: no current usage
  assert.equal(h.nodes.has('n1'), true); // …but its history stays within the retention
  assert.deepEqual([h.polls, h.lastPollAt], [4, 46_000]);
});

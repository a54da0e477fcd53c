import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeComponents } from '../../src/kube/summarize/components.js';
import { summarizeJobUsage, suggestRequest } from '../../src/kube/summarize/job-usage.js';
import { summarizeProwJobs } from '../../src/kube/summarize/prow-jobs.js';
import type { JobRun, MetricsHistory } from '../../src/kube/metrics-history.js';
import type { DeploymentView, EventView, ProwJobView } from '../../src/kube/types.js';
import { modelWith, pod } from './views.js';

const MI = 2 ** 20;
const GI = 2 ** 30;
const now = Date.parse('2026-01-01T12:00:00Z');

const job = (name: string, extra: Partial<ProwJobView>): ProwJobView => ({
  namespace: 'prow', name, uid: name, resourceVersion: '1', job: 'pull-unit', type: 'presubmit', state: 'pending', pulls: [], podName: name, requests: [], ...extra,
});

test('the Prow jobs table: newest first, duration to completion or now, node through the pod, counts by state', () => {
  const model = modelWith({
    prowJobs: [
      job('a', { state: 'pending', started: '2026-01-01T11:00:00Z', org: 'o', repo: 'r', pulls: [{ number: 42, author: 'alice' }, { number: 43 }], url: 'https://prow/a' }),
      job('b', { state: 'success', type: 'periodic', job: 'periodic-stale', started: '2026-01-01T10:00:00Z', completed: '2026-01-01T10:30:00Z' }),
      job('c', { state: 'triggered' }),
      job('d', { state: 'failure', started: '2026-01-01T09:00:00Z', completed: '2026-01-01T09:00:40Z' }),
    ],
    pods: [pod('test-pods', 'a', { nodeName: 'prow-md-0-aaaaa', job: { job: 'pull-unit', prowJobId: 'a' } })],
  });
  const summary = summarizeProwJobs(model, now);
  assert.deepEqual(summary.counts, { scheduling: 0, triggered: 1, pending: 1, success: 1, failure: 1, aborted: 0, error: 0 });
  assert.equal(summary.total, 4);
  assert.deepEqual(summary.rows.map((r) => r.id), ['a', 'b', 'd', 'c']);
  assert.deepEqual(summary.rows[0], {
    id: 'a', namespace: 'prow', job: 'pull-unit', type: 'presubmit', state: 'pending', repo: 'o/r', pr: 42, author: 'alice',
    started: '2026-01-01T11:00:00Z', startedMs: Date.parse('2026-01-01T11:00:00Z'), durationMs: 3_600_000, duration: '60m', node: 'prow-md-0-aaaaa', url: 'https://prow/a',
  });
  assert.deepEqual([summary.rows[1]!.durationMs, summary.rows[1]!.duration], [1_800_000, '30m']);
  assert.deepEqual([summary.rows[2]!.duration, summary.rows[3]!.duration], ['40s', undefined]);
});

const run = (pod: string, cpuMilli: number, memoryBytes: number, lastSeen: number, last = { cpuMilli, memoryBytes }): JobRun => ({
  pod, firstSeen: lastSeen - 60_000, lastSeen, samples: 4, peak: { cpuMilli, memoryBytes }, last,
});

test('suggested requests: p95 plus 20% headroom, rounded up to 10m and 1Mi, without float noise', () => {
  assert.deepEqual(suggestRequest({ cpuMilli: 100, memoryBytes: 1000 * MI }), { cpuMilli: 120, memoryBytes: 1200 * MI });
  assert.deepEqual(suggestRequest({ cpuMilli: 1901, memoryBytes: 1 }), { cpuMilli: 2290, memoryBytes: MI }); // 2281.2 → 2290
  assert.deepEqual(suggestRequest({ cpuMilli: 0, memoryBytes: 0 }), { cpuMilli: 0, memoryBytes: 0 });
  assert.deepEqual(suggestRequest({ cpuMilli: 250, memoryBytes: 0 }, 0), { cpuMilli: 250, memoryBytes: 0 });
});

test('per-job usage by full job name: runs, running now, current, max and p95 of per-run peaks, requests and flags', () => {
  const pollAt = now;
  const long = 'pull-cluster-api-provider-openstack-e2e-full-test-with-a-very-long-name-v1beta1';
  // 20 runs of the long job peaking at 100m, 200m … 2000m and 1000Mi each; two of them are in the last poll.
  const runs = Array.from({ length: 20 }, (_, i) => run(`test-pods/r${i}`, (i + 1) * 100, 1000 * MI, i >= 18 ? pollAt : pollAt - 600_000));
  const history: MetricsHistory = {
    nodes: new Map(), pods: new Map(), polls: 3, lastPollAt: pollAt,
    jobs: new Map([
      [long, runs],
      ['golangci-lint', [run('test-pods/g1', 474, 603 * MI, pollAt - 60_000)]],
      ['gosec', [run('test-pods/s1', 881, 1803 * MI, pollAt, { cpuMilli: 767, memoryBytes: 1203 * MI })]],
    ]),
  };
  const model = modelWith({
    prowJobs: [
      job('old', { job: long, created: '2026-01-01T10:00:00Z', requests: [{ name: 'test', cpuMilli: 500 }] }),
      job('new', { job: long, created: '2026-01-01T11:00:00Z', requests: [{ name: 'test', cpuMilli: 2000, memoryBytes: 4 * GI }, { name: 'sidecar', cpuMilli: 100 }] }),
      job('gs', { job: 'gosec', requests: [{ name: 'test', cpuMilli: 500, memoryBytes: 2 * GI }] }),
    ],
    pods: [
      pod('test-pods', 'r18', { job: { job: long, prowJobId: 'x' } }),
      pod('test-pods', 'r19', { job: { job: long, prowJobId: 'y' } }),
      pod('test-pods', 'done', { phase: 'Succeeded', job: { job: long, prowJobId: 'z' } }),
      pod('test-pods', 'idle', { job: { job: 'markdownlint', prowJobId: 'm' } }),
    ],
  });
  const rows = summarizeJobUsage(model, history);
  assert.deepEqual(rows.map((r) => r.job), [long, 'gosec', 'golangci-lint', 'markdownlint']);
  const [e2e, gosec, lint, md] = rows;
  assert.deepEqual(e2e, {
    job: long, runsSeen: 20, runningNow: 2,
    current: { cpuMilli: 1900 + 2000, memoryBytes: 2000 * MI },
    max: { cpuMilli: 2000, memoryBytes: 1000 * MI },
    p95: { cpuMilli: 1900, memoryBytes: 1000 * MI }, // nearest rank: the 19th of 20
    requests: { cpuMilli: 2100, memoryBytes: 4 * GI }, // the newest ProwJob, containers summed
    suggested: { cpuMilli: 2280, memoryBytes: 1200 * MI },
    flags: [],
  });
  assert.deepEqual(gosec!.current, { cpuMilli: 767, memoryBytes: 1203 * MI });
  assert.deepEqual(gosec!.flags, ['over-requests']); // peak 881m > 500m requested
  assert.deepEqual([lint!.current, lint!.requests, lint!.flags], [{ cpuMilli: 0, memoryBytes: 0 }, {}, ['no-requests']]);
  assert.deepEqual([md!.runsSeen, md!.runningNow, md!.max, md!.suggested, md!.flags], [0, 1, undefined, undefined, ['no-requests']]);
});

test('Prow components: ready/desired, restarts, waiting reasons and recent Warning events about their pods', () => {
  const dep = (name: string, desired: number, ready: number): DeploymentView => ({
    namespace: 'prow', name, uid: name, resourceVersion: '1', desired, ready, updated: desired, available: ready, selector: { app: name },
  });
  const event = (name: string, kind: string, involved: string, reason: string, lastSeen: string, type = 'Warning'): EventView => ({
    namespace: 'prow', name, uid: name, resourceVersion: '1', type, reason, message: `${reason} on ${involved}`, count: 3, lastSeen, involved: { kind, namespace: 'prow', name: involved },
  });
  const model = modelWith({
    deployments: [dep('hook', 2, 2), dep('needs-rebase', 1, 0), dep('tide', 1, 0), dep('hook-extra', 1, 1)],
    pods: [
      pod('prow', 'hook-5d9f8-aaaaa', { labels: { app: 'hook' } }),
      pod('prow', 'hook-5d9f8-bbbbb', { labels: { app: 'hook' }, restarts: 1 }),
      pod('prow', 'needs-rebase-7c4b6-ccccc', { labels: { app: 'needs-rebase' }, phase: 'Pending', status: 'ContainerCreating', waitingReasons: ['ContainerCreating'] }),
      pod('prow', 'tide-66f5d-ddddd', { labels: { app: 'tide' }, status: 'CrashLoopBackOff', waitingReasons: ['CrashLoopBackOff'], restarts: 5 }),
      pod('prow', 'tide-66f5d-eeeee', { labels: { app: 'tide' }, phase: 'Pending', status: 'Pending' }),
      pod('test-pods', 'tide-like', { labels: { app: 'tide' } }), // another namespace: not tide's
      pod('prow', 'hook-extra-1a2b3-fffff', { labels: { app: 'hook-extra' } }),
    ],
    events: [
      event('e1', 'Pod', 'needs-rebase-7c4b6-ccccc', 'FailedMount', '2026-01-01T11:59:00Z'),
      event('e2', 'Pod', 'needs-rebase-7c4b6-zzzzz', 'FailedMount', '2026-01-01T11:30:00Z'), // a pod already replaced
      event('e3', 'Pod', 'needs-rebase-7c4b6-ccccc', 'FailedMount', '2026-01-01T10:30:00Z'), // older than an hour
      event('e4', 'Pod', 'tide-66f5d-ddddd', 'BackOff', '2026-01-01T11:58:00Z'),
      event('e5', 'Pod', 'hook-extra-1a2b3-fffff', 'Unhealthy', '2026-01-01T11:58:00Z'), // hook-extra's, not hook's
      event('e6', 'ReplicaSet', 'hook-5d9f8', 'FailedCreate', '2026-01-01T11:57:00Z'),
    ],
  });
  const rows = new Map(summarizeComponents(model, now, 'prow').map((r) => [r.name, r]));
  const hook = rows.get('hook')!;
  assert.deepEqual([hook.healthy, hook.restarts, hook.waiting, hook.pods.length], [true, 1, [], 2]);
  assert.deepEqual(hook.events.map((e) => [e.reason, e.object, e.age]), [['FailedCreate', 'replicaset/hook-5d9f8', '3m']]);
  const nr = rows.get('needs-rebase')!;
  assert.deepEqual([nr.healthy, nr.ready, nr.desired, nr.waiting], [false, 0, 1, [{ reason: 'ContainerCreating', pods: 1 }]]);
  assert.deepEqual(nr.events.map((e) => [e.reason, e.object, e.count]), [['FailedMount', 'pod/needs-rebase-7c4b6-ccccc', 3], ['FailedMount', 'pod/needs-rebase-7c4b6-zzzzz', 3]]);
  const tide = rows.get('tide')!;
  assert.deepEqual([tide.restarts, tide.waiting], [5, [{ reason: 'CrashLoopBackOff', pods: 1 }, { reason: 'Pending', pods: 1 }]]);
  assert.deepEqual(tide.events.map((e) => e.reason), ['BackOff']);
  assert.deepEqual(rows.get('hook-extra')!.events.map((e) => e.reason), ['Unhealthy']);
});

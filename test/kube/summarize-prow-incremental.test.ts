// With a cache, the Prow jobs table is worked out from what changed since the last call: a clock tick rebuilds only
// the running jobs' rows, a watch batch only the rows of the jobs (and pods) it touched. The result must be exactly
// what a call without a cache gives, and rows that show the same must keep their object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvents, type SourceEvent } from '../../src/kube/model.js';
import { prowJobsCache, summarizeProwJobs, type ProwJobRow, type ProwJobsSummary } from '../../src/kube/summarize/prow-jobs.js';
import type { ClusterModel, PodView, ProwJobView } from '../../src/kube/types.js';
import { modelWith, pod } from './views.js';

const t0 = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const job = (name: string, extra: Partial<ProwJobView> = {}): ProwJobView => ({
  namespace: 'prow', name, uid: name, resourceVersion: '1', job: 'pull-unit', type: 'presubmit', state: 'pending', pulls: [], podName: name, requests: [], ...extra,
});
const running = (name: string, startedAt: number, extra: Partial<ProwJobView> = {}) => job(name, { state: 'pending', started: iso(startedAt), ...extra });
const finished = (name: string, startedAt: number, tookMs: number, extra: Partial<ProwJobView> = {}) =>
  job(name, { state: 'success', started: iso(startedAt), completed: iso(startedAt + tookMs), ...extra });
const jobPod = (name: string, extra: Partial<PodView> = {}) => pod('test-pods', name, { job: { job: 'pull-unit', prowJobId: name }, ...extra });

const upsertJob = (item: ProwJobView): SourceEvent => ({ kind: 'prowJobs', event: { type: 'upsert', item } });
const deleteJob = (item: ProwJobView): SourceEvent => ({ kind: 'prowJobs', event: { type: 'delete', item } });
const upsertPod = (item: PodView): SourceEvent => ({ kind: 'pods', event: { type: 'upsert', item } });
const byId = (summary: ProwJobsSummary) => new Map(summary.rows.map((r) => [r.id, r]));

test('a clock tick moves the running rows only: finished rows keep their object, running ones show the new duration', () => {
  const model = modelWith({
    prowJobs: [running('r1', t0 - 60_000), finished('f1', t0 - 600_000, 40_000), running('r2', t0 - 5_000), finished('f2', t0 - 900_000, 90_000), job('q1', { state: 'triggered' })],
    pods: [jobPod('r1', { nodeName: 'n1' })],
  });
  const cache = prowJobsCache();
  const first = summarizeProwJobs(model, t0, cache);
  assert.deepEqual(first.rows.map((r) => `${r.id} ${r.duration ?? '-'}`), ['r2 5s', 'r1 60s', 'f1 40s', 'f2 90s', 'q1 -']);
  assert.equal(summarizeProwJobs(model, t0, cache), first, 'same maps, same second: the same summary');

  const later = summarizeProwJobs(model, t0 + 3_000, cache);
  assert.notEqual(later, first);
  assert.deepEqual(later, summarizeProwJobs(model, t0 + 3_000), 'what a call without a cache gives');
  const [before, after] = [byId(first), byId(later)];
  for (const id of ['f1', 'f2', 'q1']) assert.equal(after.get(id), before.get(id), `${id} keeps its row`);
  assert.deepEqual([after.get('r1')!.durationMs, after.get('r1')!.duration, after.get('r1')!.node], [63_000, '63s', 'n1']);
  assert.deepEqual([after.get('r2')!.durationMs, after.get('r2')!.duration], [8_000, '8s']);
  assert.deepEqual(before.get('r2')!.duration, '5s', 'the earlier summary is not changed');
  assert.deepEqual(later.counts, first.counts);
});

test('a batch rebuilds the rows it touched; deleted jobs go; a job that finishes stops following the clock', () => {
  let model = modelWith({
    prowJobs: [running('r1', t0 - 60_000), running('r2', t0 - 30_000), finished('f1', t0 - 600_000, 40_000), finished('f2', t0 - 900_000, 90_000)],
    pods: [jobPod('r1', { nodeName: 'n1' }), jobPod('r2')],
  });
  const cache = prowJobsCache();
  const first = summarizeProwJobs(model, t0, cache);
  assert.deepEqual(first.counts, { scheduling: 0, triggered: 0, pending: 2, success: 2, failure: 0, aborted: 0, error: 0 });

  // f1 fails (rerun of the status), f2 goes, r1 finishes, r2's pod is scheduled, n1 is new: same second.
  model = applyEvents(model, [
    upsertJob(finished('f1', t0 - 600_000, 40_000, { state: 'failure' })),
    deleteJob(finished('f2', t0 - 900_000, 90_000)),
    upsertJob(finished('r1', t0 - 60_000, 50_000)),
    upsertPod(jobPod('r2', { nodeName: 'n2' })),
    upsertJob(running('n1', t0 - 1_000)),
  ]);
  const second = summarizeProwJobs(model, t0, cache);
  assert.deepEqual(second, summarizeProwJobs(model, t0), 'what a call without a cache gives');
  assert.deepEqual(second.rows.map((r) => `${r.id} ${r.state} ${r.duration} ${r.node ?? '-'}`), [
    'n1 pending 1s -', 'r2 pending 30s n2', 'r1 success 50s n1', 'f1 failure 40s -',
  ]);
  assert.deepEqual(second.counts, { scheduling: 0, triggered: 0, pending: 2, success: 1, failure: 1, aborted: 0, error: 0 });
  assert.equal(second.total, 4);
  const before = byId(first);
  for (const id of ['f1', 'r1', 'r2']) assert.notEqual(byId(second).get(id), before.get(id), `${id} is rebuilt`);

  // A status change the table does not show keeps the row; the next tick moves r2 and n1, not the finished r1.
  model = applyEvents(model, [upsertJob(running('r2', t0 - 30_000, { description: 'still going', resourceVersion: '2' }))]);
  const third = summarizeProwJobs(model, t0, cache);
  assert.equal(third, second, 'nothing on the table changed');
  const tick = summarizeProwJobs(model, t0 + 2_000, cache);
  assert.deepEqual(tick, summarizeProwJobs(model, t0 + 2_000));
  const [was, now] = [byId(second), byId(tick)];
  assert.equal(now.get('r1'), was.get('r1'), 'r1 finished: its duration no longer follows the clock');
  assert.equal(now.get('f1'), was.get('f1'));
  assert.deepEqual([now.get('r2')!.duration, now.get('n1')!.duration], ['32s', '3s']);
});

test('a job whose start changes moves to its place; a job can be found through its pod name', () => {
  let model = modelWith({
    prowJobs: [finished('a', t0 - 3_000_000, 1_000), finished('b', t0 - 2_000_000, 1_000), finished('c', t0 - 1_000_000, 1_000), job('d', { state: 'triggered', podName: 'd-pod' })],
    pods: [jobPod('d-pod', { nodeName: 'n9' })],
  });
  const cache = prowJobsCache();
  const first = summarizeProwJobs(model, t0, cache);
  assert.deepEqual(first.rows.map((r) => r.id), ['c', 'b', 'a', 'd']);
  assert.equal(byId(first).get('d')!.node, 'n9');
  model = applyEvents(model, [upsertJob(running('a', t0 - 10_000)), upsertJob(running('d', t0 - 500_000, { podName: 'd-pod' })), upsertPod(jobPod('d-pod', { nodeName: 'n8' }))]);
  const second = summarizeProwJobs(model, t0, cache);
  assert.deepEqual(second, summarizeProwJobs(model, t0));
  assert.deepEqual(second.rows.map((r) => `${r.id} ${r.node ?? '-'}`), ['a -', 'd n8', 'c -', 'b -']);
  assert.equal(byId(second).get('b'), byId(first).get('b'));
});

test('two pods of one job: the table follows the last one, as without a cache', () => {
  let model = modelWith({ prowJobs: [running('x', t0 - 10_000)], pods: [pod('ns1', 'x', { job: { job: 'j', prowJobId: 'x' }, nodeName: 'n1' })] });
  const cache = prowJobsCache();
  summarizeProwJobs(model, t0, cache);
  model = applyEvents(model, [upsertPod(pod('ns2', 'x', { job: { job: 'j', prowJobId: 'x' }, nodeName: 'n2' }))]);
  assert.equal(summarizeProwJobs(model, t0, cache).rows[0]!.node, 'n2');
  model = applyEvents(model, [upsertPod(pod('ns1', 'x', { job: { job: 'j', prowJobId: 'x' }, nodeName: 'n3' }))]);
  assert.deepEqual(summarizeProwJobs(model, t0, cache), summarizeProwJobs(model, t0));
  assert.equal(summarizeProwJobs(model, t0, cache).rows[0]!.node, 'n2');
  model = applyEvents(model, [{ kind: 'pods', event: { type: 'delete', item: pod('ns2', 'x') } }]);
  assert.equal(summarizeProwJobs(model, t0, cache).rows[0]!.node, 'n3');
});

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random batches, relists and ticks: always what a call without a cache gives, and equal rows keep their object', () => {
  for (const seed of [1, 2, 3]) {
    const rnd = random(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const names = Array.from({ length: 40 }, (_, i) => `j${i}`);
    const states = ['triggered', 'pending', 'success', 'failure', 'aborted', 'error', 'odd-state'];
    const randomJob = (name: string): ProwJobView => {
      const state = pick(states);
      const start = t0 - Math.floor(rnd() * 20) * 10_000;
      const extra: Partial<ProwJobView> = { state, podName: rnd() < 0.1 ? `${name}-pod` : name, namespace: rnd() < 0.1 ? 'prow2' : 'prow' };
      if (rnd() < 0.3) extra.url = `https://prow/${name}/${Math.floor(rnd() * 3)}`;
      if (state !== 'triggered') extra.started = iso(start);
      if (state !== 'triggered' && state !== 'pending') extra.completed = iso(start + Math.floor(rnd() * 5) * 1_000);
      return job(name, extra);
    };
    const randomPod = (): PodView => {
      const name = pick(names);
      const id = rnd() < 0.1 ? `${name}-pod` : name;
      return pod(pick(['test-pods', 'other']), rnd() < 0.8 ? name : `${name}-b`, { job: { job: 'j', prowJobId: id }, ...(rnd() < 0.7 ? { nodeName: `n${Math.floor(rnd() * 3)}` } : {}) });
    };
    let model: Pick<ClusterModel, 'prowJobs' | 'pods'> = modelWith({ prowJobs: names.slice(0, 20).map(randomJob), pods: [] });
    const cache = prowJobsCache();
    let now = t0;
    let last = summarizeProwJobs(model, now, cache);
    for (let step = 0; step < 300; step++) {
      const events: SourceEvent[] = [];
      const r = rnd();
      if (r < 0.25) now += pick([0, 1_000, 3_000]);
      else if (r < 0.3) {
        const jobs = [...model.prowJobs.values()].filter(() => rnd() < 0.8).map((j) => (rnd() < 0.2 ? randomJob(j.name) : j));
        events.push({ kind: 'prowJobs', event: { type: 'replace', items: jobs.reverse() } });
      } else {
        for (let n = Math.floor(rnd() * 6); n >= 0; n--) {
          const what = rnd();
          if (what < 0.45) events.push(upsertJob(randomJob(pick(names))));
          else if (what < 0.6) events.push(deleteJob(job(pick(names), { namespace: rnd() < 0.1 ? 'prow2' : 'prow' })));
          else if (what < 0.9) events.push(upsertPod(randomPod()));
          else events.push({ kind: 'pods', event: { type: 'delete', item: randomPod() } });
        }
      }
      model = applyEvents(model as ClusterModel, events);
      const got = summarizeProwJobs(model, now, cache);
      const want = summarizeProwJobs(model, now);
      assert.deepEqual(got, want, `seed ${seed}, step ${step}`);
      const previous = new Map(last.rows.map((row) => [`${row.namespace}/${row.id}`, row]));
      const sameAsBefore = (row: ProwJobRow) => {
        const old = previous.get(`${row.namespace}/${row.id}`);
        return old !== undefined && JSON.stringify(old) === JSON.stringify(row);
      };
      for (const row of got.rows) if (sameAsBefore(row)) assert.equal(row, previous.get(`${row.namespace}/${row.id}`), `seed ${seed}, step ${step}: ${row.id} keeps its row`);
      if (got.rows.length === last.rows.length && got.rows.every((row, i) => row === last.rows[i])) assert.equal(got, last, 'no row changed: the same summary');
      last = got;
    }
  }
});

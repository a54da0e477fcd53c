// The Prow jobs table keeps unchanged rows (and the whole summary when nothing changed), re-sorts only when jobs
// come, go or change their start, and stays right when two models take turns through one cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prowJobsCache, summarizeProwJobs } from '../../src/kube/summarize/prow-jobs.js';
import type { ClusterModel, ProwJobView } from '../../src/kube/types.js';

const job = (name: string, state: string, started: string): ProwJobView =>
  ({ name, namespace: 'prow', job: 'unit', type: 'presubmit', state, started, ...(state === 'pending' ? {} : { completed: started }), pulls: [], podName: name, requests: [] }) as unknown as ProwJobView;
const model = (jobs: ProwJobView[]) => ({ prowJobs: new Map(jobs.map((j) => [`prow/${j.name}`, j])), pods: new Map() }) as unknown as Pick<ClusterModel, 'prowJobs' | 'pods'>;

test('unchanged rows and summaries keep their identity; changes and new jobs show', () => {
  const cache = prowJobsCache();
  const a = model([job('a', 'success', '2024-01-01T00:00:01Z'), job('b', 'failure', '2024-01-01T00:00:02Z')]);
  const first = summarizeProwJobs(a, 1000, cache);
  assert.deepEqual(first.rows.map((r) => r.id), ['b', 'a']);
  assert.equal(summarizeProwJobs(a, 2000, cache), first);
  const b = model([job('a', 'failure', '2024-01-01T00:00:01Z'), job('b', 'failure', '2024-01-01T00:00:02Z')]);
  const second = summarizeProwJobs(b, 2000, cache);
  assert.deepEqual(second.rows.map((r) => r.state), ['failure', 'failure']);
  assert.equal(second.rows[0], first.rows[0]);
  assert.equal(second.counts.failure, 2);
  assert.deepEqual(summarizeProwJobs(a, 2000, cache).rows.map((r) => r.state), ['failure', 'success'], 'model a again');
  const c = model([job('b', 'failure', '2024-01-01T00:00:02Z'), job('c', 'pending', '2024-01-01T00:00:03Z')]);
  const third = summarizeProwJobs(c, Date.parse('2024-01-01T00:00:05Z'), cache);
  assert.deepEqual(third.rows.map((r) => `${r.id} ${r.duration}`), ['c 2s', 'b 0s']);
  assert.equal(third.total, 2);
  const later = summarizeProwJobs(c, Date.parse('2024-01-01T00:00:09Z'), cache);
  assert.equal(later.rows[0]!.duration, '6s', 'a running job follows the clock');
  assert.equal(later.rows[1], third.rows[1]);
});

// Prow in the simulated cluster: hook/horologium create ProwJobs of every type; plank takes them triggered → pending
// → success/failure with Prow's fields and a decorated test pod, aborts like Deck, errors on an unexpected pod
// deletion or a scheduling timeout; sinker garbage-collects; a broken component shows FailedMount (fixed by creating
// the secret) or CrashLoopBackOff (fixed by correcting its Deployment).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimClock } from '../../../src/sim/clock.js';
import { jobProfiles } from '../../../src/sim/content/jobs.js';
import { prowJobObject } from '../../../src/sim/content/prowjobs.js';
import { ProwTrigger } from '../../../src/sim/controllers/prow-trigger.js';
import { Informers } from '../../../src/sim/controllers/runtime.js';
import type { ControllerEnv } from '../../../src/sim/controllers/env.js';
import type { KubeObject } from '../../../src/sim/objects.js';
import { seededRandom } from '../../../src/sim/random.js';
import { at, startCluster, until, type TestCluster } from './harness.js';

const prow = 'prow';
const pods = 'test-pods';
const random = seededRandom(99);

/** A ProwJob for a job of the catalog (or a custom profile), as hook would create it. */
function job(c: TestCluster, name: string, profile = jobProfiles[name]!): KubeObject {
  return prowJobObject({
    job: { name, type: 'presubmit', profile },
    refs: { org: 'prowlab', repo: 'node-operator', baseRef: 'main', baseSha: 'a'.repeat(40), pulls: [{ number: 4242, author: 'alice-k', sha: 'b'.repeat(40), title: 'Test PR' }] },
    namespace: prow, podNamespace: pods, nowMs: Date.now(), random,
  });
}

const state = async (c: TestCluster, name: string) => at(await c.client.get(c.kinds.prowJobs, name, prow), 'status.state');

describe('Prow lifecycle and garbage collection', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ scenario: 'capi-v1beta2', timeScale: 20, overrides: { jobsPerMinute: 0, brokenComponent: { name: 'needs-rebase', mode: 'FailedMount' } } });
  });
  after(async () => c?.stop());

  it('creates presubmits per push, postsubmits per merge and periodics; plank runs each to an end with Prow\'s fields', async () => {
    const env = { client: c.client, kinds: c.kinds, scenario: c.scenario, clock: new SimClock(20), random: seededRandom(5), informers: new Informers(c.client, () => undefined), log: () => undefined } as unknown as ControllerEnv;
    env.informers.of(c.kinds.prowJobs);
    await env.informers.startAll();
    const trigger = new ProwTrigger(env);
    const before = new Set((await c.client.list(c.kinds.prowJobs, { namespace: prow })).items.map((j) => j.metadata.name!));
    const transitions = new Map<string, string[]>();
    const watch = c.client.watch(c.kinds.prowJobs, { namespace: prow }, (e) => {
      const list = transitions.get(e.object.metadata.name!) ?? [];
      const s = String(at(e.object, 'status.state'));
      if (list.at(-1) !== s) list.push(s);
      transitions.set(e.object.metadata.name!, list);
    });
    // GitHub events are random (seeded): push until a merge has produced postsubmits too.
    const typesNow = async () => new Set((await c.client.list(c.kinds.prowJobs, { namespace: prow })).items.filter((j) => !before.has(j.metadata.name!)).map((j) => at(j, 'spec.type')));
    for (let i = 0; i < 40 && !(await typesNow()).has('postsubmit'); i++) await trigger.githubEvent();
    await trigger.periodicPass();
    await env.informers.stopAll();
    const fresh = (await c.client.list(c.kinds.prowJobs, { namespace: prow })).items.filter((j) => !before.has(j.metadata.name!));
    const types = new Set(fresh.map((j) => at(j, 'spec.type')));
    for (const t of ['presubmit', 'postsubmit', 'periodic']) assert.ok(types.has(t), `a ${t} arrived (saw ${[...types].join(', ')})`);
    for (const pj of fresh) {
      const type = at(pj, 'spec.type');
      assert.equal(pj.metadata.labels?.['prow.k8s.io/type'], type);
      assert.equal(pj.metadata.annotations?.['prow.k8s.io/job'], at(pj, 'spec.job'));
      if (type === 'presubmit') assert.match(String(pj.metadata.labels?.['prow.k8s.io/refs.pull']), /^\d+$/);
      if (type === 'periodic') assert.ok(Array.isArray(at(pj, 'spec.extra_refs')));
      assert.ok(JSON.stringify(pj).length > 3000, 'realistic size with pod_spec and decoration_config');
    }
    const done = await until('a presubmit to succeed or fail', async () => (await c.client.list(c.kinds.prowJobs, { namespace: prow })).items.find((j) => !before.has(j.metadata.name!) && at(j, 'spec.type') === 'presubmit' && ['success', 'failure'].includes(String(at(j, 'status.state')))), 20_000);
    watch.stop();
    const name = done.metadata.name!;
    assert.deepEqual(transitions.get(name)?.slice(-3), ['triggered', 'pending', String(at(done, 'status.state'))]);
    const s = done.status as Record<string, string>;
    assert.equal(s.pod_name, name);
    assert.match(s.build_id!, /^\d{19}$/);
    assert.ok(s.url!.endsWith(`/${s.build_id}`) && s.url!.includes('/pr-logs/pull/prowlab_'));
    assert.equal(s.description, s.state === 'success' ? 'Job succeeded.' : 'Job failed.');
    assert.ok(s.startTime! <= s.pendingTime! && s.pendingTime! <= s.completionTime!);
    const pod = await c.client.get(c.kinds.pods, name, pods);
    assert.equal(at(pod, 'status.phase'), s.state === 'success' ? 'Succeeded' : 'Failed');
    for (const [k, v] of Object.entries({ 'created-by-prow': 'true', 'prow.k8s.io/id': name, 'prow.k8s.io/build-id': s.build_id, 'prow.k8s.io/type': 'presubmit', 'prow.k8s.io/job': at(done, 'spec.job') })) {
      assert.equal(pod.metadata.labels?.[k], v, k);
    }
    assert.equal(pod.metadata.annotations?.['prow.k8s.io/job'], at(done, 'spec.job'));
    const test = (at(pod, 'status.containerStatuses') as { name: string; state: { terminated?: { exitCode: number } } }[]).find((x) => x.name === 'test');
    assert.equal(test?.state.terminated?.exitCode, s.state === 'success' ? 0 : 1);
  });

  it('aborts like Deck: plank deletes the pod and sets completionTime', async () => {
    const pj = await c.client.create(c.kinds.prowJobs, job(c, 'gosec'));
    const name = pj.metadata.name!;
    await until('the job to run', async () => at(await c.client.find(c.kinds.pods, name, pods), 'status.phase') === 'Running');
    await c.client.patch(c.kinds.prowJobs, name, { status: { state: 'aborted', description: 'Aborted by alice-k.' } }, { namespace: prow });
    const aborted = await until('completionTime', async () => {
      const x = await c.client.get(c.kinds.prowJobs, name, prow);
      return at(x, 'status.completionTime') ? x : undefined;
    });
    assert.equal(at(aborted, 'status.state'), 'aborted');
    assert.equal(at(aborted, 'status.description'), 'Aborted by alice-k.');
    await until('the pod to be gone', async () => !(await c.client.find(c.kinds.pods, name, pods)));
  });

  it('errors a job whose running pod is deleted ("Pod got deleted unexpectedly")', async () => {
    const pj = await c.client.create(c.kinds.prowJobs, job(c, 'gosec'));
    const name = pj.metadata.name!;
    await until('the job to run', async () => at(await c.client.find(c.kinds.pods, name, pods), 'status.phase') === 'Running');
    await c.client.delete(c.kinds.pods, name, { namespace: pods });
    await until('state error', async () => (await state(c, name)) === 'error');
    const x = await c.client.get(c.kinds.prowJobs, name, prow);
    assert.equal(at(x, 'status.description'), 'Pod got deleted unexpectedly');
    assert.ok(at(x, 'status.completionTime'));
  });

  it('errors a job whose pod cannot be scheduled within pod_unscheduled_timeout', async () => {
    const cm = await c.client.get(c.kinds.configMaps, 'config', prow);
    const config = String((cm.data as Record<string, string>)['config.yaml']).replace('pod_unscheduled_timeout: 5m', 'pod_unscheduled_timeout: 40s');
    await c.client.patch(c.kinds.configMaps, 'config', { data: { 'config.yaml': config } }, { namespace: prow });
    const huge = { ...jobProfiles.build!, requests: { cpu: '64', memory: '1Gi' } };
    const pj = await c.client.create(c.kinds.prowJobs, job(c, 'build', huge));
    const name = pj.metadata.name!;
    const event = await until('FailedScheduling', async () => (await c.client.list(c.kinds.events, { namespace: pods, fieldSelector: `involvedObject.name=${name}` })).items.find((e) => e.reason === 'FailedScheduling'));
    assert.match(String(event.message), /^0\/3 nodes are available: .*Insufficient cpu/);
    await until('state error', async () => (await state(c, name)) === 'error', 10_000);
    assert.equal(at(await c.client.get(c.kinds.prowJobs, name, prow), 'status.description'), 'Pod scheduling timeout.');
    await until('the pod to be deleted', async () => !(await c.client.find(c.kinds.pods, name, pods)));
  });

  it('shows FailedMount for the missing github-token secret until it is created', async () => {
    const stuck = await until('needs-rebase stuck in ContainerCreating', async () => {
      const [p] = (await c.client.list(c.kinds.pods, { namespace: prow, labelSelector: 'app=needs-rebase' })).items;
      const waiting = (at(p, 'status.containerStatuses') as { state: { waiting?: { reason: string } } }[] | undefined)?.[0]?.state.waiting?.reason;
      return p && at(p, 'status.phase') === 'Pending' && waiting === 'ContainerCreating' ? p : undefined;
    });
    const event = await until('FailedMount retried', async () => {
      const e = (await c.client.list(c.kinds.events, { namespace: prow, fieldSelector: `involvedObject.name=${stuck.metadata.name}` })).items.find((x) => x.reason === 'FailedMount');
      return e && Number(e.count) >= 2 ? e : undefined;
    });
    assert.equal(event.type, 'Warning');
    assert.equal(event.message, 'MountVolume.SetUp failed for volume "github-token" : secret "github-token" not found');
    assert.equal(at(event, 'source.component'), 'kubelet');
    await c.client.create(c.kinds.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github-token', namespace: prow }, type: 'Opaque', data: { token: Buffer.from('ghp_x').toString('base64') } });
    await until('needs-rebase Running and Ready', async () => {
      const p = await c.client.get(c.kinds.pods, stuck.metadata.name!, prow);
      return at(p, 'status.phase') === 'Running' && (at(p, 'status.conditions') as { type: string; status: string }[]).some((x) => x.type === 'Ready' && x.status === 'True');
    });
  });

  it('sinker deletes old completed jobs (keeping the newest periodic), their pods, and keeps running ones', async () => {
    // A long job (integration-test runs 15–30 simulated minutes) without requests, so it starts at once.
    const running = await c.client.create(c.kinds.prowJobs, job(c, 'integration-test', { ...jobProfiles['integration-test']!, requests: undefined }));
    await until('a running job', async () => at(await c.client.find(c.kinds.pods, running.metadata.name!, pods), 'status.phase') === 'Running');
    const all = (await c.client.list(c.kinds.prowJobs, { namespace: prow })).items;
    const periodics = all.filter((j) => at(j, 'spec.type') === 'periodic' && at(j, 'status.completionTime'));
    assert.ok(periodics.length > 0);
    const newest = new Map<string, KubeObject>();
    for (const p of periodics) {
      const k = String(at(p, 'spec.job'));
      if (!newest.has(k) || String(at(p, 'status.startTime')) > String(at(newest.get(k), 'status.startTime'))) newest.set(k, p);
    }
    const cm = await c.client.get(c.kinds.configMaps, 'config', prow);
    const config = String((cm.data as Record<string, string>)['config.yaml'])
      .replace('resync_period: 5m', 'resync_period: 20s').replace('max_prowjob_age: 6h', 'max_prowjob_age: 2m').replace('terminated_pod_ttl: 1h', 'terminated_pod_ttl: 30s');
    await c.client.patch(c.kinds.configMaps, 'config', { data: { 'config.yaml': config } }, { namespace: prow });
    const left = await until('old completed jobs to be deleted', async () => {
      const jobs = (await c.client.list(c.kinds.prowJobs, { namespace: prow })).items;
      const old = jobs.filter((j) => at(j, 'status.completionTime') && c.clock.elapsedSim(String(at(j, 'status.startTime'))) > 200);
      return old.every((j) => [...newest.values()].some((p) => p.metadata.name === j.metadata.name)) ? jobs : undefined;
    }, 15_000);
    for (const p of newest.values()) assert.ok(left.some((j) => j.metadata.name === p.metadata.name), `newest ${String(at(p, 'spec.job'))} kept`);
    assert.ok(left.some((j) => j.metadata.name === running.metadata.name), 'the running job is kept');
    await until('pods of completed jobs to be deleted', async () => {
      const list = (await c.client.list(c.kinds.pods, { namespace: pods })).items;
      const jobs = new Map(left.map((j) => [j.metadata.name!, j]));
      return list.every((p) => {
        const pj = jobs.get(p.metadata.name!);
        return pj && (!at(pj, 'status.completionTime') || c.clock.elapsedSim(String(at(pj, 'status.completionTime'))) < 60);
      });
    }, 15_000);
    assert.ok(await c.client.find(c.kinds.pods, running.metadata.name!, pods), 'the running job keeps its pod');
  });
});

describe('a Prow component in CrashLoopBackOff', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ scenario: 'capi-v1beta1', timeScale: 50, overrides: { jobsPerMinute: 0, brokenComponent: { name: 'horologium', mode: 'CrashLoopBackOff' } } });
  });
  after(async () => c?.stop());

  it('restarts with growing back-off until its config volume is fixed', async () => {
    type Status = { restartCount: number; state: { waiting?: { reason: string; message?: string } }; lastState: { terminated?: { exitCode: number; reason: string } } };
    const first = await until('restartCount ≥ 2 in CrashLoopBackOff', async () => {
      const [p] = (await c.client.list(c.kinds.pods, { namespace: prow, labelSelector: 'app=horologium' })).items;
      const s = (at(p, 'status.containerStatuses') as Status[] | undefined)?.[0];
      return s && s.restartCount >= 2 && s.state.waiting?.reason === 'CrashLoopBackOff' ? { p: p!, s } : undefined;
    }, 15_000);
    assert.equal(first.s.lastState.terminated?.exitCode, 1);
    assert.equal(first.s.lastState.terminated?.reason, 'Error');
    assert.match(String(first.s.state.waiting?.message), /^back-off \d+s restarting failed container=horologium pod=horologium-/);
    assert.equal(at(first.p, 'status.phase'), 'Running');
    const backoff = (await c.client.list(c.kinds.events, { namespace: prow, fieldSelector: `involvedObject.name=${first.p.metadata.name}` })).items.find((e) => e.reason === 'BackOff');
    assert.equal(backoff?.type, 'Warning');
    // The fix an operator would apply: map config.yaml to the path --config-path names.
    await c.client.patch(c.kinds.deployments, 'horologium', [{ op: 'remove', path: '/spec/template/spec/volumes/0/configMap/items' }], { namespace: prow, type: 'json' });
    const healthy = await until('a new horologium pod, Running and Ready', async () => {
      const list = (await c.client.list(c.kinds.pods, { namespace: prow, labelSelector: 'app=horologium' })).items.filter((p) => !p.metadata.deletionTimestamp && p.metadata.name !== first.p.metadata.name);
      const p = list.find((x) => (at(x, 'status.conditions') as { type: string; status: string }[] | undefined)?.some((k) => k.type === 'Ready' && k.status === 'True'));
      return p;
    }, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const later = await c.client.get(c.kinds.pods, healthy.metadata.name!, prow);
    assert.equal((at(later, 'status.containerStatuses') as Status[])[0]!.restartCount, 0, 'no restarts once the config is found');
  });
});

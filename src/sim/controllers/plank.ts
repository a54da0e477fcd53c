// Plank, Prow's ProwJob controller for the kubernetes agent: a triggered job gets its decorated test pod and becomes
// pending (pendingTime, pod_name, build_id, url); the pod's end decides success / failure, a pod deleted while it
// still runs (eviction, drain, taint manager) makes the job error "Pod got deleted unexpectedly", pending/unscheduled
// and running timeouts end it; an aborted job loses its pod; older duplicates of a presubmit are aborted
// (terminateDupes). Status is written on the main resource: ProwJob has no status subresource.
// @see kubernetes-sigs/prow pkg/plank/reconciler.go (syncTriggeredJob, syncPendingJob, syncAbortedJob, terminateDupes)
import { isAlreadyExists, isNotFound } from '../client.js';
import { buildId } from '../content/names.js';
import { testPodObject } from '../content/pods.js';
import { jobUrl } from '../content/prowjobs.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import { deleteIfExists, type ControllerEnv } from './env.js';
import { prowSettings } from './prow-config.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';

type Pj = KubeObject & { spec: { type: string; job: string; agent?: string; namespace?: string; refs?: { org: string; repo: string; pulls?: { number: number }[] } }; status?: Record<string, unknown> };

async function setStatus(env: ControllerEnv, pj: KubeObject, status: Record<string, unknown>): Promise<void> {
  await env.client.patch(env.kinds.prowJobs, pj.metadata.name!, { metadata: { resourceVersion: pj.metadata.resourceVersion }, status }, { namespace: pj.metadata.namespace });
}

/** Ends a job: success, failure and error require completionTime (a CRD rule); aborted gets one too. */
async function complete(env: ControllerEnv, pj: KubeObject, state: string, description: string): Promise<void> {
  await setStatus(env, pj, { state, description, completionTime: timestamp(env.clock.now()) });
  env.log(`plank: ${String(getPath(pj, 'spec.job'))} ${pj.metadata.name} → ${state} (${description})`);
}

/** A presubmit that a newer run of the same job for the same PR supersedes. */
function supersededBy(env: ControllerEnv, pj: Pj): KubeObject | undefined {
  if (pj.spec.type !== 'presubmit') return undefined;
  const pull = pj.spec.refs?.pulls?.[0]?.number;
  const mine = String(getPath(pj, 'status.startTime'));
  return env.informers.of(env.kinds.prowJobs).list(pj.metadata.namespace, (o) => {
    const other = o as Pj;
    return other.metadata.uid !== pj.metadata.uid && other.spec.type === 'presubmit' && other.spec.job === pj.spec.job
      && other.spec.refs?.org === pj.spec.refs?.org && other.spec.refs?.repo === pj.spec.refs?.repo && other.spec.refs?.pulls?.[0]?.number === pull
      && !getPath(other, 'status.completionTime')
      && (String(getPath(other, 'status.startTime')) > mine || (String(getPath(other, 'status.startTime')) === mine && other.metadata.name! > pj.metadata.name!));
  })[0];
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const pj = env.informers.of(env.kinds.prowJobs).get(name, namespace) as Pj | undefined;
  if (!pj || (pj.spec.agent ?? 'kubernetes') !== 'kubernetes') return;
  const state = String(getPath(pj, 'status.state') ?? 'triggered');
  if (getPath(pj, 'status.completionTime')) return;
  const settings = prowSettings(env);
  const podNs = pj.spec.namespace ?? env.scenario.testPodsNamespace;
  const pod = env.informers.of(env.kinds.pods).get(name, podNs);
  const terminal = ['Succeeded', 'Failed'].includes(String(getPath(pod, 'status.phase')));

  if (state === 'aborted') {
    if (pod && !terminal) await deleteIfExists(env, env.kinds.pods, name, podNs);
    await setStatus(env, pj, { completionTime: timestamp(env.clock.now()) });
    return;
  }
  if ((state === 'triggered' || state === 'pending') && supersededBy(env, pj)) {
    if (pod && !terminal) await deleteIfExists(env, env.kinds.pods, name, podNs);
    await complete(env, pj, 'aborted', 'Aborted as the newer version of this job is running.');
    return;
  }
  if (state === 'triggered') {
    let build = buildId(env.clock.now(), env.random);
    try {
      await env.client.create(env.kinds.pods, testPodObject(pj, build, podNs));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await env.client.get(env.kinds.pods, name, podNs);
      build = existing.metadata.labels?.['prow.k8s.io/build-id'] ?? build;
    }
    await setStatus(env, pj, { state: 'pending', pendingTime: timestamp(env.clock.now()), pod_name: name, build_id: build, url: jobUrl(pj, build), description: 'Job triggered.' });
    return;
  }
  if (state !== 'pending') return;
  if (!pod) {
    // The caches may lag: confirm with the API that the pod is really missing and the job still pending.
    if (await env.client.find(env.kinds.pods, name, podNs)) return;
    const live = await env.client.find(env.kinds.prowJobs, name, namespace);
    if (!live || getPath(live, 'status.state') !== 'pending' || getPath(live, 'status.completionTime')) return;
    env.log(`plank: ${name}: Pod is missing, starting a new pod`);
    const build = String(getPath(pj, 'status.build_id') ?? buildId(env.clock.now(), env.random));
    try {
      await env.client.create(env.kinds.pods, testPodObject(pj, build, podNs));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return;
  }
  const phase = String(getPath(pod, 'status.phase') ?? 'Pending');
  if (pod.metadata.deletionTimestamp && !terminal) return complete(env, pj, 'error', 'Pod got deleted unexpectedly');
  if (phase === 'Succeeded') return complete(env, pj, 'success', 'Job succeeded.');
  if (phase === 'Failed') {
    if (getPath(pod, 'status.reason') === 'Evicted') return complete(env, pj, 'error', 'Job pod was evicted by the cluster.');
    return complete(env, pj, 'failure', 'Job failed.');
  }
  if (phase === 'Pending') {
    const scheduled = typeof getPath(pod, 'spec.nodeName') === 'string';
    const limit = scheduled ? settings.podPendingTimeout : settings.podUnscheduledTimeout;
    const left = limit - env.clock.elapsedSim(pod.metadata.creationTimestamp);
    if (left > 0) return { requeueAfter: left };
    await deleteIfExists(env, env.kinds.pods, name, podNs);
    return complete(env, pj, 'error', scheduled ? 'Pod pending timeout.' : 'Pod scheduling timeout.');
  }
  const left = settings.podRunningTimeout - env.clock.elapsedSim(String(getPath(pod, 'status.startTime') ?? pod.metadata.creationTimestamp));
  if (left > 0) return { requeueAfter: left };
  await deleteIfExists(env, env.kinds.pods, name, podNs);
  return complete(env, pj, 'aborted', 'Pod running timeout.');
}

/** Starts plank. */
export function startPlank(env: ControllerEnv): Controller {
  const c = new Controller('plank', async (key) => {
    try {
      return await reconcile(env, key);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }, env, 4);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.prowJobs), (pj) => (getPath(pj, 'status.completionTime') ? undefined : keyOf(pj)), enqueue);
  watchKeys(env.informers.of(env.kinds.pods), (p) => (p.metadata.labels?.['created-by-prow'] === 'true' ? `${env.scenario.prowNamespace}/${p.metadata.labels['prow.k8s.io/id'] ?? p.metadata.name}` : undefined), enqueue);
  return c;
}

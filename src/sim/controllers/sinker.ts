// Sinker, Prow's garbage collector: every resync period it deletes completed ProwJobs older than max_prowjob_age
// (from status.startTime, keeping the newest run of each periodic), pods of completed jobs older than max_pod_age or
// finished longer than terminated_pod_ttl ago, and test pods whose ProwJob is gone.
// @see kubernetes-sigs/prow cmd/sinker/main.go (clean: ProwJobs, then pods) — cluster-apis.md §3.4
import { getPath } from '../objects.js';
import { deleteIfExists, type ControllerEnv } from './env.js';
import { prowSettings } from './prow-config.js';

/** One clean pass; returns how many ProwJobs and pods it deleted. */
export async function sinkerPass(env: ControllerEnv): Promise<{ prowJobs: number; pods: number }> {
  const s = prowSettings(env);
  const ns = env.scenario.prowNamespace;
  const jobs = env.informers.of(env.kinds.prowJobs).list(ns);
  const newestPeriodic = new Map<string, string>();
  for (const pj of jobs) {
    if (getPath(pj, 'spec.type') !== 'periodic') continue;
    const job = String(getPath(pj, 'spec.job'));
    const start = String(getPath(pj, 'status.startTime') ?? '');
    const kept = newestPeriodic.get(job);
    if (!kept || start > String(getPath(jobs.find((j) => j.metadata.name === kept), 'status.startTime') ?? '')) newestPeriodic.set(job, pj.metadata.name!);
  }
  let deletedJobs = 0;
  const remaining = new Map(jobs.map((pj) => [pj.metadata.name!, pj]));
  for (const pj of jobs) {
    if (!getPath(pj, 'status.completionTime')) continue;
    if (env.clock.elapsedSim(String(getPath(pj, 'status.startTime'))) <= s.maxProwJobAge) continue;
    if (newestPeriodic.get(String(getPath(pj, 'spec.job'))) === pj.metadata.name) continue;
    await deleteIfExists(env, env.kinds.prowJobs, pj.metadata.name!, ns);
    remaining.delete(pj.metadata.name!);
    deletedJobs += 1;
  }
  let deletedPods = 0;
  const pods = env.informers.of(env.kinds.pods).list(env.scenario.testPodsNamespace, (p) => p.metadata.labels?.['created-by-prow'] === 'true');
  for (const pod of pods) {
    const pj = remaining.get(pod.metadata.labels?.['prow.k8s.io/id'] ?? pod.metadata.name!);
    let reason: string | undefined;
    if (!pj) reason = 'orphan';
    else if (getPath(pj, 'status.completionTime')) {
      if (env.clock.elapsedSim(String(getPath(pod, 'status.startTime') ?? pod.metadata.creationTimestamp)) > s.maxPodAge) reason = 'max_pod_age';
      else if (env.clock.elapsedSim(String(getPath(pj, 'status.completionTime'))) > s.terminatedPodTtl) reason = 'terminated_pod_ttl';
    }
    if (!reason || pod.metadata.deletionTimestamp) continue;
    await deleteIfExists(env, env.kinds.pods, pod.metadata.name!, pod.metadata.namespace);
    deletedPods += 1;
  }
  if (deletedJobs + deletedPods > 0) env.log(`sinker: deleted ${deletedJobs} prowjobs and ${deletedPods} pods`);
  return { prowJobs: deletedJobs, pods: deletedPods };
}

/**
 * Starts the sinker loop; returns its stop function. It wakes every 30 simulated seconds and cleans once a resync
 * period has passed since the last pass, so a changed `resync_period` takes effect without a restart.
 */
export function startSinker(env: ControllerEnv): () => void {
  let stopped = false;
  let timer: { cancel(): void } | undefined;
  let last = env.clock.now();
  const tick = Math.max(30, env.clock.simSeconds(200));
  const loop = async () => {
    if (stopped) return;
    if (env.clock.elapsedSim(last) >= prowSettings(env).sinkerResync) {
      last = env.clock.now();
      await sinkerPass(env).catch((err) => env.log(`sinker: ${(err as Error).message}`));
    }
    if (!stopped) timer = env.clock.after(tick, () => void loop());
  };
  // The first pass comes shortly after start, as sinker's does.
  timer = env.clock.after(10, () => {
    last = 0;
    void loop();
  });
  return () => {
    stopped = true;
    timer?.cancel();
  };
}

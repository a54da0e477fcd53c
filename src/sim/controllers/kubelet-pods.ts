// The kubelets of the simulated servers, pod side: mount volumes (a missing Secret or ConfigMap keeps the pod in
// ContainerCreating with FailedMount warnings, retried until it appears), start containers, run them according to the
// process model (test containers exit, mis-configured components crash into CrashLoopBackOff with growing restart
// counts), complete restartPolicy=Never pods, and finish graceful deletions. A hung kubelet does none of this, so
// pods on a dead node stay Running, or Terminating forever, in the API.
// @see k8s.io/kubernetes pkg/kubelet/kubelet.go (syncPod, HandlePodRemoves), pkg/kubelet/volumemanager (FailedMount)
import { isNotFound, isStatus } from '../client.js';
import { creatingStatus, runningStatus, type ContainerState } from '../content/pod-status.js';
import { getPath, isObject, timestamp, type KubeObject } from '../objects.js';
import { backOffSeconds, processModel, type ConfigMapLookup } from './container-process.js';
import { writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';
import { timings } from './timings.js';

/** Clock stamp keys of a container instance's start and exit (precise instants behind second-precision times). */
const runKey = (uid: string, container: string, restarts: number) => `${uid}/${container}/run/${restarts}`;
const exitKey = (uid: string, container: string, restarts: number) => `${uid}/${container}/exit/${restarts}`;

/** Secret and ConfigMap volumes of a pod whose object does not exist: [volume, kind, name]. */
function missingVolumes(env: ControllerEnv, pod: KubeObject): [string, 'secret' | 'configmap', string][] {
  const ns = pod.metadata.namespace!;
  const out: [string, 'secret' | 'configmap', string][] = [];
  for (const v of (getPath(pod, 'spec.volumes') as Record<string, unknown>[] | undefined) ?? []) {
    const secret = v.secret as { secretName?: string; optional?: boolean } | undefined;
    if (secret?.secretName && !secret.optional && !env.informers.of(env.kinds.secrets).get(secret.secretName, ns)) out.push([String(v.name), 'secret', secret.secretName]);
    const cm = v.configMap as { name?: string; optional?: boolean } | undefined;
    if (cm?.name && !cm.optional && !env.informers.of(env.kinds.configMaps).get(cm.name, ns)) out.push([String(v.name), 'configmap', cm.name]);
  }
  return out;
}

/** Whether the node's server is gone or its kubelet hung: then nothing happens to its pods. */
function kubeletDown(env: ControllerEnv, nodeName: string): boolean {
  if (env.world.isHung(nodeName)) return true;
  const osm = env.informers.of(env.kinds.openStackMachines).list(undefined, (o) => o.metadata.name === nodeName)[0];
  return osm !== undefined && getPath(osm, 'status.instanceState') !== 'ACTIVE';
}

async function reconcile(env: ControllerEnv, key: string, lookup: ConfigMapLookup): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const pod = env.informers.of(env.kinds.pods).get(name, namespace);
  if (!pod) return;
  const nodeName = getPath(pod, 'spec.nodeName');
  if (typeof nodeName !== 'string') return;
  const node = env.informers.of(env.kinds.nodes).get(nodeName);
  if (!node || kubeletDown(env, nodeName)) return;
  const now = env.clock.now();

  if (pod.metadata.deletionTimestamp) {
    const grace = Number(pod.metadata.deletionGracePeriodSeconds ?? 30);
    const requested = Date.parse(pod.metadata.deletionTimestamp) - grace * 1000;
    const left = Math.min(grace, timings.podTerminationSeconds) - env.clock.elapsedSim(requested);
    if (left > 0) return { requeueAfter: left };
    try {
      await env.client.delete(env.kinds.pods, name, { namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isStatus(err, 409)) throw err;
    }
    return;
  }
  const phase = getPath(pod, 'status.phase');
  if (phase === 'Succeeded' || phase === 'Failed') return;
  const containers = (getPath(pod, 'spec.containers') as Record<string, unknown>[] | undefined) ?? [];

  if (phase !== 'Running') {
    const uid = pod.metadata.uid!;
    const startTime = String(getPath(pod, 'status.startTime') ?? env.clock.stamp(`${uid}/start`));
    const missing = missingVolumes(env, pod);
    if (missing.length) {
      for (const [volume, kind, object] of missing) {
        void env.recorder.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${volume}" : ${kind} "${object}" not found`, 'kubelet', nodeName);
      }
      await writeStatus(env, env.kinds.pods, pod, creatingStatus(pod, node, now, startTime));
      return { requeueAfter: timings.mountRetrySeconds };
    }
    if (!getPath(pod, 'status.startTime')) {
      await writeStatus(env, env.kinds.pods, pod, creatingStatus(pod, node, now, startTime));
      return { requeueAfter: timings.containerStartSeconds };
    }
    const left = timings.containerStartSeconds - env.clock.elapsedSimSince(`${uid}/start`, startTime);
    if (left > 0) return { requeueAfter: left };
    const states: ContainerState[] = containers.map((c) => ({
      name: String(c.name),
      restartCount: 0,
      state: { running: { startedAt: env.clock.stamp(runKey(uid, String(c.name), 0)) } },
      ready: processModel(pod, c, lookup).kind !== 'crashes',
    }));
    await writeStatus(env, env.kinds.pods, pod, runningStatus(pod, node, now, states));
    return { requeueAfter: nextTransition(env, pod, containers, states, lookup) };
  }

  // Running: advance each container along its process model.
  const previous = (getPath(pod, 'status.containerStatuses') as (ContainerState & { state: Record<string, Record<string, unknown>> })[] | undefined) ?? [];
  const states: ContainerState[] = [];
  let changed = false;
  for (const c of containers) {
    const prev = previous.find((s) => s.name === c.name);
    if (!prev) continue;
    const model = processModel(pod, c, lookup);
    const s: ContainerState = { name: prev.name, restartCount: prev.restartCount, state: prev.state, lastState: prev.lastState, ready: prev.ready };
    const running = isObject(prev.state.running) ? prev.state.running : undefined;
    const waiting = isObject(prev.state.waiting) ? prev.state.waiting : undefined;
    const uid = pod.metadata.uid!;
    if (running && model.kind !== 'runs' && env.clock.elapsedSimSince(runKey(uid, prev.name, prev.restartCount), String(running.startedAt)) >= model.afterSeconds) {
      const finishedAt = env.clock.stamp(exitKey(uid, prev.name, prev.restartCount + (model.kind === 'crashes' ? 1 : 0)));
      const terminated = { exitCode: model.exitCode, reason: model.exitCode === 0 ? 'Completed' : 'Error', startedAt: running.startedAt, finishedAt, containerID: (prev as { containerID?: string }).containerID };
      if (model.kind === 'exits') {
        Object.assign(s, { state: { terminated }, ready: false });
      } else {
        const restarts = prev.restartCount + 1;
        const backoff = backOffSeconds(restarts);
        Object.assign(s, { restartCount: restarts, lastState: { terminated }, ready: false, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff}s restarting failed container=${prev.name} pod=${name}_${namespace}(${pod.metadata.uid})` } } });
        void env.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${prev.name} in pod ${name}_${namespace}(${pod.metadata.uid})`, 'kubelet', nodeName);
      }
      changed = true;
    } else if (waiting?.reason === 'CrashLoopBackOff') {
      const finished = String(getPath(prev.lastState, 'terminated.finishedAt') ?? '');
      if (env.clock.elapsedSimSince(exitKey(uid, prev.name, prev.restartCount), finished) >= backOffSeconds(prev.restartCount)) {
        Object.assign(s, { state: { running: { startedAt: env.clock.stamp(runKey(uid, prev.name, prev.restartCount)) } }, ready: false });
        changed = true;
      }
    }
    states.push(s);
  }
  // restartPolicy Never (Prow test pods): the pod ends when the test container exits; the sidecar then uploads and exits.
  const test = states.find((s) => s.name === 'test');
  let newPhase = 'Running';
  if (getPath(pod, 'spec.restartPolicy') === 'Never' && test && 'terminated' in test.state) {
    const exitCode = Number(getPath(test.state, 'terminated.exitCode') ?? 0);
    for (const s of states) {
      if ('terminated' in s.state) continue;
      const startedAt = getPath(s.state, 'running.startedAt') ?? timestamp(now);
      Object.assign(s, { state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: timestamp(now) } }, ready: false });
    }
    newPhase = exitCode === 0 ? 'Succeeded' : 'Failed';
    changed = true;
  }
  if (changed) await writeStatus(env, env.kinds.pods, pod, runningStatus(pod, node, now, states, newPhase));
  if (newPhase !== 'Running') return;
  return { requeueAfter: nextTransition(env, pod, containers, states, lookup) };
}

/** Simulated seconds until the next container transition (exit, crash, end of back-off); undefined when none. */
function nextTransition(env: ControllerEnv, pod: KubeObject, containers: Record<string, unknown>[], states: ContainerState[], lookup: ConfigMapLookup): number | undefined {
  let next = Infinity;
  for (const c of containers) {
    const s = states.find((x) => x.name === c.name);
    if (!s) continue;
    const model = processModel(pod, c, lookup);
    const running = getPath(s.state, 'running.startedAt');
    const uid = pod.metadata.uid!;
    if (typeof running === 'string' && model.kind !== 'runs') next = Math.min(next, model.afterSeconds - env.clock.elapsedSimSince(runKey(uid, s.name, s.restartCount), running));
    if (getPath(s.state, 'waiting.reason') === 'CrashLoopBackOff') {
      next = Math.min(next, backOffSeconds(s.restartCount) - env.clock.elapsedSimSince(exitKey(uid, s.name, s.restartCount), String(getPath(s.lastState, 'terminated.finishedAt') ?? '')));
    }
  }
  return Number.isFinite(next) ? Math.max(0.5, next) : undefined;
}

/** Starts the pod side of the kubelets. */
export function startKubeletPods(env: ControllerEnv): Controller {
  const configMaps = env.informers.of(env.kinds.configMaps);
  const lookup: ConfigMapLookup = (ns, name) => configMaps.get(name, ns);
  const c = new Controller('kubelet-pods', (key) => reconcile(env, key, lookup), env, 8);
  const enqueue = (k: string) => c.enqueue(k);
  const pods = env.informers.of(env.kinds.pods);
  watchKeys(pods, (p) => (typeof getPath(p, 'spec.nodeName') === 'string' ? keyOf(p) : undefined), enqueue);
  // A Secret or ConfigMap appearing lets waiting pods mount; a changed ConfigMap can fix or break a component.
  const users = (kind: 'secret' | 'configMap') => (o: KubeObject) =>
    pods.list(o.metadata.namespace, (p) => ((getPath(p, 'spec.volumes') as Record<string, unknown>[] | undefined) ?? []).some((v) => {
      const ref = v[kind] as { secretName?: string; name?: string } | undefined;
      return (ref?.secretName ?? ref?.name) === o.metadata.name;
    })).map(keyOf);
  watchKeys(env.informers.of(env.kinds.secrets), users('secret'), enqueue);
  watchKeys(configMaps, users('configMap'), enqueue);
  return c;
}

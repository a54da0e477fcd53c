// The disruption controller of kube-controller-manager: computes each PodDisruptionBudget's status from the pods it
// selects — expected pods, healthy pods (Ready, not deleting, not just evicted), the healthy count it needs and the
// disruptions allowed — which is what the eviction subresource decides from (../eviction.ts). Evictions the API
// recorded in status.disruptedPods count as unhealthy until the pod is deleting, or for at most 2 minutes.
// @see k8s.io/kubernetes pkg/controller/disruption/disruption.go (trySync, getExpectedPodCount, countHealthyPods,
//      buildDisruptedPodMap, updatePdbStatus)
import { controllerOf, intOrPercent } from '../content/capi.js';
import { newConditions } from '../content/conditions.js';
import { selectsPod } from '../eviction.js';
import { getPath, isObject, timestamp, type KubeObject } from '../objects.js';
import { podAvailable } from './deployment.js';
import { writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';

/** How long an eviction counts against a budget before the pod must show it is being deleted (DeletionTimeout). */
const deletionTimeoutSeconds = 120;

/** Pods a budget expects: its pods' controllers' scale for maxUnavailable or a percentage, else the pods themselves. */
function expectedPods(env: ControllerEnv, pdb: KubeObject, pods: KubeObject[]): number {
  const min = getPath(pdb, 'spec.minAvailable');
  if (typeof min === 'number' || (typeof min === 'string' && !min.endsWith('%'))) return pods.length;
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) continue;
    let owner: KubeObject | undefined = ref.kind === 'ReplicaSet' ? env.informers.of(env.kinds.replicaSets).get(ref.name, pod.metadata.namespace) : undefined;
    const up = owner ? controllerOf(owner) : undefined;
    if (owner && up?.kind === 'Deployment') owner = env.informers.of(env.kinds.deployments).get(up.name, pod.metadata.namespace) ?? owner;
    if (owner) seen.set(owner.metadata.uid!, Number(getPath(owner, 'spec.replicas') ?? 1));
    else seen.set(ref.uid, 1);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const pdb = env.informers.of(env.kinds.pdbs).get(name, namespace);
  if (!pdb || pdb.metadata.deletionTimestamp) return;
  const pods = env.informers.of(env.kinds.pods).list(namespace, (p) => selectsPod(pdb, p));
  const now = env.clock.now();
  const previous = (isObject(pdb.status) ? pdb.status : {}) as Record<string, unknown>;
  const recorded = (isObject(previous.disruptedPods) ? previous.disruptedPods : {}) as Record<string, string>;
  const disrupted: Record<string, string> = {};
  let recheck: number | undefined;
  for (const pod of pods) {
    const at = recorded[pod.metadata.name!];
    if (pod.metadata.deletionTimestamp || at === undefined) continue;
    const left = deletionTimeoutSeconds - env.clock.elapsedSim(at);
    if (left <= 0) continue;
    disrupted[pod.metadata.name!] = at;
    recheck = Math.min(recheck ?? left, left);
  }
  const expected = expectedPods(env, pdb, pods);
  const max = getPath(pdb, 'spec.maxUnavailable');
  const desired = max !== undefined
    ? Math.max(0, expected - intOrPercent(max, expected, true, 0))
    : intOrPercent(getPath(pdb, 'spec.minAvailable'), expected, true, 0);
  const healthy = pods.filter((p) => podAvailable(p) && !(p.metadata.name! in disrupted)).length;
  const allowed = expected > 0 ? Math.max(0, healthy - desired) : 0;
  const condition = allowed > 0
    ? { type: 'DisruptionAllowed', status: 'True' as const, reason: 'SufficientPods' }
    : { type: 'DisruptionAllowed', status: 'False' as const, reason: 'InsufficientPods' };
  const status: Record<string, unknown> = {
    observedGeneration: pdb.metadata.generation,
    ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: newConditions([condition], previous.conditions, timestamp(now), pdb.metadata.generation),
  };
  await writeStatus(env, env.kinds.pdbs, pdb, status);
  return recheck === undefined ? undefined : { requeueAfter: recheck };
}

/** Starts the disruption controller. */
export function startDisruptionController(env: ControllerEnv): Controller {
  const c = new Controller('disruption', (key) => reconcile(env, key), env, 1);
  const pdbs = env.informers.of(env.kinds.pdbs);
  watchKeys(pdbs, keyOf, (k) => c.enqueue(k));
  watchKeys(env.informers.of(env.kinds.pods), (p) => pdbs.list(p.metadata.namespace, (b) => selectsPod(b, p)).map(keyOf), (k) => c.enqueue(k));
  return c;
}

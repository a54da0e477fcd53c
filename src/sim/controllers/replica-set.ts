// A small ReplicaSet controller: keeps `spec.replicas` pods (named `<rs>-xxxxx`, with the default tolerations the
// admission chain would add), deleting unscheduled, pending and not-ready pods first when scaling down, and writes
// the counters of `kubectl get rs`. Pods being deleted do not count, so an evicted pod is replaced at once — the
// replacement a PodDisruptionBudget waits for.
// @see k8s.io/kubernetes pkg/controller/replicaset/replica_set.go (manageReplicas, getPodsToDelete)
import { controllerOf, isControlledBy } from '../content/capi.js';
import { nameSuffix } from '../content/names.js';
import { podFromTemplate } from '../content/pods.js';
import { getPath, type KubeObject } from '../objects.js';
import { podAvailable } from './deployment.js';
import { deleteIfExists, writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, waitUntil, watchKeys, type ReconcileResult } from './runtime.js';

/** Lower ranks are deleted first: unassigned < pending < not ready < ready; then the newest. */
function rank(p: KubeObject): number {
  if (!getPath(p, 'spec.nodeName')) return 0;
  if (getPath(p, 'status.phase') === 'Pending') return 1;
  return podAvailable(p) ? 3 : 2;
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const rs = env.informers.of(env.kinds.replicaSets).get(name, namespace);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const podsCache = env.informers.of(env.kinds.pods);
  const pods = podsCache.list(namespace, (p) => isControlledBy(p, rs) && !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(String(getPath(p, 'status.phase'))));
  const desired = Number(getPath(rs, 'spec.replicas') ?? 1);
  if (pods.length < desired) {
    const created: string[] = [];
    for (let i = pods.length; i < desired; i++) {
      const pod = podFromTemplate(rs, nameSuffix(env.random));
      await env.client.create(env.kinds.pods, pod);
      created.push(pod.metadata.name!);
    }
    await waitUntil(() => created.every((n) => podsCache.get(n, namespace)));
    return;
  }
  if (pods.length > desired) {
    const victims = [...pods].sort((a, b) => rank(a) - rank(b) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp))).slice(0, pods.length - desired);
    for (const p of victims) await deleteIfExists(env, env.kinds.pods, p.metadata.name!, namespace);
    return;
  }
  const ready = pods.filter(podAvailable).length;
  const status: Record<string, unknown> = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
  await writeStatus(env, env.kinds.replicaSets, rs, status);
}

/** Starts the ReplicaSet controller. */
export function startReplicaSetController(env: ControllerEnv): Controller {
  const c = new Controller('replicaset', (key) => reconcile(env, key), env, 2);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.replicaSets), keyOf, enqueue);
  watchKeys(env.informers.of(env.kinds.pods), (p) => {
    const ref = controllerOf(p);
    return ref?.kind === 'ReplicaSet' ? `${p.metadata.namespace}/${ref.name}` : undefined;
  }, enqueue);
  return c;
}

// A small Deployment controller: one ReplicaSet per pod template (`pod-template-hash`), rolling updates within
// maxSurge/maxUnavailable (25 %/25 % by default), and the status counters and conditions `kubectl get deploy` shows.
// Editing a broken component's Deployment (e.g. fixing its config volume) therefore rolls out new pods.
// @see k8s.io/kubernetes pkg/controller/deployment (rolling.go, sync.go)
import { controllerOf, controllerRef, intOrPercent, isControlledBy } from '../content/capi.js';
import { templateHash } from '../content/names.js';
import { clone, getPath, timestamp, type KubeObject } from '../objects.js';
import { writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, waitUntil, watchKeys, type ReconcileResult } from './runtime.js';

const replicasOf = (o: KubeObject) => Number(getPath(o, 'spec.replicas') ?? 1);
const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

/** Pods counted as available: Ready and not being deleted. */
export function podAvailable(p: KubeObject): boolean {
  if (p.metadata.deletionTimestamp) return false;
  return ((getPath(p, 'status.conditions') as { type: string; status: string }[] | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const dep = env.informers.of(env.kinds.deployments).get(name, namespace);
  if (!dep || dep.metadata.deletionTimestamp) return;
  const rsCache = env.informers.of(env.kinds.replicaSets);
  const sets = rsCache.list(namespace, (rs) => isControlledBy(rs, dep));
  const template = clone(getPath(dep, 'spec.template') as Record<string, unknown>);
  const hash = templateHash(template);
  const desired = replicasOf(dep);
  const pods = env.informers.of(env.kinds.pods);
  const podsOf = (rs: KubeObject) => pods.list(namespace, (p) => isControlledBy(p, rs));
  let newRs = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const old = sets.filter((rs) => rs !== newRs);
  const scale = async (rs: KubeObject, replicas: number) => {
    if (replicasOf(rs) !== replicas) await env.client.patch(env.kinds.replicaSets, rs.metadata.name!, { spec: { replicas } }, { namespace });
  };
  if (!newRs) {
    const revision = Math.max(0, ...sets.map(revisionOf)) + 1;
    const labels = { ...((getPath(template, 'metadata.labels') as Record<string, string>) ?? {}), 'pod-template-hash': hash };
    (template.metadata as Record<string, unknown>).labels = labels;
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${hash}`, namespace, labels, annotations: { 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(desired + 1), 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [controllerRef(dep)] },
      spec: { replicas: old.length ? 0 : desired, selector: { matchLabels: { ...((getPath(dep, 'spec.selector.matchLabels') as Record<string, string>) ?? {}), 'pod-template-hash': hash } }, template },
    };
    await env.client.create(env.kinds.replicaSets, rs);
    await env.client.patch(env.kinds.deployments, name, { metadata: { annotations: { 'deployment.kubernetes.io/revision': String(revision) } } }, { namespace });
    await waitUntil(() => !!rsCache.get(rs.metadata.name!, namespace));
    return;
  }
  const surge = intOrPercent(getPath(dep, 'spec.strategy.rollingUpdate.maxSurge') ?? '25%', desired, true, 1);
  const unavailable = intOrPercent(getPath(dep, 'spec.strategy.rollingUpdate.maxUnavailable') ?? '25%', desired, false, 0);
  const activeOld = old.filter((rs) => replicasOf(rs) > 0);
  if (activeOld.length === 0) {
    await scale(newRs, desired);
  } else {
    const total = sets.reduce((n, rs) => n + replicasOf(rs), 0);
    const up = Math.min(desired + Math.max(surge, unavailable === 0 ? 1 : 0) - total, desired - replicasOf(newRs));
    if (up > 0) await scale(newRs, replicasOf(newRs) + up);
    newRs = rsCache.get(newRs.metadata.name!, namespace) ?? newRs;
    const available = sets.reduce((n, rs) => n + podsOf(rs).filter(podAvailable).length, 0);
    let budget = available - (desired - unavailable);
    // Old pods that are not available can always go (cleanupUnhealthyReplicas).
    for (const rs of activeOld.sort((a, b) => revisionOf(a) - revisionOf(b))) {
      const unhealthy = podsOf(rs).filter((p) => !podAvailable(p)).length;
      const down = Math.min(replicasOf(rs), Math.max(0, budget) + unhealthy);
      if (down > 0) await scale(rs, replicasOf(rs) - down);
      budget -= Math.max(0, down - unhealthy);
    }
  }
  const all = sets.flatMap(podsOf).filter((p) => !p.metadata.deletionTimestamp);
  const ready = all.filter(podAvailable).length;
  const updated = podsOf(newRs).filter((p) => !p.metadata.deletionTimestamp).length;
  const minAvailable = desired - unavailable;
  const now = timestamp(env.clock.now());
  const prev = (getPath(dep, 'status.conditions') as { type: string; status: string; lastTransitionTime?: string }[] | undefined) ?? [];
  const cond = (type: string, status: string, reason: string, message: string) => {
    const p = prev.find((c) => c.type === type);
    return { type, status, lastUpdateTime: now, lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now, reason, message };
  };
  const complete = updated === desired && ready === desired && all.length === desired;
  const status: Record<string, unknown> = {
    observedGeneration: dep.metadata.generation,
    replicas: all.length,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(all.length - ready > 0 || desired - ready > 0 ? { unavailableReplicas: Math.max(all.length, desired) - ready } : {}),
    conditions: [
      ready >= minAvailable ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.') : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      complete ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`) : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${newRs.metadata.name}" is progressing.`),
    ],
  };
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
  await writeStatus(env, env.kinds.deployments, dep, status, []);
}

/** Starts the Deployment controller. */
export function startDeploymentController(env: ControllerEnv): Controller {
  const c = new Controller('deployment', (key) => reconcile(env, key), env, 2);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.deployments), keyOf, enqueue);
  const ownerKey = (o: KubeObject) => {
    const ref = controllerOf(o);
    return ref?.kind === 'Deployment' ? `${o.metadata.namespace}/${ref.name}` : undefined;
  };
  watchKeys(env.informers.of(env.kinds.replicaSets), ownerKey, enqueue);
  const sets = env.informers.of(env.kinds.replicaSets);
  watchKeys(env.informers.of(env.kinds.pods), (p) => {
    const ref = controllerOf(p);
    const rs = ref?.kind === 'ReplicaSet' ? sets.get(ref.name, p.metadata.namespace) : undefined;
    return rs ? ownerKey(rs) : undefined;
  }, enqueue);
  return c;
}

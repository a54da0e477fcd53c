// kube-controller-manager's garbage collector for the kinds the simulator owns: an object whose owners are all gone
// (by uid, verified with a live GET as the GC's attemptToDeleteItem does, so a cache that lags never condemns a fresh
// dependent) is deleted in the background. Plus PodGC: pods bound to a Node that no longer exists are force-deleted
// after a quarantine.
// @see k8s.io/kubernetes pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem),
//      pkg/controller/podgc/gc_controller.go (gcOrphaned)
import { isNotFound, type ResourceType } from '../client.js';
import { getPath, type OwnerReference } from '../objects.js';
import { deleteIfExists, type ControllerEnv } from './env.js';
import { timings } from './timings.js';

/** Resources whose objects may be owned, and the kinds that own them. */
function tables(env: ControllerEnv) {
  const k = env.kinds;
  const owners: Record<string, ResourceType> = {
    Node: k.nodes, Cluster: k.clusters, MachineDeployment: k.machineDeployments, MachineSet: k.machineSets, Machine: k.machines,
    KubeadmControlPlane: k.kubeadmControlPlanes, Deployment: k.deployments, ReplicaSet: k.replicaSets, OpenStackCluster: k.openStackClusters,
  };
  const dependents: ResourceType[] = [k.machineSets, k.machines, k.openStackMachines, k.secrets, k.replicaSets, k.pods, k.leases];
  return { owners, dependents };
}

/** Whether an owner still exists: cache first, then a live GET when the cache says no. */
async function ownerExists(env: ControllerEnv, type: ResourceType, ref: OwnerReference, namespace: string | undefined): Promise<boolean> {
  const ns = type.namespaced ? namespace : undefined;
  const cached = env.informers.of(type).get(ref.name, ns);
  if (cached?.metadata.uid === ref.uid) return true;
  try {
    const live = await env.client.get(type, ref.name, ns);
    return live.metadata.uid === ref.uid;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** One GC pass over the dependents; returns how many objects it deleted. */
export async function collectGarbage(env: ControllerEnv, quarantine: Map<string, number>): Promise<number> {
  const { owners, dependents } = tables(env);
  let deleted = 0;
  for (const type of dependents) {
    for (const obj of env.informers.of(type).list()) {
      const refs = obj.metadata.ownerReferences ?? [];
      if (refs.length === 0 || obj.metadata.deletionTimestamp) continue;
      const known = refs.filter((r) => owners[r.kind]);
      if (known.length !== refs.length) continue;
      // Cheap check on the caches first; only suspects get live GETs.
      const suspect = known.every((r) => env.informers.of(owners[r.kind]!).get(r.name, owners[r.kind]!.namespaced ? obj.metadata.namespace : undefined)?.metadata.uid !== r.uid);
      if (!suspect) continue;
      const alive = await Promise.all(known.map((r) => ownerExists(env, owners[r.kind]!, r, obj.metadata.namespace)));
      if (alive.some(Boolean)) continue;
      env.log(`garbage-collector: deleting ${type.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} (owner ${known.map((r) => `${r.kind}/${r.name}`).join(', ')} gone)`);
      await deleteIfExists(env, type, obj.metadata.name!, obj.metadata.namespace, { uid: obj.metadata.uid });
      deleted += 1;
    }
  }
  // PodGC: pods on nodes that no longer exist.
  const nodes = env.informers.of(env.kinds.nodes);
  for (const pod of env.informers.of(env.kinds.pods).list()) {
    const nodeName = getPath(pod, 'spec.nodeName');
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    if (typeof nodeName !== 'string' || nodes.get(nodeName)) {
      quarantine.delete(key);
      continue;
    }
    const since = quarantine.get(key);
    if (since === undefined) {
      quarantine.set(key, env.clock.now());
      continue;
    }
    if (env.clock.elapsedSim(since) < timings.podGcQuarantineSeconds) continue;
    if (await nodeExists(env, nodeName)) continue;
    env.log(`pod-gc: force-deleting ${pod.metadata.namespace}/${pod.metadata.name} (node ${nodeName} is gone)`);
    await deleteIfExists(env, env.kinds.pods, pod.metadata.name!, pod.metadata.namespace, { gracePeriodSeconds: 0, uid: pod.metadata.uid });
    quarantine.delete(key);
    deleted += 1;
  }
  return deleted;
}

/** Events live one hour (kube-apiserver --event-ttl, enforced by etcd leases); the simulated API has no TTL. */
const eventTtlSeconds = 3600;

/** Deletes Events whose last occurrence is older than the TTL; returns how many. */
export async function expireEvents(env: ControllerEnv): Promise<number> {
  const { items } = await env.client.list(env.kinds.events, { limit: 500 });
  let deleted = 0;
  for (const e of items) {
    const last = String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    if (env.clock.elapsedSim(last) <= eventTtlSeconds) continue;
    await deleteIfExists(env, env.kinds.events, e.metadata.name!, e.metadata.namespace);
    deleted += 1;
  }
  return deleted;
}

async function nodeExists(env: ControllerEnv, name: string): Promise<boolean> {
  return (await env.client.find(env.kinds.nodes, name)) !== undefined;
}

/** Starts the GC loop (every 5 simulated seconds, never faster than 200 ms real, and on owner deletions). */
export function startGarbageCollector(env: ControllerEnv): () => void {
  let stopped = false;
  let running = false;
  let again = false;
  let timer: { cancel(): void } | undefined;
  const quarantine = new Map<string, number>();
  const period = Math.max(5, env.clock.simSeconds(200));
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    timer?.cancel();
    collectGarbage(env, quarantine)
      .catch((err) => env.log(`garbage-collector: ${(err as Error).message}`))
      .finally(() => {
        running = false;
        if (stopped) return;
        if (again) {
          again = false;
          run();
        } else {
          timer = env.clock.after(period, run);
        }
      });
  };
  const { owners } = tables(env);
  for (const type of Object.values(owners)) env.informers.of(type).addHandler({ delete: () => run() });
  timer = env.clock.after(period, run);
  let eventsTimer: { cancel(): void } | undefined;
  const events = () => {
    expireEvents(env)
      .catch((err) => env.log(`event ttl: ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) eventsTimer = env.clock.after(Math.max(300, env.clock.simSeconds(2000)), events);
      });
  };
  eventsTimer = env.clock.after(300, events);
  return () => {
    stopped = true;
    timer?.cancel();
    eventsTimer?.cancel();
  };
}

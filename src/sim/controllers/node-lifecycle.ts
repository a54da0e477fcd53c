// The node-lifecycle controller of kube-controller-manager: when neither a node's Lease nor its Ready heartbeat has
// been renewed within the grace period (50 s), Ready/MemoryPressure/DiskPressure/PIDPressure become Unknown
// ("NodeStatusUnknown", "Kubelet stopped posting node status."), the node gets the node.kubernetes.io/unreachable
// NoSchedule and NoExecute taints, and its pods are marked not Ready; pods without a matching toleration are deleted
// by the taint manager once their tolerationSeconds (300 s by default) have passed. Taints go when Ready returns.
// @see k8s.io/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (tryUpdateNodeHealth,
//      markPodsNotReady, doNoExecuteTaintingPass), pkg/controller/tainteviction/taint_eviction.go
import { isNotFound } from '../client.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import type { ControllerEnv } from './env.js';
import { leaseIntervalSeconds } from './kubelet-node.js';
import { nodeCondition } from './machine-health.js';
import { tolerates } from './scheduler.js';
import { timings } from './timings.js';

type Taint = { key: string; effect: string; value?: string; timeAdded?: string };
const unreachable = 'node.kubernetes.io/unreachable';
const unknownMessage = 'Kubelet stopped posting node status.';

/** The newest sign of life of a node: its Lease renewTime or its Ready heartbeat. */
function lastHeartbeat(env: ControllerEnv, node: KubeObject): number {
  const lease = env.informers.of(env.kinds.leases).get(node.metadata.name!, 'kube-node-lease');
  const renew = Date.parse(String(getPath(lease, 'spec.renewTime') ?? ''));
  const ready = Date.parse(String((nodeCondition(node, 'Ready') as { lastHeartbeatTime?: string } | undefined)?.lastHeartbeatTime ?? ''));
  const created = Date.parse(node.metadata.creationTimestamp ?? '');
  return Math.max(...[renew, ready, created].filter(Number.isFinite), 0);
}

async function setTaints(env: ControllerEnv, name: string, change: (taints: Taint[]) => Taint[]): Promise<void> {
  await env.client.modify(env.kinds.nodes, name, undefined, (n) => {
    const spec = (n.spec ?? {}) as Record<string, unknown>;
    const before = (spec.taints as Taint[] | undefined) ?? [];
    const after = change(before);
    if (JSON.stringify(after) === JSON.stringify(before)) return undefined;
    if (after.length) spec.taints = after;
    else delete spec.taints;
    n.spec = spec;
    return n;
  });
}

/** One monitor pass over every node; `late` is how many real ms after its due time the pass started. */
async function monitor(env: ControllerEnv, late: number): Promise<void> {
  const nodes = env.informers.of(env.kinds.nodes).list();
  // 50 s simulated, but never less than 4 lease intervals nor 2 s of real time: at high time scales a busy host
  // stalls the simulated kubelets' timers too, and that must not read as kubelets that stopped reporting.
  const grace = Math.max(timings.nodeMonitorGraceSeconds, 4 * leaseIntervalSeconds(env, nodes.length), env.clock.simSeconds(2000));
  // The whole process stalled — this loop or the simulated kubelets' heartbeat round: judge nothing on this pass.
  if (late > 1000 || env.world.heartbeatLagMs(env.clock.now()) > env.clock.realMs(grace) / 2) return;
  const now = env.clock.now();
  const pods = env.informers.of(env.kinds.pods);
  for (const node of nodes) {
    const name = node.metadata.name!;
    const ready = nodeCondition(node, 'Ready');
    const stale = env.clock.elapsedSim(lastHeartbeat(env, node)) > grace;
    const taints = (getPath(node, 'spec.taints') as Taint[] | undefined) ?? [];
    try {
      if (stale && ready?.status !== 'Unknown') {
        const conditions = ((getPath(node, 'status.conditions') as Record<string, unknown>[] | undefined) ?? []).map((c) =>
          ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(String(c.type))
            ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: unknownMessage, lastTransitionTime: timestamp(now) }
            : c);
        await env.client.patch(env.kinds.nodes, name, { status: { conditions } }, { subresource: 'status', type: 'strategic' });
        env.log(`node-lifecycle: ${name} Ready=Unknown (${unknownMessage})`);
        continue;
      }
      if (ready?.status === 'Unknown') {
        if (!taints.some((t) => t.key === unreachable)) {
          const added = timestamp(now);
          await setTaints(env, name, (ts) => [...ts.filter((t) => t.key !== unreachable), { key: unreachable, effect: 'NoSchedule', timeAdded: added }, { key: unreachable, effect: 'NoExecute', timeAdded: added }]);
        }
        // markPodsNotReady
        for (const pod of pods.list(undefined, (p) => getPath(p, 'spec.nodeName') === name)) {
          const podReady = (getPath(pod, 'status.conditions') as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready');
          if (podReady?.status !== 'True') continue;
          await env.client.patch(env.kinds.pods, pod.metadata.name!, { status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: timestamp(now) }] } }, { namespace: pod.metadata.namespace, subresource: 'status', type: 'strategic' });
        }
      } else if (ready?.status === 'True' && taints.some((t) => t.key === unreachable)) {
        await setTaints(env, name, (ts) => ts.filter((t) => t.key !== unreachable));
      }
      await evictForTaints(env, node, taints);
    } catch (err) {
      if (!isNotFound(err)) env.log(`node-lifecycle: ${name}: ${(err as Error).message}`);
    }
  }
}

/** The taint manager: delete pods that do not tolerate a NoExecute taint, after their tolerationSeconds. */
async function evictForTaints(env: ControllerEnv, node: KubeObject, taints: Taint[]): Promise<void> {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return;
  for (const pod of env.informers.of(env.kinds.pods).list(undefined, (p) => getPath(p, 'spec.nodeName') === node.metadata.name && !p.metadata.deletionTimestamp)) {
    const tolerations = (getPath(pod, 'spec.tolerations') as { key?: string; operator?: string; effect?: string; tolerationSeconds?: number }[] | undefined) ?? [];
    // Not tolerated: evict now; tolerated: evict after the smallest tolerationSeconds (getMinTolerationTime).
    let untolerated = false;
    let seconds = Infinity;
    for (const taint of noExecute) {
      const matching = tolerations.filter((t) => tolerates([t], taint));
      if (matching.length === 0) untolerated = true;
      else seconds = Math.min(seconds, ...matching.map((t) => t.tolerationSeconds ?? Infinity));
    }
    if (!untolerated) {
      if (!Number.isFinite(seconds)) continue;
      const since = Math.min(...noExecute.map((t) => Date.parse(t.timeAdded ?? '') || env.clock.now()));
      if (env.clock.elapsedSim(since) < seconds) continue;
    }
    env.log(`taint-eviction: deleting ${pod.metadata.namespace}/${pod.metadata.name} from ${node.metadata.name}`);
    void env.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, 'taint-eviction-controller');
    try {
      await env.client.delete(env.kinds.pods, pod.metadata.name!, { namespace: pod.metadata.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Starts the monitor loop; returns its stop function. */
export function startNodeLifecycle(env: ControllerEnv): () => void {
  let stopped = false;
  let timer: { cancel(): void } | undefined;
  const period = Math.max(timings.nodeMonitorPeriodSeconds, env.clock.simSeconds(200));
  let due = Date.now() + env.clock.realMs(period);
  const loop = () => {
    if (stopped) return;
    const late = Date.now() - due;
    due = Date.now() + env.clock.realMs(period);
    monitor(env, late)
      .catch((err) => env.log(`node-lifecycle: ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) timer = env.clock.after(period, loop);
      });
  };
  timer = env.clock.after(period, loop);
  return () => {
    stopped = true;
    timer?.cancel();
  };
}

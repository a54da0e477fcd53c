// A small kube-scheduler: for each unbound pod, filter nodes (Ready, schedulable, taints tolerated, nodeSelector,
// requests fit allocatable, pod count) and pick the least allocated one (ties by name); bind it, or mark it
// Unschedulable with the scheduler's "0/N nodes are available: …" message and a FailedScheduling event.
// Pods without requests fit anywhere — which is how a worker gets overloaded (operations.md).
// @see k8s.io/kubernetes pkg/scheduler/framework/plugins (noderesources/fit.go, tainttoleration, nodeunschedulable)
import { parseCpu, parseMemory } from '../../format/quantity.js';
import { isStatus } from '../client.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import type { ControllerEnv } from './env.js';
import { isNodeReady } from './machine-health.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';

type Taint = { key: string; value?: string; effect: string };
type Toleration = { key?: string; operator?: string; value?: string; effect?: string };

/** Whether a toleration list tolerates a taint (v1helper.TolerationsTolerateTaint). */
export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** CPU (millicores) and memory (bytes) a pod requests: containers summed, init containers as a maximum. */
export function podRequests(pod: KubeObject): { cpu: number; memory: number } {
  const sum = (list: unknown, f: 'cpu' | 'memory') => ((list as { resources?: { requests?: Record<string, string> } }[] | undefined) ?? [])
    .map((c) => c.resources?.requests?.[f])
    .map((q) => (q ? (f === 'cpu' ? parseCpu(q) : parseMemory(q)) : 0));
  const containers = (f: 'cpu' | 'memory') => sum(getPath(pod, 'spec.containers'), f).reduce((a, b) => a + b, 0);
  const init = (f: 'cpu' | 'memory') => Math.max(0, ...sum(getPath(pod, 'spec.initContainers'), f));
  return { cpu: Math.max(containers('cpu'), init('cpu')), memory: Math.max(containers('memory'), init('memory')) };
}

const terminal = (p: KubeObject) => ['Succeeded', 'Failed'].includes(String(getPath(p, 'status.phase')));

/**
 * Bindings made but not yet seen in the pod cache: the scheduler's "assumed pods", so consecutive decisions do not
 * all pick the same node before the informer catches up (pkg/scheduler/internal/cache: AssumePod).
 */
type Assumed = Map<string, { node: string; requests: { cpu: number; memory: number } }>;

async function reconcile(env: ControllerEnv, key: string, assumed: Assumed): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const pod = env.informers.of(env.kinds.pods).get(name, namespace);
  if (!pod || pod.metadata.deletionTimestamp || getPath(pod, 'spec.nodeName') || terminal(pod)) return;
  if ((getPath(pod, 'spec.schedulerName') ?? 'default-scheduler') !== 'default-scheduler') return;
  const nodes = env.informers.of(env.kinds.nodes).list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const pods = env.informers.of(env.kinds.pods).list(undefined, (p) => typeof getPath(p, 'spec.nodeName') === 'string' && !terminal(p));
  const want = podRequests(pod);
  const tolerations = (getPath(pod, 'spec.tolerations') as Toleration[] | undefined) ?? [];
  const selector = (getPath(pod, 'spec.nodeSelector') as Record<string, string> | undefined) ?? {};
  const reasons = new Map<string, number>();
  const reject = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  let best: { node: KubeObject; score: number } | undefined;
  for (const node of nodes) {
    if (!isNodeReady(node)) { reject("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"); continue; }
    if (getPath(node, 'spec.unschedulable')) { reject('node(s) were unschedulable'); continue; }
    const taint = ((getPath(node, 'spec.taints') as Taint[] | undefined) ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
    if (taint) { reject(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`); continue; }
    if (!Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v)) { reject("node(s) didn't match Pod's node affinity/selector"); continue; }
    const on = pods.filter((p) => getPath(p, 'spec.nodeName') === node.metadata.name);
    const extra = [...assumed.entries()].filter(([k, a]) => a.node === node.metadata.name && !pods.some((p) => keyOf(p) === k)).map(([, a]) => a.requests);
    const used = [...on.map(podRequests), ...extra].reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
    const cpu = parseCpu(String(getPath(node, 'status.allocatable.cpu') ?? '0'));
    const memory = parseMemory(String(getPath(node, 'status.allocatable.memory') ?? '0'));
    const maxPods = Number(getPath(node, 'status.allocatable.pods') ?? 110);
    if (on.length + extra.length + 1 > maxPods) { reject('Too many pods'); continue; }
    if (used.cpu + want.cpu > cpu) { reject('Insufficient cpu'); continue; }
    if (used.memory + want.memory > memory) { reject('Insufficient memory'); continue; }
    // LeastAllocated: the more free CPU and memory left after placing the pod, the better; the default topology
    // spread (ScheduleAnyway, by hostname) keeps replicas of one owner apart.
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    const siblings = owner ? on.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === owner)).length : 0;
    const score = ((cpu - used.cpu - want.cpu) / cpu + (memory - used.memory - want.memory) / memory) / 2 - (on.length + extra.length) * 1e-3 - siblings * 0.1;
    if (!best || score > best.score) best = { node, score };
  }
  if (!best) {
    const detail = [...reasons].map(([r, n]) => `${n} ${r}`).sort().join(', ');
    const message = `0/${nodes.length} nodes are available: ${detail || 'no nodes registered'}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
    const conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: timestamp(env.clock.now()), reason: 'Unschedulable', message }];
    const prev = (getPath(pod, 'status.conditions') as { message?: string }[] | undefined)?.[0]?.message;
    if (prev !== message) {
      await env.client.patch(env.kinds.pods, name, { status: { conditions } }, { namespace, subresource: 'status', type: 'strategic' });
      void env.recorder.event(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
    }
    return { requeueAfter: 10 };
  }
  const nodeName = best.node.metadata.name!;
  // The binding subresource sets spec.nodeName and PodScheduled=True; a pod's spec.nodeName cannot be updated.
  try {
    await env.client.bind(namespace!, name, nodeName);
  } catch (err) {
    // Bound meanwhile (the cache was behind): nothing to do.
    if (isStatus(err, 409)) return;
    throw err;
  }
  assumed.set(key, { node: nodeName, requests: want });
  void env.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`, 'default-scheduler');
}

/** Starts the scheduler. */
export function startScheduler(env: ControllerEnv): Controller {
  const assumed: Assumed = new Map();
  const c = new Controller('scheduler', (key) => reconcile(env, key, assumed), env, 1);
  const pods = env.informers.of(env.kinds.pods);
  // An assumed binding is forgotten once the cache shows the pod bound (or gone).
  pods.addHandler({ update: (p) => { if (getPath(p, 'spec.nodeName')) assumed.delete(keyOf(p)); }, delete: (p) => assumed.delete(keyOf(p)) });
  watchKeys(pods, (p) => (getPath(p, 'spec.nodeName') ? undefined : keyOf(p)), (k) => c.enqueue(k));
  const pending = () => pods.list(undefined, (p) => !getPath(p, 'spec.nodeName') && !p.metadata.deletionTimestamp).map(keyOf);
  // Capacity appears when a node becomes Ready or a pod on it finishes.
  watchKeys(env.informers.of(env.kinds.nodes), pending, (k) => c.enqueue(k));
  pods.addHandler({ update: (p, old) => { if (terminal(p) && !terminal(old)) pending().forEach((k) => c.enqueue(k)); }, delete: () => pending().forEach((k) => c.enqueue(k)) });
  return c;
}

// Prow component health: per Deployment in the Prow namespace, ready/desired, restarts, why pods wait
// (CrashLoopBackOff, ContainerCreating, Pending) and the recent Warning events (FailedMount …) about them.
// @see /work/shared/reference/operations.md ("Prow component triage")
import { humanAge } from '../../format/duration.js';
import type { ClusterModel, DeploymentView, EventView, PodView } from '../types.js';
import { compareText } from '../read.js';

/** A Warning event as the components table shows it. */
export interface ComponentEvent {
  reason: string;
  message: string;
  count: number;
  object: string;
  lastSeen?: string;
  age?: string;
}

/** One row of the components table. */
export interface ComponentRow {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  available: number;
  healthy: boolean;
  restarts: number;
  /** Why pods are not running, with how many pods: CrashLoopBackOff ×1, ContainerCreating ×2, Pending ×1. */
  waiting: { reason: string; pods: number }[];
  pods: { name: string; status: string; restarts: number; node?: string }[];
  events: ComponentEvent[];
}

/** Recent means within an hour; at most five events per component, newest first. */
export const defaultEventWindowMs = 60 * 60_000;
const maxEvents = 5;

/** Whether a pod is selected by a Deployment's matchLabels. */
export function selects(deployment: DeploymentView, pod: PodView): boolean {
  const entries = Object.entries(deployment.selector);
  return pod.namespace === deployment.namespace && entries.length > 0 && entries.every(([k, v]) => pod.labels[k] === v);
}

/** Why a pod is not running: its containers' waiting reasons, or Pending when it is not scheduled yet. */
export function waitingReasons(pod: PodView): string[] {
  if (pod.waitingReasons.length > 0) return pod.waitingReasons;
  return pod.phase === 'Pending' ? ['Pending'] : [];
}

function eventsFor(deployment: DeploymentView, pods: PodView[], events: Iterable<EventView>, nowMs: number, windowMs: number): ComponentEvent[] {
  const podNames = new Set(pods.map((p) => p.name));
  // ReplicaSets are named <deployment>-<hash> and their pods <deployment>-<hash>-<suffix>; neither part has a
  // dash, so events about pods already replaced (a crash-looping one) still match, and `hook` never takes `hook-x`'s.
  const escaped = deployment.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const replicaSet = new RegExp(`^${escaped}-[a-z0-9]+$`);
  const replacedPod = new RegExp(`^${escaped}-[a-z0-9]+-[a-z0-9]+$`);
  const about = (e: EventView) =>
    (e.involved.namespace ?? e.namespace) === deployment.namespace &&
    ((e.involved.kind === 'Pod' && (podNames.has(e.involved.name) || replacedPod.test(e.involved.name))) ||
      (e.involved.kind === 'Deployment' && e.involved.name === deployment.name) ||
      (e.involved.kind === 'ReplicaSet' && replicaSet.test(e.involved.name)));
  const seen = (e: EventView) => Date.parse(e.lastSeen ?? e.created ?? '');
  return [...events]
    .filter((e) => e.type === 'Warning' && about(e) && nowMs - seen(e) <= windowMs)
    .sort((a, b) => seen(b) - seen(a))
    .slice(0, maxEvents)
    .map((e) => {
      const out: ComponentEvent = { reason: e.reason, message: e.message, count: e.count, object: `${e.involved.kind.toLowerCase()}/${e.involved.name}` };
      if (e.lastSeen) {
        out.lastSeen = e.lastSeen;
        out.age = humanAge(nowMs - seen(e));
      }
      return out;
    });
}

/** The components table for the Deployments in `namespace` (default: every watched Deployment), by name. */
export function summarizeComponents(model: ClusterModel, nowMs: number, namespace?: string, eventWindowMs = defaultEventWindowMs): ComponentRow[] {
  const podsByNamespace = new Map<string, PodView[]>();
  for (const pod of model.pods.values()) {
    const list = podsByNamespace.get(pod.namespace) ?? [];
    list.push(pod);
    podsByNamespace.set(pod.namespace, list);
  }
  const events = [...model.events.values()].filter((e) => e.type === 'Warning' && nowMs - Date.parse(e.lastSeen ?? e.created ?? '') <= eventWindowMs);
  return [...model.deployments.values()]
    .filter((d) => namespace === undefined || d.namespace === namespace)
    .sort((a, b) => compareText(a.name, b.name))
    .map((d) => {
      const own = (podsByNamespace.get(d.namespace) ?? []).filter((p) => selects(d, p) && !p.deleting);
      const waiting = new Map<string, number>();
      for (const pod of own) for (const reason of waitingReasons(pod)) waiting.set(reason, (waiting.get(reason) ?? 0) + 1);
      return {
        namespace: d.namespace,
        name: d.name,
        desired: d.desired,
        ready: d.ready,
        available: d.available,
        healthy: d.ready >= d.desired && waiting.size === 0,
        restarts: own.reduce((n, p) => n + p.restarts, 0),
        waiting: [...waiting].map(([reason, count]) => ({ reason, pods: count })),
        pods: own.map((p) => ({ name: p.name, status: p.status, restarts: p.restarts, ...(p.nodeName ? { node: p.nodeName } : {}) })),
        events: eventsFor(d, own, events, nowMs, eventWindowMs),
      };
    });
}

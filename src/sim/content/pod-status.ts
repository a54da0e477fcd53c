// Pod status as the kubelet reports it through its lifecycle: ContainerCreating (with the waiting reason), Running
// (ready containers, pod IP, init containers Completed), CrashLoopBackOff (restartCount, lastState), Succeeded or
// Failed (terminated containers with exit codes).
// @see k8s.io/kubernetes pkg/kubelet/kubelet_pods.go (generateAPIPodStatus), pkg/kubelet/status/generate.go
import { getPath, timestamp, type KubeObject } from '../objects.js';
import { fnv32 } from './names.js';

type Container = { name: string; image?: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };

const containersOf = (pod: KubeObject, key = 'containers') => ((getPath(pod, `spec.${key}`) as Container[] | undefined) ?? []);

/** 64 hex characters derived from a seed (container and image ids). */
export function hex64(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += fnv32(`${seed}/${i}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}

/** The pod's IP on the calico pod network (192.168.0.0/16), stable per node and pod. */
export function podIp(nodeName: string, uid: string): string {
  return `192.168.${fnv32(nodeName) % 250}.${(fnv32(uid) % 250) + 2}`;
}

/** BestEffort, Burstable or Guaranteed from requests and limits (pkg/apis/core/v1/helper/qos). */
export function qosClass(pod: KubeObject): string {
  const all = [...containersOf(pod), ...containersOf(pod, 'initContainers')];
  const has = all.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!has) return 'BestEffort';
  const guaranteed = all.every((c) => ['cpu', 'memory'].every((r) => c.resources?.limits?.[r] && (c.resources?.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r]));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function conditions(now: string, prev: unknown, states: Record<string, { status: string; reason?: string }>): Record<string, unknown>[] {
  const list = Array.isArray(prev) ? (prev as { type: string; status: string; lastTransitionTime?: string }[]) : [];
  return Object.entries(states).map(([type, s]) => {
    const p = list.find((c) => c.type === type);
    return { type, status: s.status, lastProbeTime: null, lastTransitionTime: p && p.status === s.status ? p.lastTransitionTime ?? now : now, ...(s.reason ? { reason: s.reason } : {}) };
  });
}

/** Identity of a running container instance. */
function containerIds(pod: KubeObject, c: Container, restart: number) {
  const image = c.image ?? '';
  return { image, imageID: `${image.split(':')[0]}@sha256:${hex64(image)}`, containerID: `containerd://${hex64(`${pod.metadata.uid}/${c.name}/${restart}`)}` };
}

/** Status while images are pulled or a volume cannot be mounted: phase Pending, containers waiting. */
export function creatingStatus(pod: KubeObject, node: KubeObject, nowMs: number, startTime: string): Record<string, unknown> {
  const now = timestamp(nowMs);
  const prev = getPath(pod, 'status.conditions');
  const init = containersOf(pod, 'initContainers');
  const waiting = (c: Container, reason: string) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason } }, lastState: {} });
  return {
    phase: 'Pending',
    conditions: conditions(now, prev, {
      PodReadyToStartContainers: { status: 'False' },
      Initialized: init.length ? { status: 'False', reason: 'ContainersNotInitialized' } : { status: 'True' },
      Ready: { status: 'False', reason: 'ContainersNotReady' },
      ContainersReady: { status: 'False', reason: 'ContainersNotReady' },
      PodScheduled: { status: 'True' },
    }),
    hostIP: hostIp(node),
    hostIPs: [{ ip: hostIp(node) }],
    startTime,
    qosClass: qosClass(pod),
    ...(init.length ? { initContainerStatuses: init.map((c) => waiting(c, 'PodInitializing')) } : {}),
    containerStatuses: containersOf(pod).map((c) => waiting(c, init.length ? 'PodInitializing' : 'ContainerCreating')),
  };
}

/** The node's InternalIP. */
export function hostIp(node: KubeObject): string {
  const list = (getPath(node, 'status.addresses') as { type: string; address: string }[] | undefined) ?? [];
  return list.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/** Per-container state the kubelet tracks for a running pod. */
export interface ContainerState {
  name: string;
  restartCount: number;
  state: Record<string, unknown>;
  lastState?: Record<string, unknown>;
  ready: boolean;
}

/** Status of a started pod from its containers' states (init containers completed). */
export function runningStatus(pod: KubeObject, node: KubeObject, nowMs: number, states: ContainerState[], phase = 'Running'): Record<string, unknown> {
  const now = timestamp(nowMs);
  const startTime = String(getPath(pod, 'status.startTime') ?? now);
  const allReady = states.every((s) => s.ready);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const init = containersOf(pod, 'initContainers');
  const byName = new Map(containersOf(pod).map((c) => [c.name, c]));
  return {
    phase,
    conditions: conditions(now, getPath(pod, 'status.conditions'), {
      PodReadyToStartContainers: { status: done ? 'False' : 'True' },
      Initialized: { status: 'True', ...(done ? { reason: 'PodCompleted' } : {}) },
      Ready: allReady && !done ? { status: 'True' } : { status: 'False', reason: done ? 'PodCompleted' : 'ContainersNotReady' },
      ContainersReady: allReady && !done ? { status: 'True' } : { status: 'False', reason: done ? 'PodCompleted' : 'ContainersNotReady' },
      PodScheduled: { status: 'True' },
    }),
    hostIP: hostIp(node),
    hostIPs: [{ ip: hostIp(node) }],
    podIP: podIp(node.metadata.name!, pod.metadata.uid ?? ''),
    podIPs: [{ ip: podIp(node.metadata.name!, pod.metadata.uid ?? '') }],
    startTime,
    qosClass: qosClass(pod),
    ...(init.length
      ? {
          initContainerStatuses: init.map((c) => ({
            name: c.name, ...containerIds(pod, c, 0), ready: true, restartCount: 0, started: false,
            state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: startTime, finishedAt: startTime, containerID: containerIds(pod, c, 0).containerID } },
            lastState: {},
          })),
        }
      : {}),
    containerStatuses: states.map((s) => ({
      name: s.name,
      ...containerIds(pod, byName.get(s.name) ?? { name: s.name }, s.restartCount),
      ready: s.ready,
      restartCount: s.restartCount,
      started: 'running' in s.state,
      state: s.state,
      lastState: s.lastState ?? {},
    })),
  };
}

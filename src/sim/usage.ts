// The simulated cluster's resource usage, as a PURE function of the objects and the time: what metrics-server
// would report for each running container (per-job profiles from operations.md, Prow components at 1m–35m CPU and
// 12Mi–113Mi) and what a node uses outside pods (kubelet, container runtime, OS, control-plane static pods).
// Variation is deterministic: a per-container level from the pod uid, plus a slow wobble over time.
import { componentProfile } from './content/components.js';
import { profileOf, type Range } from './content/jobs.js';
import { unitHash } from './content/names.js';
import { getPath, type KubeObject } from './objects.js';

/** Usage of one container. */
export interface ContainerUsage {
  name: string;
  /** Millicores, with nanocore precision (metrics-server reports nanocores). */
  cpuMilli: number;
  /** Working-set bytes, a multiple of 1 KiB. */
  memoryBytes: number;
}

/** Usage of a pod, per container. */
export interface PodUsage {
  containers: ContainerUsage[];
}

const MiB = 1024 * 1024;
/** Real milliseconds of one wobble cycle (a minute and a half: visible in a sparkline, not noisy). */
const wobblePeriodMs = 90_000;
/** Real milliseconds over which a fresh container's memory grows to its level. */
const warmupMs = 20_000;

/** A value in [min, max] for one container at one time: its own level plus a ±10% wobble. */
function sample(range: Range, seed: string, nowMs: number): number {
  const [min, max] = range;
  const level = unitHash(seed);
  const phase = unitHash(`${seed}/phase`) * 2 * Math.PI;
  const wobble = Math.sin((2 * Math.PI * nowMs) / wobblePeriodMs + phase);
  const f = Math.min(1, Math.max(0, 0.1 + level * 0.8 + 0.1 * wobble));
  return min + (max - min) * f;
}

const small: { cpuMilli: Range; memoryMi: Range } = { cpuMilli: [2, 18], memoryMi: [16, 64] };
const sidecar: { cpuMilli: Range; memoryMi: Range } = { cpuMilli: [1, 3], memoryMi: [12, 20] };

/** The usage profile of one container of a pod. */
function containerProfile(pod: KubeObject, container: string): { cpuMilli: Range; memoryMi: Range } {
  const labels = pod.metadata.labels ?? {};
  if (labels['created-by-prow'] === 'true') {
    if (container !== 'test') return sidecar;
    const job = pod.metadata.annotations?.['prow.k8s.io/job'] ?? labels['prow.k8s.io/job'] ?? '';
    return profileOf(job);
  }
  const component = labels.app ? componentProfile(labels.app) : undefined;
  return component ?? small;
}

/** Names of the containers that are running (all spec containers when the kubelet reported none yet). */
function runningContainers(pod: KubeObject): { name: string; startedAt?: string }[] {
  const statuses = getPath(pod, 'status.containerStatuses');
  if (Array.isArray(statuses) && statuses.length > 0) {
    return statuses
      .filter((s) => s && typeof s === 'object' && getPath(s, 'state.running'))
      .map((s) => ({ name: String((s as { name: unknown }).name), startedAt: getPath(s, 'state.running.startedAt') as string | undefined }));
  }
  const spec = getPath(pod, 'spec.containers');
  return Array.isArray(spec) ? spec.map((c) => ({ name: String((c as { name: unknown }).name) })) : [];
}

/**
 * What metrics-server would report for a pod at `nowMs`: only Running pods bound to a node have samples
 * (kubernetes-sigs/metrics-server pkg/api/pod.go serves nothing else).
 */
export function podUsage(pod: KubeObject, nowMs: number): PodUsage {
  if (getPath(pod, 'status.phase') !== 'Running' || typeof getPath(pod, 'spec.nodeName') !== 'string') return { containers: [] };
  const uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
  return {
    containers: runningContainers(pod).map(({ name, startedAt }) => {
      const profile = containerProfile(pod, name);
      const seed = `${uid}/${name}`;
      const started = startedAt ? Date.parse(startedAt) : NaN;
      const warm = Number.isFinite(started) ? Math.min(1, 0.35 + (0.65 * Math.max(0, nowMs - started)) / warmupMs) : 1;
      const cpu = sample(profile.cpuMilli, seed, nowMs);
      const memory = sample(profile.memoryMi, `${seed}/mem`, nowMs / 4) * MiB * warm;
      return { name, cpuMilli: Math.round(cpu * 1e6) / 1e6, memoryBytes: Math.round(memory / 1024) * 1024 };
    }),
  };
}

/**
 * Usage of a node outside its pods: kubelet, containerd and the OS; on control-plane nodes also etcd and the API
 * server, which is where most of the observed 2772Mi of operations.md's control-plane node goes.
 */
export function nodeOverhead(node: KubeObject): { cpuMilli: number; memoryBytes: number } {
  const name = node.metadata.name ?? '';
  const controlPlane = 'node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {});
  const cpu: Range = controlPlane ? [190, 260] : [110, 210];
  const memoryMi: Range = controlPlane ? [2300, 2600] : [900, 1300];
  const f = unitHash(name);
  return {
    cpuMilli: Math.round(cpu[0] + (cpu[1] - cpu[0]) * f),
    memoryBytes: Math.round(memoryMi[0] + (memoryMi[1] - memoryMi[0]) * unitHash(`${name}/mem`)) * MiB,
  };
}

/** Prow component usage by name, for callers that only know the component (1m–35m, 12Mi–113Mi). */
export function componentUsage(name: string, seed: string, nowMs: number): { cpuMilli: number; memoryBytes: number } {
  const c = componentProfile(name) ?? small;
  return { cpuMilli: Math.round(sample(c.cpuMilli, seed, nowMs) * 1000) / 1000, memoryBytes: Math.round(sample(c.memoryMi, `${seed}/mem`, nowMs) * 1024) * 1024 };
}

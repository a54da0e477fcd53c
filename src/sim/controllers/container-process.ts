// What the processes in the simulated containers do, decided from the pod itself so every run is reproducible:
// a Prow test container runs for its job's run time and exits 0 or 1 (deterministic per pod uid, with the job's
// failure rate); a container started with `--config-path=<file>` crashes when no mounted ConfigMap provides that
// file (Prow components with a bad config volume → CrashLoopBackOff); everything else keeps running.
import { profileOf } from '../content/jobs.js';
import { unitHash } from '../content/names.js';
import { getPath, isObject, type KubeObject } from '../objects.js';

/** How a container's process behaves once started. */
export type ProcessModel =
  | { kind: 'runs' }
  | { kind: 'exits'; afterSeconds: number; exitCode: number }
  | { kind: 'crashes'; afterSeconds: number; exitCode: number; log: string };

/** Reads a ConfigMap by namespace and name (from the kubelet's cache). */
export type ConfigMapLookup = (namespace: string, name: string) => KubeObject | undefined;

/** The file a `--config-path=` argument names, if any. */
function configPath(container: Record<string, unknown>): string | undefined {
  const args = [...((container.command as string[]) ?? []), ...((container.args as string[]) ?? [])];
  for (const a of args) if (a.startsWith('--config-path=')) return a.slice('--config-path='.length);
  return undefined;
}

/** Whether some mounted ConfigMap volume provides `file` (honouring `items` key→path mappings). */
export function fileProvided(pod: KubeObject, container: Record<string, unknown>, file: string, lookup: ConfigMapLookup): boolean {
  const volumes = (getPath(pod, 'spec.volumes') as Record<string, unknown>[] | undefined) ?? [];
  for (const mount of (container.volumeMounts as { name: string; mountPath: string }[] | undefined) ?? []) {
    const base = mount.mountPath.replace(/\/+$/, '');
    if (!file.startsWith(`${base}/`)) continue;
    const rel = file.slice(base.length + 1);
    const volume = volumes.find((v) => v.name === mount.name);
    const cm = isObject(volume?.configMap) ? (volume!.configMap as { name: string; items?: { key: string; path: string }[] }) : undefined;
    if (!cm) continue;
    const data = (lookup(pod.metadata.namespace!, cm.name)?.data ?? {}) as Record<string, unknown>;
    if (cm.items) {
      const item = cm.items.find((i) => i.path === rel);
      if (item && item.key in data) return true;
    } else if (rel in data) {
      return true;
    }
  }
  return false;
}

/** The process model of one container of a pod. */
export function processModel(pod: KubeObject, container: Record<string, unknown>, lookup: ConfigMapLookup): ProcessModel {
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  if (pod.metadata.labels?.['created-by-prow'] === 'true' && container.name === 'test') {
    const job = pod.metadata.annotations?.['prow.k8s.io/job'] ?? '';
    const profile = profileOf(job);
    const [min, max] = profile.runSeconds;
    const afterSeconds = min + (max - min) * unitHash(`${uid}/runtime`);
    return { kind: 'exits', afterSeconds, exitCode: unitHash(`${uid}/outcome`) < profile.failureRate ? 1 : 0 };
  }
  const file = configPath(container);
  if (file && !fileProvided(pod, container, file, lookup)) {
    return { kind: 'crashes', afterSeconds: 2, exitCode: 1, log: `{"component":"${String(container.name)}","file":"sigs.k8s.io/prow/pkg/flagutil/config/config.go:85","func":"sigs.k8s.io/prow/pkg/flagutil/config.(*ConfigOptions).ValidateConfigOptional","level":"fatal","msg":"Error loading config: open ${file}: no such file or directory"}` };
  }
  return { kind: 'runs' };
}

/**
 * CrashLoopBackOff delay after the n-th restart: 10 s doubling up to 5 minutes.
 * @see k8s.io/kubernetes pkg/kubelet/kubelet.go (backOffPeriod, MaxContainerBackOff)
 */
export function backOffSeconds(restarts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, restarts - 1));
}

// Which Machines a MachineSet removes when it scales down (cluster-apis.md §1.6): machines already deleting, then
// those carrying cluster.x-k8s.io/delete-machine, then unhealthy ones (no Node yet, or NodeHealthy False), then the
// policy: Oldest (age-weighted), Newest (inverse) or Random (flat); ties are broken by name.
// @see kubernetes-sigs/cluster-api internal/controllers/machineset/machineset_deletion_order.go @v1.11.0
import { capiAnnotations } from '../content/capi.js';
import { getPath, type KubeObject } from '../objects.js';

const mustDelete = 100;
const shouldDelete = 75;
const betterDelete = 50;
const couldDelete = 20;
const mustNotDelete = 0;
const secondsPerTenDays = 864_000;

/** isMachineHealthy: a Node is linked and not reported unhealthy. */
function healthy(m: KubeObject, nodeHealthy: (m: KubeObject) => boolean): boolean {
  if (!getPath(m, 'status.nodeRef')) return false;
  return nodeHealthy(m);
}

function basePriority(m: KubeObject, nodeHealthy: (m: KubeObject) => boolean): number | undefined {
  if (m.metadata.deletionTimestamp) return mustDelete;
  if (capiAnnotations.deleteMachine in (m.metadata.annotations ?? {})) return shouldDelete;
  if (!healthy(m, nodeHealthy)) return betterDelete;
  return undefined;
}

function oldestPriority(m: KubeObject, nowMs: number): number {
  const created = Date.parse(m.metadata.creationTimestamp ?? '');
  if (!Number.isFinite(created)) return mustNotDelete;
  const age = (nowMs - created) / 1000;
  if (age < 0) return mustNotDelete;
  return mustDelete * (1 - Math.exp(-age / secondsPerTenDays));
}

/** The machines to delete, highest priority first. */
export function machinesToDelete(
  machines: KubeObject[],
  count: number,
  policy: 'Random' | 'Newest' | 'Oldest',
  nodeHealthy: (m: KubeObject) => boolean,
  nowMs: number,
): KubeObject[] {
  if (count <= 0) return [];
  const priority = (m: KubeObject): number => {
    const base = basePriority(m, nodeHealthy);
    if (base !== undefined) return base;
    if (policy === 'Oldest') return oldestPriority(m, nowMs);
    if (policy === 'Newest') return mustDelete - oldestPriority(m, nowMs);
    return couldDelete;
  };
  const ranked = machines.map((m) => ({ m, p: priority(m) }));
  ranked.sort((a, b) => b.p - a.p || (a.m.metadata.name! < b.m.metadata.name! ? -1 : 1));
  return ranked.slice(0, count).map((r) => r.m);
}

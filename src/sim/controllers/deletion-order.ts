// Which Machines a MachineSet removes when it scales down (cluster-apis.md §1.6): machines already deleting (100),
// those carrying cluster.x-k8s.io/delete-machine (80), unhealthy ones — no Node yet, or NodeHealthy False; Unknown
// is not counted — (50), then the policy: Oldest (age-weighted up to 50), Newest (50 minus that) or Random (20);
// ties are broken by name. (No in-place updates are simulated, so shouldDelete = 75 never applies.)
// @see kubernetes-sigs/cluster-api internal/controllers/machineset/machineset_deletion_order.go
import { capiAnnotations } from '../content/capi.js';
import { getPath, type KubeObject } from '../objects.js';

const mustDelete = 100;
const shouldDeleteFirst = 80;
const betterDelete = 50;
const couldDelete = 20;
const mustNotDelete = 0;
const secondsPerTenDays = 864_000;

/** isMachineHealthy: a Node is linked and the Machine's NodeHealthy condition is not False. */
function healthy(m: KubeObject, nodeHealthy: (m: KubeObject) => boolean): boolean {
  if (!getPath(m, 'status.nodeRef')) return false;
  return nodeHealthy(m);
}

function basePriority(m: KubeObject, nodeHealthy: (m: KubeObject) => boolean): number | undefined {
  if (m.metadata.deletionTimestamp) return mustDelete;
  if (capiAnnotations.deleteMachine in (m.metadata.annotations ?? {})) return shouldDeleteFirst;
  if (!healthy(m, nodeHealthy)) return betterDelete;
  return undefined;
}

function oldestPriority(m: KubeObject, nowMs: number): number {
  const created = Date.parse(m.metadata.creationTimestamp ?? '');
  if (!Number.isFinite(created)) return mustNotDelete;
  const age = (nowMs - created) / 1000;
  if (age < 0) return mustNotDelete;
  return betterDelete * (1 - Math.exp(-age / secondsPerTenDays));
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
    if (policy === 'Newest') return betterDelete - oldestPriority(m, nowMs);
    return couldDelete;
  };
  const ranked = machines.map((m) => ({ m, p: priority(m) }));
  ranked.sort((a, b) => b.p - a.p || (a.m.metadata.name! < b.m.metadata.name! ? -1 : 1));
  return ranked.slice(0, count).map((r) => r.m);
}

// The eviction subresource as kube-apiserver decides it: from the PodDisruptionBudget's status, which the disruption
// controller computes (the simulated one runs as an API client, like kube-controller-manager's). A budget whose
// status has not caught up with its spec answers "still being processed"; one with no disruption left answers 429;
// otherwise the allowance is spent (disruptionsAllowed − 1, the pod recorded in disruptedPods) and the pod deleted.
// @see k8s.io/kubernetes pkg/registry/core/pod/storage/eviction.go (Create, canIgnorePDB, checkAndDecrement)
import { ApiError } from './errors.js';
import { getPath, isObject, type KubeObject } from './objects.js';

/** What to do with an eviction: delete the pod, with the budget's new status to store first when one was spent. */
export type EvictionDecision = { pdb?: KubeObject };

/** A PodDisruptionBudget selector (matchLabels and matchExpressions) applied to a pod's labels. */
export function selectsPod(pdb: KubeObject, pod: KubeObject): boolean {
  const selector = getPath(pdb, 'spec.selector');
  if (!isObject(selector)) return false;
  const labels = pod.metadata.labels ?? {};
  const match = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(match).every(([k, v]) => labels[k] === v)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? (selector.matchExpressions as { key: string; operator: string; values?: string[] }[]) : [];
  if (Object.keys(match).length === 0 && expressions.length === 0) return true;
  return expressions.every((e) => {
    const has = e.key in labels;
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    if (e.operator === 'In') return has && (e.values ?? []).includes(labels[e.key]!);
    if (e.operator === 'NotIn') return !has || !(e.values ?? []).includes(labels[e.key]!);
    return false;
  });
}

const isReady = (pod: KubeObject) => {
  const conditions = getPath(pod, 'status.conditions');
  return Array.isArray(conditions) && conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
};

/** Terminal, pending or already deleting pods are evicted without asking any budget (canIgnorePDB). */
function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = getPath(pod, 'status.phase');
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

const tooMany = (cause: string, retryAfterSeconds: number) =>
  new ApiError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  });

/** Decides an eviction of `pod` given the budgets of its namespace; throws the API's 429/500/403 refusals. */
export function decideEviction(pod: KubeObject, budgets: KubeObject[], now: string): EvictionDecision {
  if (canIgnoreBudget(pod)) return {};
  const matching = budgets.filter((b) => selectsPod(b, pod));
  if (matching.length > 1) throw new ApiError(500, '', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = matching[0];
  if (!pdb) return {};
  const status = (isObject(pdb.status) ? pdb.status : {}) as Record<string, unknown>;
  const num = (k: string) => (typeof status[k] === 'number' ? (status[k] as number) : 0);
  const policy = getPath(pdb, 'spec.unhealthyPodEvictionPolicy');
  // An unready pod does not count as healthy: it may go when the budget is met anyway (IfHealthyBudget) or always.
  if (!isReady(pod) && (policy === 'AlwaysAllow' || (num('currentHealthy') >= num('desiredHealthy') && num('desiredHealthy') > 0))) return {};
  const name = pdb.metadata.name ?? '';
  if (num('observedGeneration') < Number(pdb.metadata.generation ?? 0)) throw tooMany(`The disruption budget ${name} is still being processed by the server.`, 10);
  if (num('disruptionsAllowed') < 0) {
    throw new ApiError(403, 'Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`, { name, group: 'policy', kind: 'poddisruptionbudget' });
  }
  if (num('disruptionsAllowed') === 0) throw tooMany(`The disruption budget ${name} needs ${num('desiredHealthy')} healthy pods and has ${num('currentHealthy')} currently`, 0);
  const disrupted = { ...(isObject(status.disruptedPods) ? status.disruptedPods : {}), [pod.metadata.name ?? '']: now };
  return { pdb: { ...pdb, status: { ...status, disruptionsAllowed: num('disruptionsAllowed') - 1, disruptedPods: disrupted } } };
}

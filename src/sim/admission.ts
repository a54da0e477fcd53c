// What kube-apiserver does to built-in objects on their way in, for the kinds the simulated controllers write:
// the registry strategies' PrepareForCreate (status is never taken from a create), the default admission plugins
// that touch pods (Priority, DefaultTolerationSeconds), the fields a pod update may change, and the binding
// subresource. (Field defaults are in ./defaults.ts.)
// @see k8s.io/kubernetes pkg/registry/core/pod/strategy.go, plugin/pkg/admission/priority,
//      plugin/pkg/admission/defaulttolerationseconds, pkg/apis/core/validation (ValidatePodUpdate),
//      pkg/registry/core/pod/storage/storage.go (BindingREST); test/k8s/OBSERVED.md
import { ApiError } from './errors.js';
import { getPath, isObject, jsonEqual, type KubeObject } from './objects.js';

/** The PriorityClasses every cluster has (created by kube-apiserver itself). */
const systemPriorityClasses: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

/**
 * A registry strategy's PrepareForCreate for the built-in kinds: the status a create sent is replaced by the kind's
 * initial one (a Node keeps its own: kubelets register with it), and a Namespace gets the `kubernetes` finalizer.
 */
export function prepareForCreate(kind: string, obj: KubeObject): void {
  const status = initialStatus(kind, obj);
  if (status !== undefined) obj.status = status;
  if (kind === 'Namespace') obj.spec = { ...(isObject(obj.spec) ? obj.spec : {}), finalizers: ['kubernetes'] };
}

function initialStatus(kind: string, obj: KubeObject): unknown {
  switch (kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: qosClass(obj) };
    case 'Deployment':
      return {};
    case 'ReplicaSet':
      return { replicas: 0 };
    case 'PodDisruptionBudget':
      return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    case 'Service':
      return { loadBalancer: {} };
    case 'VolumeAttachment':
      return { attached: false };
    case 'Namespace':
      return { phase: 'Active' };
    default:
      return undefined;
  }
}

type Container = { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };

/** BestEffort without any request or limit, Guaranteed when every container limits cpu and memory at its requests. */
export function qosClass(pod: KubeObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers = [...((getPath(pod, 'spec.containers') as Container[] | undefined) ?? []), ...((getPath(pod, 'spec.initContainers') as Container[] | undefined) ?? [])];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => ['cpu', 'memory'].every((r) => {
    const limit = c.resources?.limits?.[r];
    const request = c.resources?.requests?.[r] ?? limit;
    return limit !== undefined && request === limit;
  }));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/**
 * Admits a new pod: Priority (from its PriorityClass; a pod may not bring its own value) and DefaultTolerationSeconds
 * (300 s for not-ready and unreachable unless it tolerates them already). Throws the 403 the Priority plugin answers.
 */
export function admitPod(pod: KubeObject): void {
  const spec = (isObject(pod.spec) ? pod.spec : (pod.spec = {})) as Record<string, unknown>;
  const className = typeof spec.priorityClassName === 'string' && spec.priorityClassName !== '' ? spec.priorityClassName : undefined;
  const forbidden = (why: string) => new ApiError(403, 'Forbidden', `pods "${pod.metadata.name ?? ''}" is forbidden: ${why}`, { name: pod.metadata.name ?? '', kind: 'pods' });
  let priority = 0;
  if (className) {
    const value = systemPriorityClasses[className];
    if (value === undefined) throw forbidden(`no PriorityClass with name ${className} was found`);
    priority = value;
  }
  if (typeof spec.priority === 'number' && spec.priority !== priority) {
    throw forbidden(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []) as Record<string, unknown>[];
  for (const t of defaultTolerations) {
    const has = tolerations.some((x) => (x.key === t.key || (x.key === undefined && x.operator === 'Exists')) && (x.effect === 'NoExecute' || x.effect === undefined || x.effect === ''));
    if (!has) tolerations.push({ ...t });
  }
  spec.tolerations = tolerations;
}

/** The spec fields a pod update may change (ValidatePodUpdate), as its error message lists them. */
const mutable =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Why a pod update is refused (422), or undefined when its spec changes only what may change. */
export function podUpdateError(old: KubeObject, next: KubeObject): ApiError | undefined {
  const strip = (spec: unknown) => {
    const s = { ...(isObject(spec) ? spec : {}) } as Record<string, unknown>;
    for (const list of ['containers', 'initContainers']) {
      if (Array.isArray(s[list])) s[list] = (s[list] as Record<string, unknown>[]).map((c) => ({ ...c, image: undefined }));
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return JSON.parse(JSON.stringify(s)) as unknown;
  };
  const oldTolerations = (getPath(old, 'spec.tolerations') as unknown[] | undefined) ?? [];
  const newTolerations = (getPath(next, 'spec.tolerations') as unknown[] | undefined) ?? [];
  const keptTolerations = oldTolerations.every((t) => newTolerations.some((n) => jsonEqual(n, t)));
  if (jsonEqual(strip(old.spec), strip(next.spec)) && keptTolerations) return undefined;
  // kube-apiserver appends a diff of the internal Go structs to this message; that part is not simulated.
  const message = `Forbidden: pod updates may not change fields other than ${mutable}`;
  return new ApiError(422, 'Invalid', `Pod "${old.metadata.name ?? ''}" is invalid: spec: ${message}`, {
    name: old.metadata.name ?? '', kind: 'Pod', causes: [{ reason: 'FieldValueForbidden', message, field: 'spec' }],
  });
}

/**
 * POST pods/{name}/binding: assigns the node once and marks the pod scheduled; a pod that has a node already
 * answers 409 (BindingREST.assignPod, setPodNodeAndMetadata).
 */
export function bindPod(pod: KubeObject, binding: unknown, now: string): KubeObject {
  const name = pod.metadata.name ?? '';
  const target = isObject(binding) && isObject(binding.target) ? binding.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) {
    throw new ApiError(422, 'Invalid', `Binding.core "${name}" is invalid: target.name: Required value`, { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] });
  }
  const assigned = getPath(pod, 'spec.nodeName');
  if (typeof assigned === 'string' && assigned !== '') {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${assigned}"`, { name, kind: 'pods/binding' });
  }
  if (pod.metadata.deletionTimestamp) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`, { name, kind: 'pods/binding' });
  }
  const status = (isObject(pod.status) ? pod.status : {}) as Record<string, unknown>;
  const conditions = ((status.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'PodScheduled');
  return {
    ...pod,
    spec: { ...(pod.spec as Record<string, unknown>), nodeName: node },
    status: { ...status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] },
  };
}

// Projection of core objects (Node, Pod, Event, Deployment) to view records, run once per watch event: the
// raw object, its managedFields and everything the screens do not show are dropped here.
// @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod, printNode)
import { intern } from './intern.js';
import { containerRequests, podJob } from './prow.js';
import {
  at, conditions, controllerOf, cpuAt, flag, int, list, memoryAt, objectMeta, resourcesAt, strings, text, withDefined,
} from './read.js';
import type { DeploymentView, EventView, NodeConditionView, NodeView, PodView, Resources } from './types.js';

const roleLabel = 'node-role.kubernetes.io/';

/** Roles from `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role` (kubectl's findNodeRoles). */
export function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(roleLabel) && key.length > roleLabel.length) roles.add(key.slice(roleLabel.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return [...roles].sort();
}

/** A Node: health, heartbeat, taints, allocatable and the CAPI back-pointer annotations. */
export function projectNode(raw: unknown): NodeView {
  const labels = strings(raw, 'metadata.labels');
  const annotations = strings(raw, 'metadata.annotations');
  const all = conditions(raw, 'status.conditions');
  const ready = all.find((c) => c.type === 'Ready');
  const withHeartbeat = list(raw, 'status.conditions').flatMap((c) => {
    const type = text(c, 'type');
    if (!type) return [];
    return [withDefined<NodeConditionView>({ type, status: text(c, 'status') ?? 'Unknown' }, { reason: text(c, 'reason'), lastHeartbeatTime: text(c, 'lastHeartbeatTime') })];
  });
  const heartbeat = withHeartbeat.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  const address = list(raw, 'status.addresses').find((a) => text(a, 'type') === 'InternalIP');
  const pods = (path: string) => Number(text(raw, path) ?? int(raw, path) ?? 0);
  return withDefined<NodeView>(
    {
      ...objectMeta(raw),
      roles: nodeRoles(labels),
      unschedulable: flag(raw, 'spec.unschedulable') === true,
      ready: ready?.status ?? 'Unknown',
      pressure: all.filter((c) => c.type.endsWith('Pressure') && c.status === 'True').map((c) => c.type),
      conditions: withHeartbeat,
      taints: list(raw, 'spec.taints').flatMap((t) => {
        const key = text(t, 'key');
        return key ? [withDefined<NodeView['taints'][number]>({ key, effect: text(t, 'effect') ?? '' }, { value: text(t, 'value') })] : [];
      }),
      allocatable: { ...resourcesAt(raw, 'status.allocatable'), pods: pods('status.allocatable.pods') },
      capacity: { ...resourcesAt(raw, 'status.capacity'), pods: pods('status.capacity.pods') },
      volumesAttached: list(raw, 'status.volumesAttached').length,
    },
    {
      kubeletVersion: text(raw, 'status.nodeInfo.kubeletVersion'),
      readyReason: ready?.reason,
      readyMessage: ready?.message,
      lastHeartbeat: heartbeat,
      providerID: text(raw, 'spec.providerID'),
      internalIP: text(address, 'address'),
      machineName: annotations['cluster.x-k8s.io/machine'],
      machineNamespace: annotations['cluster.x-k8s.io/cluster-namespace'],
    },
  );
}

/**
 * The STATUS column of `kubectl get pods`: init progress, container waiting/terminated reasons, Terminating.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod)
 */
export function podStatusText(raw: unknown): string {
  let reason = text(raw, 'status.reason') ?? text(raw, 'status.phase') ?? 'Pending';
  const inits = list(raw, 'status.initContainerStatuses');
  const initTotal = list(raw, 'spec.initContainers').length;
  let initializing = false;
  inits.forEach((s, i) => {
    if (initializing) return;
    const code = int(s, 'state.terminated.exitCode');
    if (code === 0) return;
    initializing = true;
    const terminated = text(s, 'state.terminated.reason');
    const waiting = text(s, 'state.waiting.reason');
    if (code !== undefined) reason = terminated ? `Init:${terminated}` : `Init:ExitCode:${code}`;
    else if (waiting && waiting !== 'PodInitializing') reason = `Init:${waiting}`;
    else reason = `Init:${i}/${initTotal || inits.length}`;
  });
  if (!initializing) {
    let running = false;
    for (const s of [...list(raw, 'status.containerStatuses')].reverse()) {
      const waiting = text(s, 'state.waiting.reason');
      const terminated = text(s, 'state.terminated.reason');
      const code = int(s, 'state.terminated.exitCode');
      if (waiting) reason = waiting;
      else if (terminated) reason = terminated;
      else if (code !== undefined) reason = `ExitCode:${code}`;
      else if (at(s, 'state.running') && flag(s, 'ready')) running = true;
    }
    if (reason === 'Completed' && running) reason = 'Running';
  }
  if (text(raw, 'metadata.deletionTimestamp')) reason = text(raw, 'status.reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** Effective requests as the scheduler counts them: max(sum of containers, largest init container) + overhead. */
export function podRequests(raw: unknown): Resources {
  const sum = (path: string) =>
    list(raw, path).reduce<Resources>(
      (acc, c) => ({ cpuMilli: acc.cpuMilli + (cpuAt(c, 'resources.requests.cpu') ?? 0), memoryBytes: acc.memoryBytes + (memoryAt(c, 'resources.requests.memory') ?? 0) }),
      { cpuMilli: 0, memoryBytes: 0 },
    );
  const main = sum('spec.containers');
  for (const c of list(raw, 'spec.initContainers')) {
    main.cpuMilli = Math.max(main.cpuMilli, cpuAt(c, 'resources.requests.cpu') ?? 0);
    main.memoryBytes = Math.max(main.memoryBytes, memoryAt(c, 'resources.requests.memory') ?? 0);
  }
  return { cpuMilli: main.cpuMilli + (cpuAt(raw, 'spec.overhead.cpu') ?? 0), memoryBytes: main.memoryBytes + (memoryAt(raw, 'spec.overhead.memory') ?? 0) };
}

/** A Pod: placement, kubectl's status, restarts, requests, owner and Prow identity. */
export function projectPod(raw: unknown): PodView {
  const meta = objectMeta(raw);
  const statuses = list(raw, 'status.containerStatuses');
  const waiting = [...list(raw, 'status.initContainerStatuses'), ...statuses].flatMap((s) => text(s, 'state.waiting.reason') ?? []);
  const scheduled = list(raw, 'status.conditions').find((c) => text(c, 'type') === 'PodScheduled');
  const labels = strings(raw, 'metadata.labels');
  return withDefined<PodView>(
    {
      ...meta,
      namespace: meta.namespace ?? '',
      phase: intern(text(raw, 'status.phase') ?? 'Pending'),
      status: intern(podStatusText(raw)),
      readyContainers: statuses.filter((s) => flag(s, 'ready') === true).length,
      containers: list(raw, 'spec.containers').length,
      restarts: statuses.reduce<number>((n, s) => n + (int(s, 'restartCount') ?? 0), 0),
      waitingReasons: [...new Set(waiting)].map((reason) => intern(reason)),
      requests: podRequests(raw),
      containerRequests: containerRequests(raw, 'spec.containers'),
      labels,
    },
    {
      nodeName: intern(text(raw, 'spec.nodeName')),
      unschedulableMessage: text(scheduled, 'reason') === 'Unschedulable' ? text(scheduled, 'message') : undefined,
      owner: controllerOf(raw),
      startTime: text(raw, 'status.startTime'),
      job: podJob(meta.name, labels, strings(raw, 'metadata.annotations')),
    },
  );
}

/** A Warning event with the series and legacy count/timestamps folded together. */
export function projectEvent(raw: unknown): EventView {
  const meta = objectMeta(raw);
  return withDefined<EventView>(
    {
      ...meta,
      namespace: meta.namespace ?? '',
      type: text(raw, 'type') ?? 'Normal',
      reason: text(raw, 'reason') ?? '',
      message: text(raw, 'message') ?? '',
      count: int(raw, 'count') ?? int(raw, 'series.count') ?? 1,
      involved: withDefined<EventView['involved']>(
        { kind: text(raw, 'involvedObject.kind') ?? '', name: text(raw, 'involvedObject.name') ?? '' },
        { namespace: text(raw, 'involvedObject.namespace') },
      ),
    },
    {
      firstSeen: text(raw, 'firstTimestamp') ?? text(raw, 'eventTime'),
      lastSeen: text(raw, 'lastTimestamp') ?? text(raw, 'series.lastObservedTime') ?? text(raw, 'eventTime') ?? meta.created,
    },
  );
}

/** A Deployment (Prow components): replica counters and its pod selector. */
export function projectDeployment(raw: unknown): DeploymentView {
  const meta = objectMeta(raw);
  return {
    ...meta,
    namespace: meta.namespace ?? '',
    desired: int(raw, 'spec.replicas') ?? 1,
    ready: int(raw, 'status.readyReplicas') ?? 0,
    updated: int(raw, 'status.updatedReplicas') ?? 0,
    available: int(raw, 'status.availableReplicas') ?? 0,
    selector: strings(raw, 'spec.selector.matchLabels'),
  };
}

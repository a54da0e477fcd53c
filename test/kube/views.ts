// Builders for view records and models in summary tests: every field explicit where a test checks it, sensible
// defaults elsewhere, so that each expected value can be worked out by hand from the test itself.
import { applyEvents, emptyModel, type SourceEvent } from '../../src/kube/model.js';
import type { ClusterModel, KindId, MachineView, NodeView, PodView, ViewsByKind } from '../../src/kube/types.js';

/** A model holding exactly these views. */
export function modelWith(views: { [K in KindId]?: ViewsByKind[K][] }): ClusterModel {
  const events = Object.entries(views).map(([kind, items]) => ({ kind, event: { type: 'replace', items } }) as SourceEvent);
  return applyEvents(emptyModel(), events);
}

/** A Ready node with 8 cores / 16Gi allocatable unless overridden. */
export function node(name: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    name, uid: `u-${name}`, resourceVersion: '1', created: '2026-01-01T00:00:00Z', roles: [], unschedulable: false, ready: 'True', pressure: [], conditions: [], taints: [],
    allocatable: { cpuMilli: 8000, memoryBytes: 16 * 2 ** 30, pods: 110 }, capacity: { cpuMilli: 8000, memoryBytes: 16 * 2 ** 30, pods: 110 }, volumesAttached: 0,
    ...extra,
  };
}

/** A running pod without requests unless overridden. */
export function pod(namespace: string, name: string, extra: Partial<PodView> = {}): PodView {
  return {
    namespace, name, uid: `u-${name}`, resourceVersion: '1', phase: 'Running', status: 'Running', readyContainers: 1, containers: 1, restarts: 0,
    waitingReasons: [], requests: { cpuMilli: 0, memoryBytes: 0 }, containerRequests: [], labels: {}, ...extra,
  };
}

/** A Running machine without conditions unless overridden. */
export function machine(name: string, extra: Partial<MachineView> = {}): MachineView {
  return {
    namespace: 'default', name, uid: `u-${name}`, resourceVersion: '1', created: '2026-01-01T00:00:00Z', phase: 'Running', isControlPlane: false,
    conditions: [], legacyConditions: [], markedForDeletion: false, excludeNodeDraining: false, ...extra,
  };
}

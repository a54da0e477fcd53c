// Projection of CAPI objects to version-neutral views, reading every version-dependent field through the
// adapter's path tables (capi.ts). Owner links follow ownerReferences and CAPI's linking labels.
// @see /work/shared/reference/cluster-apis.md §1.1, §1.5, §1.7, §1.8
import { capiLabels, readTimeouts, templateTimeouts, type CapiPaths, type CounterPaths, type KcpPaths } from './capi.js';
import { conditions, controllerOf, flag, int, objectMeta, strings, text, withDefined } from './read.js';
import type { MachineSetView, MachineView, ReplicaCounters, RolloutOwnerView } from './types.js';

const has = (map: Record<string, string>, key: string) => Object.prototype.hasOwnProperty.call(map, key);

/** A Machine as the machines screen and the recover-node runbook need it. */
export function projectMachine(raw: unknown, paths: CapiPaths): MachineView {
  const labels = strings(raw, 'metadata.labels');
  const annotations = strings(raw, 'metadata.annotations');
  const meta = objectMeta(raw);
  const infraKind = text(raw, 'spec.infrastructureRef.kind');
  const infraName = text(raw, 'spec.infrastructureRef.name');
  const view: MachineView = {
    ...meta,
    namespace: meta.namespace ?? '',
    phase: text(raw, 'status.phase') ?? 'Unknown',
    isControlPlane: has(labels, capiLabels.controlPlane),
    conditions: conditions(raw, paths.conditions),
    legacyConditions: conditions(raw, paths.legacyConditions),
    markedForDeletion: has(annotations, capiLabels.deleteMachine),
    excludeNodeDraining: has(annotations, capiLabels.excludeNodeDraining),
    ...readTimeouts(raw, paths.machineTimeouts),
  };
  return withDefined(view, {
    clusterName: text(raw, 'spec.clusterName') ?? labels[capiLabels.clusterName],
    owner: controllerOf(raw),
    deploymentName: labels[capiLabels.deploymentName],
    controlPlaneName: labels[capiLabels.controlPlaneName],
    version: text(raw, 'spec.version'),
    providerID: text(raw, 'spec.providerID'),
    nodeName: text(raw, 'status.nodeRef.name'),
    infrastructure: infraKind && infraName ? { kind: infraKind, name: infraName } : undefined,
    drainStartedAt: text(raw, 'status.deletion.nodeDrainStartTime'),
    volumeDetachStartedAt: text(raw, 'status.deletion.waitForNodeVolumeDetachStartTime'),
    failureReason: text(raw, paths.failureReason),
    failureMessage: text(raw, paths.failureMessage),
    templateHash: labels[capiLabels.templateHash],
  });
}

function counters(raw: unknown, paths: CounterPaths): ReplicaCounters {
  return withDefined<ReplicaCounters>({}, {
    desired: int(raw, 'spec.replicas'),
    replicas: int(raw, 'status.replicas'),
    ready: int(raw, paths.ready),
    available: int(raw, paths.available),
    upToDate: int(raw, paths.upToDate),
  });
}

/** A MachineSet: counters, revision and template hash, to tell old machines from new ones. */
export function projectMachineSet(raw: unknown, paths: CapiPaths): MachineSetView {
  const meta = objectMeta(raw);
  const labels = strings(raw, 'metadata.labels');
  const revision = Number(strings(raw, 'metadata.annotations')[capiLabels.revision]);
  return withDefined<MachineSetView>({ ...meta, namespace: meta.namespace ?? '', ...counters(raw, paths.counters) }, {
    deploymentName: labels[capiLabels.deploymentName],
    templateHash: labels[capiLabels.templateHash] ?? strings(raw, 'spec.selector.matchLabels')[capiLabels.templateHash],
    revision: Number.isFinite(revision) && revision > 0 ? revision : undefined,
    version: text(raw, 'spec.template.spec.version'),
  });
}

function rollingOut(list: RolloutOwnerView['conditions']): boolean | undefined {
  const c = list.find((x) => x.type === 'RollingOut');
  return c ? c.status === 'True' : undefined;
}

/** A MachineDeployment as a rollout owner. */
export function projectMachineDeployment(raw: unknown, paths: CapiPaths): RolloutOwnerView {
  const meta = objectMeta(raw);
  const list = conditions(raw, paths.conditions);
  return withDefined<RolloutOwnerView>(
    {
      ...meta,
      namespace: meta.namespace ?? '',
      kind: 'MachineDeployment',
      ...counters(raw, paths.counters),
      paused: flag(raw, 'spec.paused') === true || has(strings(raw, 'metadata.annotations'), capiLabels.paused),
      conditions: list,
      templateDeletion: readTimeouts(raw, templateTimeouts(paths)),
    },
    {
      clusterName: text(raw, 'spec.clusterName'),
      generation: int(raw, 'metadata.generation'),
      observedGeneration: int(raw, 'status.observedGeneration'),
      version: text(raw, 'spec.template.spec.version'),
      phase: text(raw, 'status.phase'),
      rollingOut: rollingOut(list),
    },
  );
}

/** A KubeadmControlPlane as a rollout owner; `statusVersion` is the lowest version among its machines. */
export function projectControlPlane(raw: unknown, paths: KcpPaths): RolloutOwnerView {
  const meta = objectMeta(raw);
  const list = conditions(raw, paths.conditions);
  const labels = strings(raw, 'metadata.labels');
  return withDefined<RolloutOwnerView>(
    {
      ...meta,
      namespace: meta.namespace ?? '',
      kind: 'KubeadmControlPlane',
      ...counters(raw, paths.counters),
      paused: has(strings(raw, 'metadata.annotations'), capiLabels.paused),
      conditions: list,
      templateDeletion: readTimeouts(raw, paths.templateTimeouts),
    },
    {
      clusterName: labels[capiLabels.clusterName],
      generation: int(raw, 'metadata.generation'),
      observedGeneration: int(raw, 'status.observedGeneration'),
      version: text(raw, 'spec.version'),
      statusVersion: text(raw, 'status.version'),
      rollingOut: rollingOut(list),
    },
  );
}

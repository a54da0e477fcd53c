// The Cluster API adapter: every path that differs between CAPI v1beta1 and v1beta2 (Machine, MachineSet,
// MachineDeployment) and KubeadmControlPlane, declared as data, plus the patch shapes that write them. Nothing
// else in deckhand knows these version strings; projection (capi-project.ts) reads through the tables.
// @see /work/shared/reference/cluster-apis.md §1 (field maps per version)
// @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.11.0/docs/book/src/developer/providers/migrations/v1.10-to-v1.11.md
import { formatGoDuration, parseGoDuration } from '../format/duration.js';
import type { ApiFamily } from './discovery.js';
import { at, nested, type Json } from './read.js';
import type { DeletionTimeouts } from './types.js';

/** CAPI core: Machines, MachineSets, MachineDeployments. */
export const capiFamily: ApiFamily = {
  id: 'capi',
  title: 'Cluster API',
  group: 'cluster.x-k8s.io',
  versions: ['v1beta2', 'v1beta1'],
  resources: ['machines', 'machinesets', 'machinedeployments'],
};

/** KubeadmControlPlane. */
export const kcpFamily: ApiFamily = {
  id: 'kcp',
  title: 'KubeadmControlPlane',
  group: 'controlplane.cluster.x-k8s.io',
  versions: ['v1beta2', 'v1beta1'],
  resources: ['kubeadmcontrolplanes'],
};

/** A timeout field: a Go duration string (v1beta1) or whole seconds (v1beta2). */
export interface TimeoutField {
  path: string;
  unit: 'duration' | 'seconds';
}

/** Deletion timeouts, relative to the object (Machine) or to its machine template. */
export interface TimeoutFields {
  nodeDrainSeconds: TimeoutField;
  nodeVolumeDetachSeconds: TimeoutField;
  nodeDeletionSeconds: TimeoutField;
}

/** Replica counter paths; "ready" and "upToDate" mean what that version means by them. */
export interface CounterPaths {
  ready: string;
  available: string;
  upToDate: string;
}

/** Every version-dependent path of CAPI core at one version. */
export interface CapiPaths {
  machineTimeouts: TimeoutFields;
  /** Where MachineDeployment/MachineSet templates keep the same timeouts. */
  templatePrefix: string;
  conditions: string;
  legacyConditions: string;
  failureReason: string;
  failureMessage: string;
  counters: CounterPaths;
}

/** Every version-dependent path of KubeadmControlPlane at one version. */
export interface KcpPaths {
  templatePrefix: string;
  templateTimeouts: TimeoutFields;
  conditions: string;
  counters: CounterPaths;
  initialized: string;
}

const durations = (prefix = 'spec.'): TimeoutFields => ({
  nodeDrainSeconds: { path: `${prefix}nodeDrainTimeout`, unit: 'duration' },
  nodeVolumeDetachSeconds: { path: `${prefix}nodeVolumeDetachTimeout`, unit: 'duration' },
  nodeDeletionSeconds: { path: `${prefix}nodeDeletionTimeout`, unit: 'duration' },
});
const seconds = (prefix = 'spec.'): TimeoutFields => ({
  nodeDrainSeconds: { path: `${prefix}deletion.nodeDrainTimeoutSeconds`, unit: 'seconds' },
  nodeVolumeDetachSeconds: { path: `${prefix}deletion.nodeVolumeDetachTimeoutSeconds`, unit: 'seconds' },
  nodeDeletionSeconds: { path: `${prefix}deletion.nodeDeletionTimeoutSeconds`, unit: 'seconds' },
});

const capiPaths: Record<string, CapiPaths> = {
  v1beta1: {
    machineTimeouts: durations(),
    templatePrefix: 'spec.template.spec.',
    conditions: 'status.v1beta2.conditions',
    legacyConditions: 'status.conditions',
    failureReason: 'status.failureReason',
    failureMessage: 'status.failureMessage',
    counters: { ready: 'status.readyReplicas', available: 'status.availableReplicas', upToDate: 'status.updatedReplicas' },
  },
  v1beta2: {
    machineTimeouts: seconds(),
    templatePrefix: 'spec.template.spec.',
    conditions: 'status.conditions',
    legacyConditions: 'status.deprecated.v1beta1.conditions',
    failureReason: 'status.deprecated.v1beta1.failureReason',
    failureMessage: 'status.deprecated.v1beta1.failureMessage',
    counters: { ready: 'status.readyReplicas', available: 'status.availableReplicas', upToDate: 'status.upToDateReplicas' },
  },
};

const kcpPaths: Record<string, KcpPaths> = {
  v1beta1: {
    templatePrefix: 'spec.machineTemplate.',
    templateTimeouts: durations('spec.machineTemplate.'),
    conditions: 'status.v1beta2.conditions',
    counters: { ready: 'status.readyReplicas', available: 'status.v1beta2.availableReplicas', upToDate: 'status.updatedReplicas' },
    initialized: 'status.initialized',
  },
  v1beta2: {
    templatePrefix: 'spec.machineTemplate.spec.',
    templateTimeouts: seconds('spec.machineTemplate.spec.'),
    conditions: 'status.conditions',
    counters: { ready: 'status.readyReplicas', available: 'status.availableReplicas', upToDate: 'status.upToDateReplicas' },
    initialized: 'status.initialization.controlPlaneInitialized',
  },
};

/** The CAPI core paths for a discovered version; throws for a version the family does not declare. */
export function capiPathsFor(version: string): CapiPaths {
  const paths = capiPaths[version];
  if (!paths) throw new Error(`no Cluster API paths for ${version} (supported: ${capiFamily.versions.join(', ')})`);
  return paths;
}

/** The KubeadmControlPlane paths for a discovered version. */
export function kcpPathsFor(version: string): KcpPaths {
  const paths = kcpPaths[version];
  if (!paths) throw new Error(`no KubeadmControlPlane paths for ${version} (supported: ${kcpFamily.versions.join(', ')})`);
  return paths;
}

/** Timeouts in seconds from whichever representation the version stores; an unparseable duration is undefined. */
export function readTimeouts(obj: unknown, fields: TimeoutFields): DeletionTimeouts {
  const read = (f: TimeoutField): number | undefined => {
    const value = at(obj, f.path);
    if (f.unit === 'seconds') return typeof value === 'number' ? value : undefined;
    if (typeof value !== 'string') return undefined;
    try {
      return parseGoDuration(value) / 1000;
    } catch {
      return undefined;
    }
  };
  const out: DeletionTimeouts = {};
  for (const key of ['nodeDrainSeconds', 'nodeVolumeDetachSeconds', 'nodeDeletionSeconds'] as const) {
    const value = read(fields[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A merge patch setting deletion timeouts: Go durations such as "10m0s" for v1beta1, whole seconds for v1beta2.
 * Only the given timeouts are sent, so v1beta2's `deletion: {}` (MinProperties=1) can never be produced.
 */
export function timeoutsPatch(fields: TimeoutFields, timeouts: DeletionTimeouts): Json {
  const entries = (['nodeDrainSeconds', 'nodeVolumeDetachSeconds', 'nodeDeletionSeconds'] as const).flatMap((key) => {
    const value = timeouts[key];
    if (value === undefined) return [];
    const field = fields[key];
    return [[field.path, field.unit === 'seconds' ? Math.round(value) : formatGoDuration(Math.round(value) * 1000)] as const];
  });
  if (entries.length === 0) throw new Error('timeoutsPatch: no timeout given');
  return nested(entries);
}

/** The template timeout fields of a MachineDeployment or MachineSet at this version. */
export function templateTimeouts(paths: CapiPaths): TimeoutFields {
  const relative = (f: TimeoutField): TimeoutField => ({ ...f, path: paths.templatePrefix + f.path.slice('spec.'.length) });
  const m = paths.machineTimeouts;
  return { nodeDrainSeconds: relative(m.nodeDrainSeconds), nodeVolumeDetachSeconds: relative(m.nodeVolumeDetachSeconds), nodeDeletionSeconds: relative(m.nodeDeletionSeconds) };
}

/** Labels and annotations CAPI links objects with (cluster-apis.md §1.5). */
export const capiLabels = {
  clusterName: 'cluster.x-k8s.io/cluster-name',
  deploymentName: 'cluster.x-k8s.io/deployment-name',
  setName: 'cluster.x-k8s.io/set-name',
  controlPlane: 'cluster.x-k8s.io/control-plane',
  controlPlaneName: 'cluster.x-k8s.io/control-plane-name',
  templateHash: 'machine-template-hash',
  deleteMachine: 'cluster.x-k8s.io/delete-machine',
  excludeNodeDraining: 'machine.cluster.x-k8s.io/exclude-node-draining',
  paused: 'cluster.x-k8s.io/paused',
  revision: 'machinedeployment.clusters.x-k8s.io/revision',
  nodeMachine: 'cluster.x-k8s.io/machine',
  nodeClusterNamespace: 'cluster.x-k8s.io/cluster-namespace',
} as const;

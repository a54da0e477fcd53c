// The watched kinds, declared as data: API group and resource, scope, the family that must be installed, and
// the projector for the version discovery chose. Adding a kind is adding an entry here and a view type.
import { capiFamily, capiPathsFor, kcpFamily, kcpPathsFor } from './capi.js';
import { projectControlPlane, projectMachine, projectMachineDeployment, projectMachineSet } from './capi-project.js';
import { capoFamily, capoPathsFor, projectOpenStackCluster, projectOpenStackMachine } from './capo.js';
import type { ApiFamily, Discovery } from './discovery.js';
import { projectDeployment, projectEvent, projectNode, projectPod } from './project.js';
import { projectProwJob, prowFamily } from './prow.js';
import type { KindId, ViewsByKind } from './types.js';

/** Which namespaces a kind is watched in. */
export type KindScope =
  | 'cluster' // cluster-scoped
  | 'all' // all namespaces
  | 'pod-namespaces' // all namespaces, or only the profile's namespaces
  | 'prow-namespace'; // only the Prow namespace

/** One watched kind. */
export interface KindSpec<K extends KindId = KindId> {
  id: K;
  title: string;
  /** Core kinds carry their group/version; optional kinds take both from their family and discovery. */
  api: { group: string; version: string } | ApiFamily;
  plural: string;
  scope: KindScope;
  fieldSelector?: string;
  /** The projector for a discovered version (ignored by core kinds). */
  projector(version: string): (raw: unknown) => ViewsByKind[K];
}

/** A projector factory that looks the version's paths up once, not per event. */
const using =
  <P, V>(pathsFor: (version: string) => P, project: (raw: unknown, paths: P) => V) =>
  (version: string) => {
    const paths = pathsFor(version);
    return (raw: unknown) => project(raw, paths);
  };

/** Every kind deckhand watches, by id. */
export const kinds: { readonly [K in KindId]: KindSpec<K> } = {
  nodes: { id: 'nodes', title: 'Nodes', api: { group: '', version: 'v1' }, plural: 'nodes', scope: 'cluster', projector: () => projectNode },
  pods: { id: 'pods', title: 'Pods', api: { group: '', version: 'v1' }, plural: 'pods', scope: 'pod-namespaces', projector: () => projectPod },
  events: {
    id: 'events', title: 'Warning events', api: { group: '', version: 'v1' }, plural: 'events', scope: 'all',
    fieldSelector: 'type=Warning', projector: () => projectEvent,
  },
  deployments: {
    id: 'deployments', title: 'Prow deployments', api: { group: 'apps', version: 'v1' }, plural: 'deployments', scope: 'prow-namespace',
    projector: () => projectDeployment,
  },
  machines: {
    id: 'machines', title: 'Machines', api: capiFamily, plural: 'machines', scope: 'all',
    projector: using(capiPathsFor, projectMachine),
  },
  machineSets: {
    id: 'machineSets', title: 'MachineSets', api: capiFamily, plural: 'machinesets', scope: 'all',
    projector: using(capiPathsFor, projectMachineSet),
  },
  machineDeployments: {
    id: 'machineDeployments', title: 'MachineDeployments', api: capiFamily, plural: 'machinedeployments', scope: 'all',
    projector: using(capiPathsFor, projectMachineDeployment),
  },
  controlPlanes: {
    id: 'controlPlanes', title: 'KubeadmControlPlanes', api: kcpFamily, plural: 'kubeadmcontrolplanes', scope: 'all',
    projector: using(kcpPathsFor, projectControlPlane),
  },
  openstackClusters: {
    id: 'openstackClusters', title: 'OpenStackClusters', api: capoFamily, plural: 'openstackclusters', scope: 'all',
    projector: using(capoPathsFor, projectOpenStackCluster),
  },
  openstackMachines: {
    id: 'openstackMachines', title: 'OpenStackMachines', api: capoFamily, plural: 'openstackmachines', scope: 'all',
    projector: using(capoPathsFor, projectOpenStackMachine),
  },
  prowJobs: { id: 'prowJobs', title: 'ProwJobs', api: prowFamily, plural: 'prowjobs', scope: 'all', projector: () => projectProwJob },
};

/** Every kind id, in the order screens list them. */
export const kindIds = Object.keys(kinds) as KindId[];

/** The optional API families whose discovery decides what is watched (metrics is added by the metrics poller). */
export const watchedFamilies: readonly ApiFamily[] = [capiFamily, kcpFamily, capoFamily, prowFamily];

/** A kind resolved against discovery: either its API path prefix and projector, or why it is not available. */
export type ResolvedKind<K extends KindId = KindId> =
  | { installed: true; spec: KindSpec<K>; group: string; version: string; project: (raw: unknown) => ViewsByKind[K] }
  | { installed: false; spec: KindSpec<K>; reason: string };

/** Resolves a kind's version and projector from discovery. */
export function resolveKind<K extends KindId>(spec: KindSpec<K>, discovery: Discovery): ResolvedKind<K> {
  if ('id' in spec.api) {
    const support = discovery.families[spec.api.id];
    if (!support.installed) return { installed: false, spec, reason: support.reason };
    return { installed: true, spec, group: spec.api.group, version: support.version, project: spec.projector(support.version) };
  }
  return { installed: true, spec, group: spec.api.group, version: spec.api.version, project: spec.projector(spec.api.version) };
}

/** The collection path of a kind, optionally in one namespace: `/api/v1/pods`, `/apis/g/v/namespaces/ns/plural`. */
export function collectionPath(group: string, version: string, plural: string, namespace?: string): string {
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return `${prefix}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${plural}`;
}

/** The key a view is stored under: `namespace/name`, or `name` for cluster-scoped objects. */
export function viewKey(view: { namespace?: string; name: string }): string {
  return view.namespace ? `${view.namespace}/${view.name}` : view.name;
}

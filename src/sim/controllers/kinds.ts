// The resources the controllers read and write, at the API versions the scenario's controllers speak: CAPI 1.10
// controllers use v1beta1, CAPI ≥ 1.11 controllers v1beta2; CAPO 0.9 v1alpha7, CAPO 0.14 v1beta1.
import type { ResourceType } from '../client.js';
import type { Scenario } from '../scenario.js';

const core = (plural: string, kind: string, namespaced = true): ResourceType => ({ group: '', version: 'v1', plural, kind, namespaced });

/** The resource table of one scenario. */
export function kindsFor(s: Pick<Scenario, 'capi' | 'capo'>) {
  const capi = (plural: string, kind: string): ResourceType => ({ group: 'cluster.x-k8s.io', version: s.capi, plural, kind, namespaced: true });
  const capo = (plural: string, kind: string): ResourceType => ({ group: 'infrastructure.cluster.x-k8s.io', version: s.capo, plural, kind, namespaced: true });
  return {
    namespaces: core('namespaces', 'Namespace', false),
    nodes: core('nodes', 'Node', false),
    pods: core('pods', 'Pod'),
    events: core('events', 'Event'),
    secrets: core('secrets', 'Secret'),
    configMaps: core('configmaps', 'ConfigMap'),
    services: core('services', 'Service'),
    deployments: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true } as ResourceType,
    replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true } as ResourceType,
    pdbs: { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true } as ResourceType,
    volumeAttachments: { group: 'storage.k8s.io', version: 'v1', plural: 'volumeattachments', kind: 'VolumeAttachment', namespaced: false } as ResourceType,
    leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true } as ResourceType,
    clusters: capi('clusters', 'Cluster'),
    machines: capi('machines', 'Machine'),
    machineSets: capi('machinesets', 'MachineSet'),
    machineDeployments: capi('machinedeployments', 'MachineDeployment'),
    kubeadmControlPlanes: { group: 'controlplane.cluster.x-k8s.io', version: s.capi, plural: 'kubeadmcontrolplanes', kind: 'KubeadmControlPlane', namespaced: true } as ResourceType,
    openStackClusters: capo('openstackclusters', 'OpenStackCluster'),
    openStackMachines: capo('openstackmachines', 'OpenStackMachine'),
    openStackMachineTemplates: capo('openstackmachinetemplates', 'OpenStackMachineTemplate'),
    prowJobs: { group: 'prow.k8s.io', version: 'v1', plural: 'prowjobs', kind: 'ProwJob', namespaced: true } as ResourceType,
  };
}

/** The resource table type. */
export type Kinds = ReturnType<typeof kindsFor>;

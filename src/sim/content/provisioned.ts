// A Machine that is already running, as it looks after `clusterctl move` into the self-hosted cluster: the Machine,
// its ACTIVE OpenStackMachine (same name, providerID, address) and its Ready Node annotated with the Machine. Used
// to seed a cluster that is up from the start instead of provisioning every node at launch.
import { timestamp, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import { capiAnnotations, capiLabels } from './capi.js';
import { machineObject } from './capi-objects.js';
import { imageName, openStackMachineObject, providerId } from './capo.js';
import { hexString, type Random, uuid } from './names.js';
import { nodeObject } from './nodes.js';

/** What to build it from. */
export interface ProvisionInput {
  scenario: Scenario;
  name: string;
  owner: KubeObject;
  template: KubeObject;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
  address: string;
  role: 'worker' | 'control-plane';
  random: Random;
  nowMs: number;
}

/** The Machine of a running machine (with its finalizer and providerID); `serverId` is its Nova server. */
export function provisionedMachineObject(input: ProvisionInput, serverId: string): KubeObject {
  const s = input.scenario;
  const machine = machineObject(s.capi, {
    name: input.name, namespace: s.clusterNamespace, owner: input.owner, labels: input.labels, annotations: input.annotations,
    spec: { ...input.spec, providerID: providerId(s.capo, serverId) }, infraApiVersion: input.template.apiVersion, bootstrapSecret: input.name,
  });
  machine.metadata.finalizers = ['machine.cluster.x-k8s.io'];
  return machine;
}

/** The ACTIVE OpenStackMachine and Ready Node of a stored Machine; both carry their status (write it through /status). */
export function provisionedInfra(input: ProvisionInput, machine: KubeObject, serverId: string): { openStackMachine: KubeObject; node: KubeObject } {
  const s = input.scenario;
  const pid = providerId(s.capo, serverId);
  const osm = openStackMachineObject(input.template, machine, s.clusterName);
  osm.metadata.finalizers = ['openstackmachine.infrastructure.cluster.x-k8s.io'];
  (osm.spec as Record<string, unknown>).providerID = pid;
  if (s.capo === 'v1alpha7') (osm.spec as Record<string, unknown>).instanceID = serverId;
  const t = timestamp(input.nowMs);
  osm.status = {
    ...(s.capo === 'v1beta1' ? { instanceID: serverId, initialization: { provisioned: true } } : {}),
    instanceState: 'ACTIVE',
    ready: true,
    addresses: [{ type: 'InternalIP', address: input.address }],
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }, { type: 'InstanceReady', status: 'True', lastTransitionTime: t }],
  };
  const templateSpec = (input.template.spec as { template?: { spec?: { flavor?: string } } }).template?.spec;
  const shape = input.role === 'control-plane' ? s.controlPlane : s.worker;
  const node = nodeObject({
    name: input.name, providerID: pid, role: input.role, capacity: shape,
    kubeletVersion: String(input.spec.version ?? s.kubernetesVersion), internalIP: input.address,
    image: imageName(templateSpec) ?? 'ubuntu-2204-kube', flavor: String(templateSpec?.flavor ?? 'm1.large'),
    serverId, bootId: uuid(input.random), machineId: hexString(input.random, 32), nowMs: input.nowMs, fresh: false,
  });
  node.metadata.annotations = {
    ...(node.metadata.annotations ?? {}),
    [capiAnnotations.nodeMachine]: input.name,
    [capiAnnotations.nodeClusterName]: s.clusterName,
    [capiAnnotations.nodeClusterNamespace]: s.clusterNamespace,
    [capiAnnotations.nodeOwnerKind]: input.owner.kind,
    [capiAnnotations.nodeOwnerName]: input.owner.metadata.name!,
  };
  return { openStackMachine: osm, node };
}

/** The labels of a MachineSet-owned machine. */
export function machineSetMachineLabels(ms: KubeObject, clusterName: string): Record<string, string> {
  return {
    ...((ms.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels ?? {}),
    [capiLabels.clusterName]: clusterName,
    [capiLabels.setName]: ms.metadata.name!,
    ...(ms.metadata.labels?.[capiLabels.deploymentName] ? { [capiLabels.deploymentName]: ms.metadata.labels[capiLabels.deploymentName]! } : {}),
  };
}

/** The labels of a KCP-owned machine. */
export function controlPlaneMachineLabels(kcp: KubeObject, clusterName: string): Record<string, string> {
  return { [capiLabels.clusterName]: clusterName, [capiLabels.controlPlane]: '', [capiLabels.controlPlaneName]: kcp.metadata.name! };
}

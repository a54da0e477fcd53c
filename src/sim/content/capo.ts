// Cluster API Provider OpenStack objects in either API version, with cluster-apis.md §2's field names:
// v1alpha7 (CAPO 0.9: `allowedCidrs`, `bastion.instance.image` string, bastion off unless enabled) and v1beta1
// (CAPO 0.14: `allowedCIDRs`, `bastion.spec.image` ImageParam, `enabled` defaulting to true).
import { clone, getPath, isObject, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import { capiAnnotations, capiLabels, controllerRef, groups } from './capi.js';

/** The two CAPO API versions. */
export type CapoVersion = 'v1alpha7' | 'v1beta1';

/** infrastructure.cluster.x-k8s.io/<version>. */
export function infraApiVersion(v: CapoVersion): string {
  return `${groups.infra}/${v}`;
}

/** Finalizers CAPO puts on its objects. */
export const capoFinalizers = {
  cluster: 'openstackcluster.infrastructure.cluster.x-k8s.io',
  machine: 'openstackmachine.infrastructure.cluster.x-k8s.io',
} as const;

/** The annotation CAPO ≤ 0.10 stores the bastion spec hash in (cluster-apis.md §2.3). */
export const bastionHashAnnotation = 'infrastructure.cluster.x-k8s.io/bastion-hash';

/** The OpenStack region the simulated cloud calls itself. */
export const region = 'RegionOne';

/** An image reference as each version writes it. */
function imageField(v: CapoVersion, image: string): Record<string, unknown> {
  return v === 'v1alpha7' ? { image } : { image: { filter: { name: image } } };
}

/** The OpenStackCluster `prow`: API load balancer admitting only the cluster network, bastion enabled. */
export function openStackClusterObject(s: Scenario, clusterNetworkCidr: string): KubeObject {
  const v = s.capo;
  const bastionSpec = { flavor: 'm1.small', sshKeyName: 'prow-bastion', ...imageField(v, s.bastionImage) };
  const spec: Record<string, unknown> = {
    identityRef: v === 'v1alpha7' ? { kind: 'Secret', name: 'prow-cloud-config' } : { type: 'Secret', name: 'prow-cloud-config', cloudName: 'openstack', region },
    externalNetwork: v === 'v1alpha7' ? undefined : { id: '6a1e2f1c-94b8-4c9c-9f51-3b5fa4a0e1d2' },
    disableAPIServerFloatingIP: false,
    apiServerLoadBalancer: v === 'v1alpha7' ? { enabled: true, allowedCidrs: [clusterNetworkCidr] } : { enabled: true, allowedCIDRs: [clusterNetworkCidr] },
    bastion: v === 'v1alpha7' ? { enabled: true, instance: bastionSpec } : { enabled: true, spec: bastionSpec },
  };
  if (v === 'v1alpha7') {
    spec.cloudName = 'openstack';
    spec.externalNetworkId = '6a1e2f1c-94b8-4c9c-9f51-3b5fa4a0e1d2';
    spec.nodeCidr = clusterNetworkCidr;
    spec.managedSecurityGroups = true;
    spec.allowAllInClusterTraffic = true;
    delete spec.externalNetwork;
  } else {
    spec.managedSubnets = [{ cidr: clusterNetworkCidr, dnsNameservers: ['1.1.1.1'] }];
    spec.managedSecurityGroups = { allowAllInClusterTraffic: true };
  }
  return {
    apiVersion: infraApiVersion(v),
    kind: 'OpenStackCluster',
    metadata: { name: s.clusterName, namespace: s.clusterNamespace, labels: { [capiLabels.clusterName]: s.clusterName } },
    spec,
  };
}

/** An OpenStackMachineTemplate (flavor, image, key). */
export function openStackMachineTemplateObject(s: Scenario, name: string, opts: { flavor: string; image: string }): KubeObject {
  const v = s.capo;
  const spec: Record<string, unknown> = { flavor: opts.flavor, sshKeyName: 'prow-bastion', ...imageField(v, opts.image) };
  if (v === 'v1alpha7') spec.cloudName = 'openstack';
  else spec.identityRef = { type: 'Secret', name: 'prow-cloud-config', cloudName: 'openstack', region };
  return {
    apiVersion: infraApiVersion(v),
    kind: 'OpenStackMachineTemplate',
    metadata: { name, namespace: s.clusterNamespace, labels: { [capiLabels.clusterName]: s.clusterName } },
    spec: { template: { spec } },
  };
}

/**
 * An OpenStackMachine cloned from a template, as CAPI's external.CreateFromTemplate does: same spec, the
 * cloned-from annotations, owned by the Machine (same name, so the server and the Node get that name too).
 * @see kubernetes-sigs/cluster-api controllers/external/util.go (GenerateTemplate)
 */
export function openStackMachineObject(template: KubeObject, machine: KubeObject, clusterName: string): KubeObject {
  return {
    apiVersion: template.apiVersion,
    kind: 'OpenStackMachine',
    metadata: {
      name: machine.metadata.name,
      namespace: machine.metadata.namespace,
      labels: { ...(machine.metadata.labels ?? {}), [capiLabels.clusterName]: clusterName },
      annotations: { [capiAnnotations.clonedFromName]: template.metadata.name!, [capiAnnotations.clonedFromGroupKind]: `OpenStackMachineTemplate.${groups.infra}` },
      ownerReferences: [controllerRef(machine)],
    },
    spec: clone((getPath(template, 'spec.template.spec') as Record<string, unknown>) ?? {}),
  };
}

/** The image name of an OpenStackMachine spec or bastion spec (string in v1alpha7; ImageParam in v1beta1). */
export function imageName(spec: unknown): string | undefined {
  const image = getPath(spec, 'image');
  if (typeof image === 'string') return image;
  if (isObject(image)) {
    const name = getPath(image, 'filter.name') ?? getPath(image, 'imageRef.name') ?? image.id;
    return typeof name === 'string' ? name : undefined;
  }
  const uuid = getPath(spec, 'imageUUID');
  return typeof uuid === 'string' ? uuid : undefined;
}

/** The bastion's machine spec: `spec.bastion.instance` (v1alpha7) or `spec.bastion.spec` (v1beta1). */
export function bastionSpec(v: CapoVersion, osc: KubeObject): Record<string, unknown> | undefined {
  const spec = getPath(osc, v === 'v1alpha7' ? 'spec.bastion.instance' : 'spec.bastion.spec');
  return isObject(spec) ? spec : undefined;
}

/** Whether the bastion should exist: v1alpha7 needs `enabled: true`; v1beta1 defaults it to true when the block is there. */
export function bastionEnabled(v: CapoVersion, osc: KubeObject): boolean {
  const bastion = getPath(osc, 'spec.bastion');
  if (!isObject(bastion)) return false;
  if (v === 'v1alpha7') return bastion.enabled === true;
  return bastion.enabled !== false && isObject(bastion.spec);
}

/** The user's allowed CIDRs: `allowedCidrs` (v1alpha7) or `allowedCIDRs` (v1beta1). */
export function allowedCidrs(v: CapoVersion, osc: KubeObject): string[] {
  const list = getPath(osc, v === 'v1alpha7' ? 'spec.apiServerLoadBalancer.allowedCidrs' : 'spec.apiServerLoadBalancer.allowedCIDRs');
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The providerID of a server: `openstack:///<uuid>` before CAPO 0.11, `openstack://<region>/<uuid>` after
 * (cluster-apis.md §2.6).
 */
export function providerId(v: CapoVersion, serverId: string): string {
  return v === 'v1alpha7' ? `openstack:///${serverId}` : `openstack://${region}/${serverId}`;
}

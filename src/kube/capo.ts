// The Cluster API Provider OpenStack adapter: bastion shape (image string vs ImageParam, `instance` vs `spec`,
// the `enabled` default), the allowed-CIDRs spelling and its status path, and providerID formats, for v1alpha6,
// v1alpha7 and v1beta1. Nothing else in deckhand knows these version strings.
// @see /work/shared/reference/cluster-apis.md §2.1–§2.6
// @see https://github.com/kubernetes-sigs/cluster-api-provider-openstack/blob/v0.14.7/docs/book/src/topics/crd-changes/v1alpha7-to-v1beta1.md
import type { ApiFamily } from './discovery.js';
import { at, controllerOf, flag, isJson, list, nested, objectMeta, text, withDefined, type Json } from './read.js';
import type { BastionImage, OpenStackClusterView, OpenStackMachineView } from './types.js';

/** CAPO: OpenStackClusters and OpenStackMachines. */
export const capoFamily: ApiFamily = {
  id: 'capo',
  title: 'Cluster API Provider OpenStack',
  group: 'infrastructure.cluster.x-k8s.io',
  versions: ['v1beta1', 'v1alpha7', 'v1alpha6'],
  resources: ['openstackclusters', 'openstackmachines'],
};

/** Every version-dependent path of CAPO at one version. */
export interface CapoPaths {
  /** Where the bastion's machine spec lives: `spec.bastion.instance` (v1alpha6/7) or `spec.bastion.spec`. */
  bastionMachine: string;
  /** v1alpha6/7: image name string + imageUUID; v1beta1: one ImageParam object. */
  imageShape: 'string' | 'image-param';
  bastionFloatingIP: string;
  /** v1beta1 defaults `enabled` to true when the block is present; v1alpha6/7 to false. */
  bastionEnabledDefault: boolean;
  allowedCidrs: string;
  /** v1beta1 enables the load balancer by the block's presence; v1alpha6/7 need `enabled: true`. */
  loadBalancerEnabledByPresence: boolean;
  loadBalancerStatus: string;
  instanceID: string;
}

const alpha: CapoPaths = {
  bastionMachine: 'spec.bastion.instance',
  imageShape: 'string',
  bastionFloatingIP: 'spec.bastion.instance.floatingIP',
  bastionEnabledDefault: false,
  allowedCidrs: 'spec.apiServerLoadBalancer.allowedCidrs',
  loadBalancerEnabledByPresence: false,
  loadBalancerStatus: 'status.apiServerLoadBalancer',
  instanceID: 'spec.instanceID',
};

const capoPaths: Record<string, CapoPaths> = {
  v1alpha6: { ...alpha, loadBalancerStatus: 'status.network.apiServerLoadBalancer' },
  v1alpha7: alpha,
  v1beta1: {
    bastionMachine: 'spec.bastion.spec',
    imageShape: 'image-param',
    bastionFloatingIP: 'spec.bastion.floatingIP',
    bastionEnabledDefault: true,
    allowedCidrs: 'spec.apiServerLoadBalancer.allowedCIDRs',
    loadBalancerEnabledByPresence: true,
    loadBalancerStatus: 'status.apiServerLoadBalancer',
    instanceID: 'status.instanceID',
  },
};

/** The CAPO paths for a discovered version. */
export function capoPathsFor(version: string): CapoPaths {
  const paths = capoPaths[version];
  if (!paths) throw new Error(`no CAPO paths for ${version} (supported: ${capoFamily.versions.join(', ')})`);
  return paths;
}

/** Reads the bastion image in either shape. */
export function readBastionImage(raw: unknown, paths: CapoPaths): BastionImage {
  const machine = paths.bastionMachine;
  if (paths.imageShape === 'string') {
    const id = text(raw, `${machine}.imageUUID`);
    const name = text(raw, `${machine}.image`);
    return id ? { kind: 'id', id } : name ? { kind: 'name', name } : { kind: 'unset' };
  }
  const image = at(raw, `${machine}.image`);
  const id = text(image, 'id');
  if (id) return { kind: 'id', id };
  if (isJson(at(image, 'filter'))) {
    const tags = list(image, 'filter.tags').filter((t): t is string => typeof t === 'string');
    return withDefined<BastionImage>({ kind: 'filter' }, { name: text(image, 'filter.name'), tags: tags.length ? tags : undefined });
  }
  const ref = text(image, 'imageRef.name');
  return ref ? { kind: 'imageRef', name: ref } : { kind: 'unset' };
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/** An OpenStackCluster: bastion (spec and status) and the API load balancer's allow-list (spec and effective). */
export function projectOpenStackCluster(raw: unknown, paths: CapoPaths): OpenStackClusterView {
  const meta = objectMeta(raw);
  const declared = isJson(at(raw, 'spec.bastion'));
  const lbSpec = at(raw, 'spec.apiServerLoadBalancer');
  const lbEnabled = flag(raw, 'spec.apiServerLoadBalancer.enabled');
  const lbStatus = at(raw, paths.loadBalancerStatus);
  const host = text(raw, 'spec.controlPlaneEndpoint.host');
  const port = at(raw, 'spec.controlPlaneEndpoint.port');
  return {
    ...meta,
    namespace: meta.namespace ?? '',
    ready: flag(raw, 'status.ready') === true,
    bastion: withDefined<OpenStackClusterView['bastion']>(
      {
        enabled: declared && (flag(raw, 'spec.bastion.enabled') ?? paths.bastionEnabledDefault),
        declared,
        image: readBastionImage(raw, paths),
      },
      {
        flavor: text(raw, `${paths.bastionMachine}.flavor`),
        pinnedFloatingIP: text(raw, paths.bastionFloatingIP),
        state: text(raw, 'status.bastion.state'),
        floatingIP: text(raw, 'status.bastion.floatingIP'),
        internalIP: text(raw, 'status.bastion.ip'),
        id: text(raw, 'status.bastion.id'),
      },
    ),
    apiServerLoadBalancer: withDefined<OpenStackClusterView['apiServerLoadBalancer']>(
      { enabled: paths.loadBalancerEnabledByPresence ? isJson(lbSpec) && lbEnabled !== false : lbEnabled === true },
      { allowedCidrs: strings(at(raw, paths.allowedCidrs)), effectiveCidrs: strings(at(lbStatus, 'allowedCIDRs')), ip: text(lbStatus, 'ip') },
    ),
    ...(host ? { controlPlaneEndpoint: `${host}${typeof port === 'number' ? `:${port}` : ''}` } : {}),
  };
}

/**
 * The server UUID in a providerID: `openstack:///<uuid>` (CAPO ≤ v0.10) or `openstack://<region>/<uuid>`
 * (v0.11+). Nodes get theirs from the cloud-controller-manager, so match on the UUID, never the whole string.
 * @see https://github.com/kubernetes-sigs/cluster-api-provider-openstack/blob/v0.11.0/controllers/openstackmachine_controller.go
 */
export function serverIdFromProviderID(providerID: string | undefined): string | undefined {
  const match = /^openstack:\/\/[^/]*\/([^/]+)\/?$/.exec(providerID ?? '');
  return match?.[1];
}

/** An OpenStackMachine: the server behind a Machine. */
export function projectOpenStackMachine(raw: unknown, paths: CapoPaths): OpenStackMachineView {
  const meta = objectMeta(raw);
  const providerID = text(raw, 'spec.providerID');
  const owner = controllerOf(raw);
  return withDefined<OpenStackMachineView>(
    { ...meta, namespace: meta.namespace ?? '', ready: flag(raw, 'status.ready') === true },
    {
      machineName: owner?.kind === 'Machine' ? owner.name : undefined,
      providerID,
      serverId: serverIdFromProviderID(providerID) ?? text(raw, paths.instanceID),
      instanceState: text(raw, 'status.instanceState'),
    },
  );
}

/** A merge patch replacing the API load balancer's allowed CIDRs (a list: merge patch replaces it whole). */
export function allowedCidrsPatch(paths: CapoPaths, cidrs: readonly string[]): Json {
  return nested([[paths.allowedCidrs, [...cidrs]]]);
}

/** A merge patch enabling or disabling the bastion (any bastion spec change recreates it). */
export function bastionEnabledPatch(enabled: boolean): Json {
  return nested([['spec.bastion.enabled', enabled]]);
}

/**
 * A merge patch setting the bastion image. v1alpha6/7 keep a name and a UUID side by side (the other is nulled);
 * v1beta1's ImageParam allows exactly one of id/filter/imageRef, so the siblings are nulled in the same patch
 * (a plain merge would leave two keys and be rejected, cluster-apis.md §2.3).
 */
export function bastionImagePatch(paths: CapoPaths, image: Exclude<BastionImage, { kind: 'unset' }>): Json {
  const machine = paths.bastionMachine;
  if (paths.imageShape === 'string') {
    if (image.kind !== 'name' && image.kind !== 'id') throw new Error(`this CAPO version takes an image name or UUID, not ${image.kind}`);
    return nested([[`${machine}.image`, image.kind === 'name' ? image.name : null], [`${machine}.imageUUID`, image.kind === 'id' ? image.id : null]]);
  }
  const param: Json =
    image.kind === 'id' ? { id: image.id, filter: null, imageRef: null }
    : image.kind === 'imageRef' ? { imageRef: { name: image.name }, id: null, filter: null }
    : { filter: withDefined<Json>({}, { name: image.name, tags: image.kind === 'filter' ? image.tags : undefined }), id: null, imageRef: null };
  return nested([[`${machine}.image`, param]]);
}

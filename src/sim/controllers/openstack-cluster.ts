// The OpenStackCluster controller (CAPO): network, router and API load balancer status; the bastion (deleted when
// disabled, recreated when its spec — e.g. the image — changes, with a new floating IP and host key); and the load
// balancer's allowed CIDRs, reconciled into status.apiServerLoadBalancer.allowedCIDRs and pushed to the cloud after
// Octavia's update delay, with getCanonicalAllowedCIDRs' rule.
// @see kubernetes-sigs/cluster-api-provider-openstack controllers/openstackcluster_controller.go (reconcileBastion,
//      deleteBastion) @v0.9.0/@v0.14.7; pkg/cloud/services/loadbalancer/loadbalancer.go (getCanonicalAllowedCIDRs)
import { isIp, parseCidr } from '../../format/cidr.js';
import { allowedCidrs, bastionEnabled, bastionHashAnnotation, bastionSpec, capoFinalizers, imageName } from '../content/capo.js';
import { canonicalJson, fnv32, uuid } from '../content/names.js';
import { getPath, isObject, timestamp, type KubeObject } from '../objects.js';
import { addFinalizer, removeFinalizer, writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';
import { timings } from './timings.js';

/** The router's external address on the cluster network's first host. */
function routerIp(cidr: string): string {
  const { bytes } = parseCidr(cidr);
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.1`;
}

/**
 * CAPO's getCanonicalAllowedCIDRs: only when the user list is non-empty, add the bastion's floating and internal IPs,
 * every cluster subnet CIDR and the router IPs; bare IPs get /32; invalid entries are dropped (and reported); the
 * result is sorted and de-duplicated.
 */
export function canonicalAllowedCidrs(user: string[], extra: { bastionFloatingIP?: string; bastionIP?: string; subnets: string[]; routerIPs: string[] }): { cidrs: string[]; invalid: string[] } {
  if (user.length === 0) return { cidrs: [], invalid: [] };
  const all = [...user, ...(extra.bastionFloatingIP ? [extra.bastionFloatingIP] : []), ...(extra.bastionIP ? [extra.bastionIP] : []), ...extra.subnets, ...extra.routerIPs];
  const cidrs = new Set<string>();
  const invalid: string[] = [];
  for (const entry of all) {
    if (isIp(entry)) {
      cidrs.add(entry.includes(':') ? `${entry}/128` : `${entry}/32`);
      continue;
    }
    try {
      parseCidr(entry);
      cidrs.add(entry);
    } catch {
      invalid.push(entry);
    }
  }
  return { cidrs: [...cidrs].sort(), invalid };
}

/** A stable id for an image or flavor name (the "Glance/Nova id" the simulated cloud resolves it to). */
function resolvedId(kind: string, name: string): string {
  let state = fnv32(`${kind}/${name}`);
  return uuid(() => {
    state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  });
}

/** Starts the OpenStackCluster controller. */
export function startOpenStackClusterController(env: ControllerEnv): Controller {
  // Nova's view of each cluster's bastion server, as CAPO finds it by name in OpenStack: the source of truth when the
  // cache has not yet caught up with the status we wrote (creating a second bastion would leak one).
  const servers = new Map<string, { status: Record<string, unknown>; hash: string; createdAt: number }>();
  // What was last pushed to the load balancer; on start the status is (re)applied once.
  let pushed: string | undefined;

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const osc = env.informers.of(env.kinds.openStackClusters).get(name, namespace);
    if (!osc) return;
    const v = env.scenario.capo;
    const status = { ...((osc.status ?? {}) as Record<string, unknown>) };
    const current = isObject(status.bastion) ? (status.bastion as Record<string, unknown>) : undefined;

    if (osc.metadata.deletionTimestamp) {
      if (current?.id) await env.cloud.deleteBastion(String(current.id));
      await removeFinalizer(env, env.kinds.openStackClusters, osc, capoFinalizers.cluster);
      return;
    }
    if (!(osc.metadata.finalizers ?? []).includes(capoFinalizers.cluster)) {
      await addFinalizer(env, env.kinds.openStackClusters, osc, capoFinalizers.cluster);
      return;
    }
    const cidr = env.cloud.clusterNetworkCidr;
    const clusterId = `k8s-clusterapi-cluster-${namespace}-${name}`;
    Object.assign(status, {
      ready: true,
      network: { id: resolvedId('network', clusterId), name: clusterId, subnets: [{ cidr, id: resolvedId('subnet', clusterId), name: clusterId }] },
      router: { id: resolvedId('router', clusterId), name: clusterId, ips: [routerIp(cidr)] },
      externalNetwork: { id: '6a1e2f1c-94b8-4c9c-9f51-3b5fa4a0e1d2', name: 'public' },
      failureDomains: { nova: { controlPlane: true } },
    });
    if (v === 'v1beta1') status.initialization = { provisioned: true };

    // Bastion: the spec hash decides whether the running bastion still matches (CAPO ≤ 0.10 keeps it in an annotation;
    // from 0.11 CAPO compares an OpenStackServer object, which this simulator does not serve, so it keeps the annotation).
    const spec = bastionSpec(v, osc);
    const enabled = bastionEnabled(v, osc);
    const wantHash = spec ? String(fnv32(canonicalJson(spec))) : '';
    const haveHash = osc.metadata.annotations?.[bastionHashAnnotation];
    const server = servers.get(key);
    let bastion = server ? server.status : current;
    let annotation: string | null | undefined;
    if (bastion && (!enabled || (server?.hash ?? haveHash) !== wantHash)) {
      env.log(enabled ? `openstackcluster ${name}: bastion spec has changed, deleting existing bastion ${String(bastion.id)}` : `openstackcluster ${name}: bastion disabled, deleting ${String(bastion.id)}`);
      await env.cloud.deleteBastion(String(bastion.id));
      servers.delete(key);
      bastion = undefined;
      annotation = null;
    }
    if (!bastion && enabled && spec) {
      const image = imageName(spec) ?? 'unknown';
      const created = await env.cloud.createBastion(image);
      env.log(`openstackcluster ${name}: bastion ${created.id} (${image}) BUILD, floating IP ${created.floatingIP}`);
      bastion = { id: created.id, name: `${name}-bastion`, sshKeyName: String(spec.sshKeyName ?? ''), state: 'BUILD', ip: created.internalIP, floatingIP: created.floatingIP };
      if (v === 'v1beta1') bastion.resolved = { imageID: resolvedId('image', image), flavorID: resolvedId('flavor', String(spec.flavor ?? '')) };
      servers.set(key, { status: bastion, hash: wantHash, createdAt: env.clock.now() });
      annotation = wantHash;
    } else if (bastion && !servers.has(key)) {
      // A bastion from before this controller started (or from the seed): adopt it as it is.
      servers.set(key, { status: bastion, hash: haveHash ?? wantHash, createdAt: 0 });
    }
    let requeue: number | undefined;
    if (bastion?.state === 'BUILD') {
      const left = timings.bastionBuildSeconds - env.clock.elapsedSim(servers.get(key)?.createdAt ?? 0);
      if (left > 0) requeue = left;
      else {
        bastion = { ...bastion, state: 'ACTIVE' };
        servers.set(key, { ...servers.get(key)!, status: bastion });
      }
    }
    if (annotation === undefined && enabled && haveHash !== wantHash) annotation = wantHash;
    if (bastion) status.bastion = bastion;
    else delete status.bastion;
    let patched: KubeObject | undefined;
    if (annotation !== undefined && (annotation ?? undefined) !== haveHash) {
      patched = await env.client.patch(env.kinds.openStackClusters, name, { metadata: { resourceVersion: osc.metadata.resourceVersion, annotations: { [bastionHashAnnotation]: annotation } } }, { namespace });
    }

    // Allowed CIDRs: computed with the bastion as it now is, applied after Octavia's update delay.
    const user = allowedCidrs(v, osc);
    const { cidrs, invalid } = canonicalAllowedCidrs(user, {
      bastionFloatingIP: bastion?.floatingIP as string | undefined,
      bastionIP: bastion?.ip as string | undefined,
      subnets: [cidr],
      routerIPs: [routerIp(cidr)],
    });
    for (const entry of invalid) void env.recorder.event(osc, 'Warning', 'FailedIPAddressValidation', `${entry} is not a valid IPv4 nor IPv6 address`, 'openstackcluster-controller');
    const lbBefore = isObject(status.apiServerLoadBalancer) ? (status.apiServerLoadBalancer as Record<string, unknown>) : undefined;
    const before = (lbBefore?.allowedCIDRs as string[] | undefined) ?? [];
    const lb: Record<string, unknown> = {
      id: resolvedId('loadbalancer', clusterId),
      name: `${clusterId}-kubeapi`,
      ip: env.cloud.loadBalancer.ip,
      internalIP: `${parseCidr(cidr).bytes.slice(0, 3).join('.')}.5`,
      tags: [],
    };
    if (lbBefore && JSON.stringify(before) !== JSON.stringify(cidrs)) {
      // The listener update is asynchronous in Octavia; CAPO waits for the load balancer to be ACTIVE again.
      await Promise.race([env.clock.sleep(timings.loadBalancerUpdateSeconds), c.stopping]);
      const latest = env.informers.of(env.kinds.openStackClusters).get(name, namespace);
      if (!latest || JSON.stringify(allowedCidrs(v, latest)) !== JSON.stringify(user)) return { requeueAfter: 0 };
    }
    if (cidrs.length) lb.allowedCIDRs = cidrs;
    status.apiServerLoadBalancer = lb;
    const effective = cidrs.length ? cidrs : null;
    if (pushed !== JSON.stringify(effective)) {
      env.cloud.setAllowlist(effective);
      pushed = JSON.stringify(effective);
      env.log(`openstackcluster ${name}: API load balancer allowed CIDRs ${effective ? effective.join(', ') : '(unrestricted)'}`);
    }
    if (v === 'v1beta1') {
      const t = timestamp(env.clock.now());
      status.conditions = [
        { type: 'Ready', status: 'True', lastTransitionTime: t },
        { type: 'NetworkReady', status: 'True', lastTransitionTime: t },
        { type: 'APIEndpointReady', status: 'True', lastTransitionTime: t },
      ].map((c) => ({ ...c, lastTransitionTime: (getPath(osc, 'status.conditions') as { type: string; lastTransitionTime: string }[] | undefined)?.find((p) => p.type === c.type)?.lastTransitionTime ?? t }));
    }
    // The annotation patch answers with the object it stored; otherwise the cached one is the precondition.
    await writeStatus(env, env.kinds.openStackClusters, patched ?? osc, status);
    return requeue !== undefined ? { requeueAfter: requeue } : undefined;
  };

  const c = new Controller('openstackcluster', reconcile, env, 1);
  watchKeys(env.informers.of(env.kinds.openStackClusters), keyOf, (k) => c.enqueue(k));
  return c;
}

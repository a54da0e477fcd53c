// The OpenStackMachine controller (CAPO): once its Machine exists it "creates a server" — instance id, an address on
// the cluster network, instanceState BUILD — and after the build time marks it ACTIVE, ready, with the providerID
// (`openstack:///<id>` in CAPO 0.9, `openstack://RegionOne/<id>` from 0.11). Deletion deletes the server, then drops
// the finalizer.
// @see kubernetes-sigs/cluster-api-provider-openstack controllers/openstackmachine_controller.go @v0.9.0, @v0.14.7
import { parseCidr } from '../../format/cidr.js';
import { controllerOf } from '../content/capi.js';
import { capoFinalizers, providerId } from '../content/capo.js';
import { between, uuid } from '../content/names.js';
import { getPath, type KubeObject } from '../objects.js';
import { addFinalizer, removeFinalizer, writeStatus, type ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';
import { timings } from './timings.js';

/** Addresses already handed out on the cluster network (servers and the bastion). */
function usedAddresses(env: ControllerEnv): Set<string> {
  const used = new Set<string>();
  for (const osm of env.informers.of(env.kinds.openStackMachines).list()) {
    for (const a of (getPath(osm, 'status.addresses') as { address: string }[] | undefined) ?? []) used.add(a.address);
  }
  for (const osc of env.informers.of(env.kinds.openStackClusters).list()) {
    const ip = getPath(osc, 'status.bastion.ip');
    if (typeof ip === 'string') used.add(ip);
  }
  return used;
}

/** A free address of the cluster network (IPv4), drawn from the seeded source; hosts .20–.250 of the first /24. */
export function allocateAddress(env: ControllerEnv): string {
  const { bytes } = parseCidr(env.cloud.clusterNetworkCidr);
  const used = usedAddresses(env);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const ip = `${bytes[0]}.${bytes[1]}.${bytes[2]}.${between(env.random, 20, 250)}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error(`no free address left in ${env.cloud.clusterNetworkCidr}`);
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const osm = env.informers.of(env.kinds.openStackMachines).get(name, namespace);
  if (!osm) return;
  const v = env.scenario.capo;
  const status = (osm.status ?? {}) as Record<string, unknown>;
  if (osm.metadata.deletionTimestamp) {
    if (!(osm.metadata.finalizers ?? []).includes(capoFinalizers.machine)) return;
    const left = timings.serverDeleteSeconds - env.clock.elapsedSim(osm.metadata.deletionTimestamp);
    if (status.instanceState !== 'DELETED') {
      await writeStatus(env, env.kinds.openStackMachines, osm, { ...status, instanceState: 'DELETED', ready: false });
    }
    if (left > 0) return { requeueAfter: left };
    env.world.forget(name);
    await removeFinalizer(env, env.kinds.openStackMachines, osm, capoFinalizers.machine);
    return;
  }
  if (!(osm.metadata.finalizers ?? []).includes(capoFinalizers.machine)) {
    await addFinalizer(env, env.kinds.openStackMachines, osm, capoFinalizers.machine);
    return;
  }
  // CAPO waits for the owning Machine (and its bootstrap data) before creating the server.
  const owner = controllerOf(osm);
  const machine = owner?.kind === 'Machine' ? env.informers.of(env.kinds.machines).get(owner.name, namespace) : undefined;
  if (!machine || typeof getPath(machine, 'spec.bootstrap.dataSecretName') !== 'string') return;

  const serverId = (v === 'v1alpha7' ? getPath(osm, 'spec.instanceID') : status.instanceID) as string | undefined;
  if (!serverId) {
    const id = uuid(env.random);
    const address = allocateAddress(env);
    env.log(`openstack: server ${name} (${id}) BUILD at ${address}`);
    if (v === 'v1alpha7') await env.client.patch(env.kinds.openStackMachines, name, { spec: { instanceID: id } }, { namespace });
    const fresh = (await env.client.get(env.kinds.openStackMachines, name, namespace)) as KubeObject;
    await writeStatus(env, env.kinds.openStackMachines, fresh, {
      ...(v === 'v1beta1' ? { instanceID: id } : {}),
      instanceState: 'BUILD',
      ready: false,
      addresses: [{ type: 'InternalIP', address }],
      conditions: [{ type: 'Ready', status: 'False', severity: 'Info', reason: 'InstanceNotReady', message: 'Instance state is not handled: BUILD', lastTransitionTime: env.clock.stamp(`${osm.metadata.uid}/build`) }],
    });
    return { requeueAfter: timings.serverBuildSeconds };
  }
  if (status.instanceState === 'BUILD') {
    const buildSince = (getPath(osm, 'status.conditions') as { type: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? osm.metadata.creationTimestamp;
    const left = timings.serverBuildSeconds - env.clock.elapsedSimSince(`${osm.metadata.uid}/build`, buildSince);
    if (left > 0) return { requeueAfter: left };
    const id = providerId(v, serverId);
    if (getPath(osm, 'spec.providerID') !== id) {
      await env.client.patch(env.kinds.openStackMachines, name, { spec: { providerID: id } }, { namespace });
      return;
    }
    // The kubelet measures its boot from this instant (kubelet-node.ts).
    const t = env.clock.stamp(`${osm.metadata.uid}/active`);
    env.log(`openstack: server ${name} ACTIVE`);
    await writeStatus(env, env.kinds.openStackMachines, osm, {
      ...status,
      instanceState: 'ACTIVE',
      ready: true,
      ...(v === 'v1beta1' ? { initialization: { provisioned: true } } : {}),
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: t },
        { type: 'InstanceReady', status: 'True', lastTransitionTime: t },
      ],
    });
  }
}

/** Starts the OpenStackMachine controller. */
export function startOpenStackMachineController(env: ControllerEnv): Controller {
  const c = new Controller('openstackmachine', (key) => reconcile(env, key), env, 4);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.openStackMachines), keyOf, enqueue);
  watchKeys(env.informers.of(env.kinds.machines), (m) => {
    const infra = getPath(m, 'spec.infrastructureRef.name');
    return typeof infra === 'string' ? `${m.metadata.namespace}/${infra}` : undefined;
  }, enqueue);
  return c;
}

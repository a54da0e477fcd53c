// The kubelets of the simulated servers, node side: once an OpenStackMachine's server is ACTIVE and has booted, its
// kubelet registers the Node (NotReady with CAPI's uninitialized taint; Ready once the CNI is up) and its Lease, then
// renews the Lease every 10 s and re-posts Node status periodically. A hung kubelet (World.hang) does none of it.
// @see k8s.io/kubernetes pkg/kubelet/kubelet_node_status.go (registerWithAPIServer, updateNodeStatus),
//      pkg/kubelet/nodelease (controller.go)
import { isAlreadyExists, isNotFound } from '../client.js';
import { capiLabels, controllerOf } from '../content/capi.js';
import { imageName } from '../content/capo.js';
import { hexString, uuid } from '../content/names.js';
import { kubeletConditions, nodeLeaseObject, nodeObject } from '../content/nodes.js';
import { getPath, isObject, timestamp, type KubeObject } from '../objects.js';
import type { ControllerEnv } from './env.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';
import { minRealIntervalMs, timings } from './timings.js';

/** The Lease renewal interval actually used: 10 simulated seconds, but never faster than the real-time floor per node. */
export function leaseIntervalSeconds(env: ControllerEnv, nodes: number): number {
  return Math.max(timings.leaseRenewSeconds, env.clock.simSeconds(Math.max(minRealIntervalMs, nodes * 4)));
}

/** When the server became ACTIVE: its Ready condition's transition time. */
function activeSince(osm: KubeObject): string | undefined {
  const list = getPath(osm, 'status.conditions');
  const ready = Array.isArray(list) ? list.find((c) => isObject(c) && c.type === 'Ready' && c.status === 'True') : undefined;
  return isObject(ready) && typeof ready.lastTransitionTime === 'string' ? ready.lastTransitionTime : undefined;
}

/** What each simulated kubelet knows about itself: when it registered (its CNI is up nodeReadySeconds later). */
type Kubelets = Map<string, { registeredAt: number }>;

/** Whether a kubelet considers its node Ready; nodes registered before this process started are. */
function networkReady(env: ControllerEnv, kubelets: Kubelets, name: string): boolean {
  const k = kubelets.get(name);
  return !k || env.clock.elapsedSim(k.registeredAt) >= timings.nodeReadySeconds;
}

async function registerOrReady(env: ControllerEnv, kubelets: Kubelets, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const osm = env.informers.of(env.kinds.openStackMachines).get(name, namespace);
  if (!osm || osm.metadata.deletionTimestamp || getPath(osm, 'status.instanceState') !== 'ACTIVE') return;
  if (env.world.isHung(name)) return;
  const nodes = env.informers.of(env.kinds.nodes);
  const node = nodes.get(name);
  if (!node) {
    const left = timings.kubeletBootSeconds - env.clock.elapsedSimSince(`${osm.metadata.uid}/active`, activeSince(osm) ?? osm.metadata.creationTimestamp);
    if (left > 0) return { requeueAfter: left };
    const owner = controllerOf(osm);
    const machine = owner ? env.informers.of(env.kinds.machines).get(owner.name, namespace) : undefined;
    const controlPlane = capiLabels.controlPlane in (osm.metadata.labels ?? {});
    const shape = controlPlane ? env.scenario.controlPlane : env.scenario.worker;
    const providerID = String(getPath(osm, 'spec.providerID'));
    const address = ((getPath(osm, 'status.addresses') as { address: string }[] | undefined) ?? [])[0]?.address ?? '';
    const fresh = nodeObject({
      name,
      providerID,
      role: controlPlane ? 'control-plane' : 'worker',
      capacity: shape,
      kubeletVersion: String(getPath(machine, 'spec.version') ?? env.scenario.kubernetesVersion),
      internalIP: address,
      image: imageName(osm.spec) ?? 'ubuntu-2204-kube',
      flavor: String(getPath(osm, 'spec.flavor') ?? 'm1.large'),
      serverId: providerID.split('/').pop() ?? uuid(env.random),
      bootId: uuid(env.random),
      machineId: hexString(env.random, 32),
      nowMs: env.clock.now(),
      fresh: true,
    });
    try {
      const created = await env.client.create(env.kinds.nodes, fresh);
      const registered = env.clock.stamp(`node/${name}/registered`);
      kubelets.set(name, { registeredAt: env.clock.now() });
      const status = { ...(fresh.status as Record<string, unknown>), conditions: kubeletConditions(env.clock.now(), false).map((c) => ({ ...c, lastTransitionTime: registered })) };
      await env.client.update(env.kinds.nodes, { ...created, status }, { subresource: 'status' });
      await ensureLease(env, created);
      env.log(`kubelet ${name}: registered node`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return { requeueAfter: timings.nodeReadySeconds };
  }
  const ready = (getPath(node, 'status.conditions') as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') {
    const registeredAt = kubelets.get(name)?.registeredAt;
    const left = registeredAt === undefined ? 0 : timings.nodeReadySeconds - env.clock.elapsedSim(registeredAt);
    if (left > 0) return { requeueAfter: left };
    const status = { ...(node.status as Record<string, unknown>), conditions: kubeletConditions(env.clock.now(), true) };
    await env.client.update(env.kinds.nodes, { ...node, status }, { subresource: 'status' });
    env.log(`kubelet ${name}: node Ready`);
  }
}

async function ensureLease(env: ControllerEnv, node: KubeObject): Promise<void> {
  try {
    await env.client.create(env.kinds.leases, nodeLeaseObject(node, env.clock.now()));
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** One heartbeat round: renew every live kubelet's Lease; every report period also re-post the Node's conditions. */
async function heartbeat(env: ControllerEnv, kubelets: Kubelets, round: number, reportEvery: number): Promise<void> {
  const nodes = env.informers.of(env.kinds.nodes).list();
  const now = env.clock.now();
  const renewTime = new Date(now).toISOString().replace('Z', '000Z');
  const results = await Promise.allSettled(nodes.map(async (node) => {
    const name = node.metadata.name!;
    if (env.world.isHung(name)) return;
    const osm = env.informers.of(env.kinds.openStackMachines).list(undefined, (o) => o.metadata.name === name)[0];
    // No server behind the Node (deleted, or a node of a bulk-seeded world without CAPI objects stays alive).
    if (osm && getPath(osm, 'status.instanceState') !== 'ACTIVE') return;
    try {
      await env.client.patch(env.kinds.leases, name, { spec: { renewTime } }, { namespace: 'kube-node-lease' });
    } catch (err) {
      if (isNotFound(err)) await ensureLease(env, node);
      else throw err;
    }
    const conditions = getPath(node, 'status.conditions') as { type: string; status: string; reason?: string }[] | undefined;
    const unknown = conditions?.some((c) => c.type === 'Ready' && c.status === 'Unknown');
    if (round % reportEvery !== 0 && !unknown) return;
    // A kubelet that comes back (or reports periodically) re-posts all its conditions with a fresh heartbeat.
    // From the kubelet's own state, never from the (possibly stale) cached Node.
    const readyNow = networkReady(env, kubelets, name);
    const fresh = kubeletConditions(now, readyNow).map((c) => {
      const prev = conditions?.find((p) => p.type === c.type) as { status?: string; lastTransitionTime?: string } | undefined;
      return prev && prev.status === c.status ? { ...c, lastTransitionTime: prev.lastTransitionTime ?? timestamp(now) } : c;
    });
    await env.client.patch(env.kinds.nodes, name, { status: { conditions: fresh } }, { subresource: 'status', type: 'strategic' });
  }));
  env.world.heartbeatRoundDone(env.clock.now());
  for (const r of results) if (r.status === 'rejected') env.log(`kubelet heartbeat: ${(r.reason as Error).message}`);
}

/** Starts node registration and the heartbeat loop; returns the registration controller and a stop function for the loop. */
export function startKubeletNodes(env: ControllerEnv): { controller: Controller; stopHeartbeats(): void } {
  const kubelets: Kubelets = new Map();
  const c = new Controller('kubelet-register', (key) => registerOrReady(env, kubelets, key), env, 4);
  watchKeys(env.informers.of(env.kinds.openStackMachines), keyOf, (k) => c.enqueue(k));
  let round = 0;
  let stopped = false;
  let timer: { cancel(): void } | undefined;
  const loop = () => {
    if (stopped) return;
    const nodes = env.informers.of(env.kinds.nodes).list().length;
    const interval = leaseIntervalSeconds(env, nodes);
    const reportEvery = Math.max(1, Math.round(timings.nodeStatusReportSeconds / interval));
    heartbeat(env, kubelets, round++, reportEvery)
      .catch((err) => env.log(`kubelet heartbeat: ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) timer = env.clock.after(interval, loop);
      });
  };
  loop();
  return {
    controller: c,
    stopHeartbeats: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

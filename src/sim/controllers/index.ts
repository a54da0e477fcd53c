// The simulated cluster's controllers: CAPI (Cluster, MachineDeployment, MachineSet, Machine, KubeadmControlPlane),
// CAPO (OpenStackCluster, OpenStackMachine), the kubelets, scheduler, node lifecycle, attach/detach, Deployment,
// ReplicaSet and disruption controllers, the garbage collector, and Prow (hook/horologium arrivals, plank, sinker). They talk to the
// API only through the REST client, so the same code could drive a real kube-apiserver with the real CRDs.
import type { SimClient } from '../client.js';
import type { SimClock } from '../clock.js';
import type { Random } from '../content/names.js';
import { getPath, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import { podUsage } from '../usage.js';
import { startClusterController } from './cluster.js';
import { startDeploymentController } from './deployment.js';
import { startDisruptionController } from './disruption.js';
import type { ControllerEnv } from './env.js';
import { startGarbageCollector } from './garbage-collector.js';
import { kindsFor } from './kinds.js';
import { startKubeadmControlPlaneController } from './kubeadm-control-plane.js';
import { startKubeletNodes } from './kubelet-node.js';
import { startKubeletPods } from './kubelet-pods.js';
import { startMachineController } from './machine.js';
import { startMachineDeploymentController } from './machine-deployment.js';
import { startMachineSetController } from './machine-set.js';
import { startNodeLifecycle } from './node-lifecycle.js';
import { startOpenStackClusterController } from './openstack-cluster.js';
import { startOpenStackMachineController } from './openstack-machine.js';
import { startPlank } from './plank.js';
import { ProwTrigger } from './prow-trigger.js';
import { Recorder } from './recorder.js';
import { startReplicaSetController } from './replica-set.js';
import { Informers, type Controller } from './runtime.js';
import { startScheduler } from './scheduler.js';
import { seed } from './seed.js';
import { seedLarge } from './seed-large.js';
import { startSinker } from './sinker.js';
import { startVolumeController } from './volumes.js';
import { World } from './world.js';

/** The simulated cloud, implemented by the lead (ssh2 bastion servers, load balancer). */
export interface Cloud {
  loadBalancer: { ip: string; port: number; hostname: string };
  /** e.g. '127.0.6.0/24' */
  clusterNetworkCidr: string;
  createBastion(image: string): Promise<{ id: string; internalIP: string; floatingIP: string; fingerprint: string }>;
  deleteBastion(id: string): Promise<void>;
  /** The LB's effective allowed CIDRs; null = no restriction. */
  setAllowlist(cidrs: string[] | null): void;
}

/** Everything the controllers and the seeding need. */
export interface SimContext {
  client: SimClient;
  clock: SimClock;
  scenario: Scenario;
  cloud: Cloud;
  /** Direct writes for bulk seeding of large scenarios. */
  bulk?: (objects: KubeObject[]) => void;
  log(line: string): void;
  /** Seeded random source. */
  random: () => number;
}

/** Namespaces, CAPI/CAPO objects, nodes, components, a few initial ProwJobs; the large scenario's bulk via ctx.bulk. */
export async function seedCluster(ctx: SimContext): Promise<void> {
  await seed(ctx);
  if (ctx.scenario.size) await seedLarge(ctx);
}

/** The node running the most CPU (by the usage model) among the workers whose kubelet still reports. */
function busiestWorker(env: ControllerEnv): string | undefined {
  const now = env.clock.now();
  const pods = env.informers.of(env.kinds.pods).list(undefined, (p) => getPath(p, 'status.phase') === 'Running');
  let best: { name: string; cpu: number } | undefined;
  for (const node of env.informers.of(env.kinds.nodes).list()) {
    const name = node.metadata.name!;
    if ('node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {}) || env.world.isHung(name)) continue;
    const cpu = pods.filter((p) => getPath(p, 'spec.nodeName') === name).flatMap((p) => podUsage(p, now).containers).reduce((n, c) => n + c.cpuMilli, 0);
    if (!best || cpu > best.cpu || (cpu === best.cpu && name < best.name)) best = { name, cpu };
  }
  return best?.name;
}

/** Starts every controller; resolves once their caches are synced. */
export async function startControllers(ctx: SimContext): Promise<{ stop(): Promise<void>; faults: { failNode(name: string): Promise<void> } }> {
  const kinds = kindsFor(ctx.scenario);
  const informers = new Informers(ctx.client, ctx.log);
  const random: Random = ctx.random;
  let markSynced!: () => void;
  const cachesSynced = new Promise<void>((resolve) => (markSynced = resolve));
  const env: ControllerEnv = {
    ctx, client: ctx.client, clock: ctx.clock, scenario: ctx.scenario, cloud: ctx.cloud, kinds, informers,
    recorder: new Recorder(ctx.client, kinds, ctx.clock, random, ctx.log), world: new World(), random, log: ctx.log, cachesSynced,
  };
  // Every cache the controllers read, created before any starts so no handler misses the initial list.
  const watched = Object.entries(kinds).filter(([name]) => name !== 'events' && name !== 'namespaces' && name !== 'services' && (ctx.scenario.prow || name !== 'prowJobs'));
  for (const [, type] of watched) informers.of(type);
  const kubeletNodes = startKubeletNodes(env);
  const controllers: Controller[] = [
    startClusterController(env),
    startMachineDeploymentController(env),
    startMachineSetController(env),
    startMachineController(env),
    startKubeadmControlPlaneController(env),
    startOpenStackClusterController(env),
    startOpenStackMachineController(env),
    kubeletNodes.controller,
    startKubeletPods(env),
    startScheduler(env),
    startVolumeController(env),
    startDeploymentController(env),
    startReplicaSetController(env),
    startDisruptionController(env),
    ...(ctx.scenario.prow ? [startPlank(env)] : []),
  ];
  await informers.startAll();
  markSynced();
  const stops: (() => void)[] = [kubeletNodes.stopHeartbeats, startNodeLifecycle(env), startGarbageCollector(env)];
  let trigger: ProwTrigger | undefined;
  if (ctx.scenario.prow) {
    stops.push(startSinker(env));
    trigger = new ProwTrigger(env);
    trigger.start();
  }
  const failNode = async (name: string) => {
    if (!(await ctx.client.find(kinds.nodes, name))) throw new Error(`failNode: there is no node ${name}`);
    ctx.log(`fault: the kubelet of ${name} stops reporting`);
    env.world.hang(name);
  };
  const overloadAfter = ctx.scenario.faults.overloadNodeAfterSeconds;
  if (overloadAfter !== undefined) {
    const timer = ctx.clock.after(overloadAfter, () => {
      const name = busiestWorker(env);
      if (name) void failNode(name);
    });
    stops.push(() => timer.cancel());
  }
  return {
    faults: { failNode },
    stop: async () => {
      trigger?.stop();
      for (const stop of stops) stop();
      await Promise.all(controllers.map((c) => c.stop()));
      await informers.stopAll();
    },
  };
}

// A real kube-apiserver + etcd with the real CRDs as a shared-suite target: the simulator's seedCluster writes the
// scenario through the REST API exactly as it does into the sim, and when asked the simulator's controllers run
// as API clients against it, with a real simulated cloud (ssh2 bastions, a load balancer in front of the real
// apiserver). The events resource is not watch-cached, so an etcd compaction expires its resourceVersions the way
// a watch cache whose window moved on would (test/k8s/OBSERVED.md); everything else is cached, as in production.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type KubeClient } from '../../src/kube/client.js';
import { SimClient } from '../../src/sim/client.js';
import { SimClock } from '../../src/sim/clock.js';
import { startCloud } from '../../src/sim/cloud.js';
import { seedCluster, startControllers, type SimContext } from '../../src/sim/controllers/index.js';
import { seededRandom } from '../../src/sim/random.js';
import { scenario as scenarioOf, type Scenario } from '../../src/sim/scenario.js';
import { startRealCluster } from '../k8s/harness.js';
import type { Target, TargetOptions } from './target.js';

/** Starts a real target; skips nothing: a missing binary is an error (build.sh runs first). */
export async function realTarget(options: TargetOptions): Promise<Target> {
  // No metrics API on the real server: the sim's scenario is told so, which changes nothing it seeds.
  const scenario: Scenario = { ...scenarioOf(options.scenario), prow: options.prow ?? true, metrics: false, ...options.overrides };
  const cluster = await startRealCluster({
    capi: scenario.capi,
    capo: scenario.capo,
    prow: scenario.prow,
    kubeadmControlPlane: true,
    // `events#0` turns the watch cache off for events only (k8s.io/apiserver StorageFactoryRestOptionsFactory).
    apiserverArgs: ['--watch-cache-sizes=events#0'],
  });
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (process.env.DEBUG_SIM === '1') console.log(`[sim ${new Date().toISOString().slice(11, 23)}] ${line}`);
  };
  const cloud = await startCloud({ api: { host: '127.0.0.1', port: cluster.ports.apiserver }, log });
  const controllerClient = new SimClient({ server: cluster.server, caPem: cluster.caPem, token: cluster.token, fieldValidation: 'Strict', userAgent: 'deckhand-sim-controllers' });
  const rest = new SimClient({ server: cluster.server, caPem: cluster.caPem, token: cluster.token, fieldValidation: 'Strict', userAgent: 'deckhand-test' });
  const clock = new SimClock(options.timeScale ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-target-'));
  const clients: KubeClient[] = [];
  let controllers: Awaited<ReturnType<typeof startControllers>> | undefined;
  const stop = async () => {
    for (const c of clients) c.close();
    await controllers?.stop();
    controllerClient.close();
    rest.close();
    await cloud.stop();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ctx: SimContext = { client: controllerClient, clock, scenario, cloud, log, random: seededRandom(42) };
    await seedCluster(ctx);
    if (options.controllers) controllers = await startControllers(ctx);
  } catch (err) {
    await stop();
    throw err;
  }
  const running = controllers;
  return {
    kind: 'real',
    label: `kube-apiserver ${cluster.versions.kube}, CAPI ${cluster.versions.capi}, CAPO ${cluster.versions.capo} (${options.scenario})`,
    scenario,
    access: { url: cluster.server, caPem: cluster.caPem, token: cluster.token },
    kubeconfig: cluster.kubeconfigPath,
    dir,
    client: (o = {}) => {
      const c = createClient({ kubeconfig: cluster.kubeconfigPath, ...o });
      clients.push(c);
      return c;
    },
    rest,
    compactEvents: async () => {
      await cluster.compactEtcd();
    },
    ...(running ? { controllers: { cloud, clock, failNode: (n: string) => running.faults.failNode(n), logs: () => logs } } : {}),
    metrics: false,
    stop,
  };
}

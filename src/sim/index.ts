// The simulated cluster, assembled: API server with its own CA, load balancer with allowlist, echo-IP endpoint,
// ssh2 bastions created and deleted by the simulated CAPO, and the controllers that make the cluster live.
// Used by `deckhand sim`, `deckhand --demo`, the integration tests and the benchmarks.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bastion } from './bastion.js';
import { createServingCerts } from './certs.js';
import { SimClient } from './client.js';
import { simAddresses, startCloud, type SimCloud } from './cloud.js';
import { SimClock } from './clock.js';
import { seedCluster, startControllers } from './controllers/index.js';
import { coreResources, metricsResources } from './kinds/core.js';
import { customResources } from './kinds/custom.js';
import { renderKubeconfig } from './kubeconfig.js';
import { metricsProviders } from './metrics.js';
import type { KubeObject } from './objects.js';
import { seededRandom } from './random.js';
import { Registry } from './registry.js';
import { scenario as scenarioOf, type Scenario, type ScenarioName } from './scenario.js';
import { startApiServer, type ApiServer, type Denial } from './server.js';
import { storageKey } from './resources.js';
import { ObjectStore } from './store.js';

/** Options of `startSim`. */
export interface SimOptions {
  scenario?: ScenarioName;
  /** Simulated seconds per real second (demo: things move in seconds). */
  timeScale?: number;
  /** Writes kubeconfig, bastion_key, known_hosts and, last, sim.json here. */
  outDir?: string;
  size?: Scenario['size'];
  /** Overrides applied to the scenario (tests: faults, metrics off, prow off…). */
  overrides?: Partial<Scenario>;
  /** Kinds the API refuses with 403. */
  deny?: Denial[];
  bookmarkIntervalMs?: number;
  /** Events kept per resource for watch resumption. */
  historyLimit?: number;
  /** Run without controllers (a static cluster: only what seeding created). */
  controllers?: boolean;
  seed?: number;
  log?: (line: string) => void;
}

/** The shape of sim.json (the existence of that file means ready). */
export interface SimInfo {
  api: string;
  loadBalancer: string;
  bastion: { host: string; port: number; user: string; fingerprint: string };
  echoIpUrl: string;
  operatorAddress: string;
  scenario: ScenarioName;
  kubeconfig?: string;
  identityFile?: string;
  knownHosts?: string;
  clusterNetwork: string;
}

/** A running simulated cluster. */
export interface Sim {
  info: SimInfo;
  scenario: Scenario;
  token: string;
  caPem: string;
  kubeconfig: string;
  operatorKey: { privateKey: string; publicKey: string };
  server: ApiServer;
  store: ObjectStore;
  /** The current bastion, if one runs. */
  bastion(): Bastion | undefined;
  /** The simulated cloud (load balancer, echo endpoint, bastions). */
  cloud: SimCloud;
  /** The clock the controllers run on. */
  clock: SimClock;
  loadBalancerAllowlist(): string[] | null;
  faults: { failNode(name: string): Promise<void> };
  stop(): Promise<void>;
}

const addresses = simAddresses;

/** Starts a simulated cluster. */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const log = options.log ?? (() => undefined);
  const scenario: Scenario = { ...scenarioOf(options.scenario ?? 'demo', options.size), ...options.overrides };
  const registry = new Registry([
    ...coreResources(),
    ...customResources({ capi: scenario.capi, capo: scenario.capo, prow: scenario.prow }),
    ...(scenario.metrics ? metricsResources() : []),
  ]);
  const store = new ObjectStore({ historyLimit: options.historyLimit });
  if (scenario.metrics) {
    const providers = metricsProviders(store, Date.now);
    for (const def of registry.defs.filter((d) => d.group === 'metrics.k8s.io')) {
      registry.setVirtual(storageKey(def), def.plural === 'nodes' ? providers.nodes : providers.pods);
    }
  }
  const certs = await createServingCerts([addresses.api, addresses.loadBalancer], ['localhost', 'kubernetes', 'kubernetes.default', addresses.apiHostname]);
  const token = randomBytes(24).toString('hex');
  const server = await startApiServer(registry, store, {
    host: addresses.api,
    port: 0,
    cert: certs.certPem,
    key: certs.keyPem,
    token,
    deny: options.deny,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  const outDir = options.outDir;
  if (outDir) await mkdir(outDir, { recursive: true });
  let ready = false;
  const cloud = await startCloud({
    api: { host: server.host, port: server.port },
    allowlistStuck: scenario.faults.allowlistStuck,
    log,
    onBastion: async (bastion) => {
      info.bastion = { host: bastion.host, port: bastion.port, user: 'ubuntu', fingerprint: bastion.fingerprint };
      await writeKnownHosts(bastion);
      if (ready) await writeInfo();
    },
  });
  const { lb, echo, operatorKey } = cloud;
  const kubeconfig = renderKubeconfig({ apiUrl: server.url, loadBalancerUrl: `https://${lb.host}:${lb.port}`, caPem: certs.caPem, token });

  const info: SimInfo = {
    api: server.url,
    loadBalancer: `https://${lb.host}:${lb.port}`,
    bastion: { host: '', port: 0, user: 'ubuntu', fingerprint: '' },
    echoIpUrl: echo.url,
    operatorAddress: addresses.operator,
    scenario: scenario.name,
    clusterNetwork: addresses.clusterNetwork,
    ...(outDir ? { kubeconfig: join(outDir, 'kubeconfig'), identityFile: join(outDir, 'bastion_key'), knownHosts: join(outDir, 'known_hosts') } : {}),
  };
  const writeInfo = async () => {
    if (!outDir) return;
    // Written through a temporary name so that a reader never sees half a file.
    await writeFile(join(outDir, 'sim.json.tmp'), JSON.stringify(info, null, 2) + '\n');
    await rename(join(outDir, 'sim.json.tmp'), join(outDir, 'sim.json'));
  };
  const writeKnownHosts = async (b: Bastion) => {
    if (!outDir) return;
    const [type, key] = b.hostKeyPublic.split(' ');
    await writeFile(join(outDir, 'known_hosts'), `[${b.host}]:${b.port} ${type} ${key}\n`);
  };

  const client = new SimClient({ server: server.url, caPem: certs.caPem, token });
  const clock = new SimClock(options.timeScale ?? 1);
  const bulk = (objects: KubeObject[]) => {
    for (const obj of objects) {
      const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
      const resolved = registry.byKind(obj.apiVersion, obj.kind);
      if (!resolved) throw new Error(`bulk: no resource for ${obj.apiVersion} ${obj.kind} (${group}/${version})`);
      server.api.seed(resolved, obj);
    }
  };
  const ctx = { client, clock, scenario, cloud, bulk, log, random: seededRandom(options.seed ?? 42) };
  await seedCluster(ctx);
  const controllers = options.controllers === false ? undefined : await startControllers(ctx);

  // The bastion comes up through the simulated CAPO, which then applies the load balancer's allowlist; sim.json
  // must name the bastion and a client reading it must find the allowlist in force, so wait for both.
  for (let i = 0; i < 200 && (!cloud.current() || lb.allowlist() === null) && controllers; i++) await new Promise((r) => setTimeout(r, 50));
  if (outDir) {
    await writeFile(join(outDir, 'kubeconfig'), kubeconfig, { mode: 0o600 });
    await writeFile(join(outDir, 'bastion_key'), operatorKey.privateKey, { mode: 0o600 });
    await chmod(join(outDir, 'bastion_key'), 0o600);
    const current = cloud.current();
    if (current) await writeKnownHosts(current);
  }
  ready = true;
  await writeInfo();

  return {
    info,
    scenario,
    token,
    caPem: certs.caPem,
    kubeconfig,
    operatorKey,
    server,
    store,
    bastion: () => cloud.current(),
    cloud,
    clock,
    loadBalancerAllowlist: () => lb.allowlist(),
    faults: controllers?.faults ?? { failNode: async () => { throw new Error('controllers are not running'); } },
    stop: async () => {
      await controllers?.stop();
      client.close();
      await cloud.stop();
      await server.close();
    },
  };
}

// A simulated cluster for controller tests: the real HTTPS API server with the core kinds and the CRD-generated
// CAPI/CAPO/Prow kinds, the simulated cloud of src/sim/cloud.ts (a real load balancer with allowlist, real ssh2
// bastions created and deleted through the Cloud interface), and the controllers talking to it over HTTPS with
// fieldValidation=Strict (so any field the real CRD schema lacks fails the test instead of being pruned).
import { randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import { createServingCerts } from '../../../src/sim/certs.js';
import { SimClient } from '../../../src/sim/client.js';
import { startCloud, type SimCloud } from '../../../src/sim/cloud.js';
import { SimClock } from '../../../src/sim/clock.js';
import { seedCluster, startControllers, type SimContext } from '../../../src/sim/controllers/index.js';
import { kindsFor } from '../../../src/sim/controllers/kinds.js';
import { coreResources } from '../../../src/sim/kinds/core.js';
import { customResources } from '../../../src/sim/kinds/custom.js';
import { seededRandom } from '../../../src/sim/random.js';
import { Registry } from '../../../src/sim/registry.js';
import { scenario as scenarioOf, type Scenario, type ScenarioName } from '../../../src/sim/scenario.js';
import { startApiServer, type ApiServer } from '../../../src/sim/server.js';
import { ObjectStore } from '../../../src/sim/store.js';
import { fingerprintSha256 } from '../../../src/tunnel/known-hosts.js';

/** The simulated cloud (real ssh2 bastions, the real load balancer), recording what it was asked to do. */
export interface TestCloud extends SimCloud {
  calls: string[];
  allowlists: (string[] | null)[];
}

async function testCloud(server: ApiServer): Promise<TestCloud> {
  const cloud = await startCloud({ api: { host: server.host, port: server.port } });
  const calls: string[] = [];
  const allowlists: (string[] | null)[] = [];
  return {
    ...cloud,
    calls,
    allowlists,
    createBastion: async (image) => {
      const created = await cloud.createBastion(image);
      calls.push(`create ${image} ${created.id}`);
      return created;
    },
    deleteBastion: async (id) => {
      calls.push(`delete ${id}`);
      await cloud.deleteBastion(id);
    },
    setAllowlist: (cidrs) => {
      allowlists.push(cidrs);
      cloud.setAllowlist(cidrs);
    },
  };
}

/** A running test cluster. */
export interface TestCluster {
  server: ApiServer;
  /** A client for the test's own reads and writes (not the controllers'). */
  client: SimClient;
  kinds: ReturnType<typeof kindsFor>;
  scenario: Scenario;
  clock: SimClock;
  cloud: TestCloud;
  ctx: SimContext;
  caPem: string;
  token: string;
  logs: string[];
  faults: { failNode(name: string): Promise<void> };
  stop(): Promise<void>;
}

/** Options of startCluster. */
export interface ClusterOptions {
  scenario: ScenarioName;
  overrides?: Partial<Scenario>;
  timeScale: number;
  seed?: number;
  /** Print controller logs (DEBUG_SIM=1 does too). */
  verbose?: boolean;
}

/** Starts the API server, seeds the scenario and starts the controllers. */
export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const scenario: Scenario = { ...scenarioOf(options.scenario), ...options.overrides };
  const registry = new Registry([...coreResources(), ...customResources({ capi: scenario.capi, capo: scenario.capo, prow: scenario.prow })]);
  const store = new ObjectStore();
  const certs = await createServingCerts(['127.0.0.1', '127.0.0.20'], ['localhost']);
  const token = randomBytes(16).toString('hex');
  const server = await startApiServer(registry, store, { host: '127.0.0.1', port: 0, cert: certs.certPem, key: certs.keyPem, token, bookmarkIntervalMs: 1000 });
  const cloud = await testCloud(server);
  const logs: string[] = [];
  const verbose = options.verbose || process.env.DEBUG_SIM === '1';
  const log = (line: string) => {
    logs.push(line);
    if (verbose) console.log(`[sim ${new Date().toISOString().slice(11, 23)}] ${line}`);
  };
  const controllerClient = new SimClient({ server: server.url, caPem: certs.caPem, token, fieldValidation: 'Strict', userAgent: 'sim-controllers' });
  const clock = new SimClock({ timeScale: options.timeScale });
  const ctx: SimContext = {
    client: controllerClient, clock, scenario, cloud, log, random: seededRandom(options.seed ?? 7),
    bulk: (objects) => {
      for (const obj of objects) server.api.seed(registry.byKind(obj.apiVersion, obj.kind)!, obj);
    },
  };
  await seedCluster(ctx);
  const controllers = await startControllers(ctx);
  const client = new SimClient({ server: server.url, caPem: certs.caPem, token, fieldValidation: 'Strict', userAgent: 'test' });
  return {
    server, client, kinds: kindsFor(scenario), scenario, clock, cloud, ctx, caPem: certs.caPem, token, logs, faults: controllers.faults,
    stop: async () => {
      await controllers.stop();
      controllerClient.close();
      client.close();
      await cloud.stop();
      await server.close();
    },
  };
}

/** Polls `probe` until it returns a truthy value (returned), failing after `timeoutMs` with `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 20_000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Reads a dotted path of a JSON object. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Logs in to an SSH server (a bastion) with `privateKey`; resolves with the SHA256 fingerprint of its host key. */
export function sshHostKey(privateKey: string, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let fingerprint = '';
    const client = new ssh2.Client();
    client.on('ready', () => {
      client.end();
      resolve(fingerprint);
    });
    client.on('error', reject);
    client.connect({
      host, port, username: 'ubuntu', privateKey, readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        fingerprint = fingerprintSha256(key);
        return true;
      },
    });
  });
}

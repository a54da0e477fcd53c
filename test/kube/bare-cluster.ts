// A cluster without Cluster API, CAPO, Prow or metrics: the simulated API server with only the built-in kinds
// registered and no controllers, seeded with two nodes and a pod. It is the same HTTPS server code as `startSim`,
// just without the CRDs — which is what such a cluster looks like to a client.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServingCerts } from '../../src/sim/certs.js';
import { coreResources } from '../../src/sim/kinds/core.js';
import { renderKubeconfig } from '../../src/sim/kubeconfig.js';
import type { KubeObject } from '../../src/sim/objects.js';
import { Registry } from '../../src/sim/registry.js';
import { startApiServer, type ApiServer } from '../../src/sim/server.js';
import { ObjectStore } from '../../src/sim/store.js';

/** A running bare cluster. */
export interface BareCluster {
  server: ApiServer;
  kubeconfig: string;
  caPem: string;
  token: string;
  stop(): Promise<void>;
}

const node = (name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, labels: { 'node-role.kubernetes.io/worker': '' } },
  spec: { providerID: `openstack:///${name}-uuid` },
  status: {
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString() }],
    nodeInfo: { kubeletVersion: 'v1.31.4' },
  },
}) as KubeObject;

/** Starts the bare cluster on 127.0.0.1 with a kubeconfig file in a temporary directory. */
export async function startBareCluster(): Promise<BareCluster> {
  const registry = new Registry(coreResources());
  const store = new ObjectStore({});
  const certs = await createServingCerts(['127.0.0.1'], ['localhost']);
  const token = randomBytes(16).toString('hex');
  const server = await startApiServer(registry, store, { host: '127.0.0.1', port: 0, cert: certs.certPem, key: certs.keyPem, token });
  const seed = (obj: KubeObject) => server.api.seed(registry.byKind(obj.apiVersion, obj.kind)!, obj);
  seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  seed(node('worker-a'));
  seed(node('worker-b'));
  seed({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'worker-a', containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
    status: { phase: 'Running' },
  } as KubeObject);
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-bare-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig({ apiUrl: server.url, loadBalancerUrl: server.url, caPem: certs.caPem, token }));
  return {
    server,
    kubeconfig,
    caPem: certs.caPem,
    token,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

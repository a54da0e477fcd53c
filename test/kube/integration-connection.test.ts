// Connecting through the real client: a SOCKS tunnel with a name only the far side can resolve (socks5h), the
// shared keep-alive agent, and the specific errors for unreachable (direct or tunnelled), TLS, 401 and 403.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { getView } from '../../src/kube/actions.js';
import { discover } from '../../src/kube/discovery.js';
import { KubeError } from '../../src/kube/errors.js';
import { watchedFamilies } from '../../src/kube/kinds.js';
import { startSession } from '../../src/kube/session.js';
import { createServingCerts } from '../../src/sim/certs.js';
import { listenSocks, type SocksListener } from '../../src/tunnel/socks.js';
import { Collector, eventually, fastTuning, simFixture, type SimFixture } from './sim-helpers.js';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const rejectsWith = (promise: Promise<unknown>, kind: KubeError['kind'], pattern: RegExp) =>
  assert.rejects(promise, (e: unknown) => e instanceof KubeError && e.kind === kind && pattern.test(e.message) ? true : assert.fail(`${(e as Error).message}`));

describe('connecting through the real client', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  let socks: SocksListener;
  let internalName: string;
  /** A SOCKS server whose far side resolves the API's internal name, as the bastion does; this machine cannot. */
  const startSocks = async () => {
    const api = new URL(fx.sim.info.api);
    let channels = 0;
    const listener = await listenSocks({ host: '127.0.0.1', port: 0 }, (req) =>
      new Promise<Duplex>((resolve, reject) => {
        const host = req.host === 'api.prow.internal' ? api.hostname : req.host;
        const socket = tcpConnect(req.port, host, () => resolve(socket));
        socket.once('error', reject);
      }), { onChannel: (delta) => void (delta > 0 && (channels += 1)) });
    return { listener, channels: () => channels };
  };
  before(async () => {
    fx = await simFixture({ scenario: 'capi-v1beta2', controllers: false, deny: [{ resource: 'nodes', verbs: ['get'] }] });
    socks = (await startSocks()).listener;
    internalName = join(fx.dir, 'internal');
    writeFileSync(internalName, fx.sim.kubeconfig.replaceAll(fx.sim.info.api, `https://api.prow.internal:${new URL(fx.sim.info.api).port}`));
  });
  after(async () => {
    await socks?.close();
    await fx?.stop();
  });

  test('through a socks5h tunnel the internal API name works; directly or with socks5:// it cannot resolve', async () => {
    const tunnel = fx.client({ kubeconfig: internalName, proxyUrl: `socks5h://127.0.0.1:${socks.address.port}` });
    const collector = new Collector();
    const session = await startSession({ client: tunnel, tuning: fastTuning, metricsIntervalMs: 0, kinds: ['nodes', 'machines'] }, collector);
    try {
      await eventually('synced through the tunnel', () => collector.synced() && collector.model.nodes.size > 0);
    } finally {
      session.stop();
    }
    await rejectsWith(discover(fx.client({ kubeconfig: internalName, proxyUrl: null }), watchedFamilies), 'unreachable', /^API server https:\/\/api\.prow\.internal:\d+ unreachable directly \(no tunnel\): .*ENOTFOUND/);
    await rejectsWith(discover(fx.client({ kubeconfig: internalName, proxyUrl: `socks5://127.0.0.1:${socks.address.port}` }), watchedFamilies), 'unreachable', /through the tunnel socks5:\/\/127\.0\.0\.1:\d+: .*ENOTFOUND/);
  });

  test('the shared keep-alive agent reuses one tunnel channel; without it every request opens one', async () => {
    const requests = async (keepAlive: boolean) => {
      const own = await startSocks();
      const client = fx.client({ kubeconfig: internalName, proxyUrl: `socks5h://127.0.0.1:${own.listener.address.port}`, keepAlive });
      for (let i = 0; i < 10; i++) await client.request({ method: 'GET', path: '/api/v1/namespaces' });
      client.close();
      await own.listener.close();
      return own.channels();
    };
    assert.equal(await requests(false), 10);
    assert.equal(await requests(true), 1);
  });

  test('unreachable, directly and through a tunnel that is down, names the address and the path taken', async () => {
    const port = await closedPort();
    const path = join(fx.dir, 'closed');
    writeFileSync(path, fx.sim.kubeconfig.replaceAll(fx.sim.info.api, `https://127.0.0.1:${port}`));
    await rejectsWith(discover(fx.client({ kubeconfig: path }), watchedFamilies), 'unreachable', new RegExp(`^API server https://127\\.0\\.0\\.1:${port} unreachable directly \\(no tunnel\\): .*ECONNREFUSED`));
    const proxyPort = await closedPort();
    await rejectsWith(discover(fx.client({ kubeconfig: path, proxyUrl: `socks5h://127.0.0.1:${proxyPort}` }), watchedFamilies), 'unreachable', new RegExp(`through the tunnel socks5h://127\\.0\\.0\\.1:${proxyPort}: .*ECONNREFUSED`));
  });

  test('a certificate from another CA is a TLS error; a wrong token is 401; a refused get names verb and resource', async () => {
    const other = await createServingCerts(['127.0.0.1'], ['localhost']);
    const wrongCa = join(fx.dir, 'wrong-ca');
    writeFileSync(wrongCa, fx.sim.kubeconfig.replace(/certificate-authority-data: \S+/g, `certificate-authority-data: ${Buffer.from(other.caPem).toString('base64')}`));
    await rejectsWith(discover(fx.client({ kubeconfig: wrongCa }), watchedFamilies), 'tls', /^TLS error talking to https:\/\/127\.0\.0\.1:\d+ directly \(no tunnel\): /);
    const wrongToken = join(fx.dir, 'wrong-token');
    writeFileSync(wrongToken, fx.sim.kubeconfig.replace(fx.sim.token, 'not-the-token'));
    await rejectsWith(discover(fx.client({ kubeconfig: wrongToken }), watchedFamilies), 'unauthorized', /^401 Unauthorized from https:\/\/127\.0\.0\.1:\d+: the credentials in the kubeconfig were rejected/);
    const client = fx.client();
    const discovery = await discover(client, watchedFamilies);
    await rejectsWith(getView(client, discovery, 'nodes', undefined, 'prow-control-plane-x'), 'forbidden', /^403 Forbidden: not allowed to get nodes prow-control-plane-x — nodes "prow-control-plane-x" is forbidden/);
  });
});

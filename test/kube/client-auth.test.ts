// The kubeconfig features of kubeconfig-loader.ts (our port of client-node's KubeConfig), over HTTPS against the
// simulated cluster: CA file (relative to the kubeconfig), insecure-skip-tls-verify, tls-server-name, token file,
// a token-file auth provider, an exec credential plugin, merge order, and the client-node fallback for the
// deprecated auth providers and HTTP proxies. Each case is checked on a request and on a watch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { connect, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { createClient, type ConnectOptions, type KubeClient } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { createServingCerts } from '../../src/sim/certs.js';
import { simFixture, type SimFixture } from './sim-helpers.js';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

/** A CA and a client certificate (clientAuth) signed by it, CN=deckhand-operator. The sim's certs.ts imports x509. */
async function clientCerts(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const x509 = await import('@peculiar/x509');
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(Date.now() + 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=client-ca', notBefore, notAfter, signingAlgorithm: algorithm, keys: caKeys as never,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: 'CN=deckhand-operator', issuer: ca.subject, notBefore, notAfter, signingAlgorithm: algorithm,
    publicKey: keys.publicKey as never, signingKey: caKeys.privateKey as never,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { caPem: ca.toString('pem') + '\n', certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

describe('kubeconfig authentication and TLS through the real client', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  let n = 0;
  const clients: KubeClient[] = [];
  before(async () => {
    fx = await simFixture({ scenario: 'demo', controllers: false });
  });
  after(async () => {
    for (const c of clients) c.close();
    await fx.stop();
  });

  /** Writes a file under the fixture's directory (creating `sub/` directories) and returns its path. */
  const file = (name: string, text: string) => {
    const path = join(fx.dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const ca = () => Buffer.from(fx.sim.caPem).toString('base64');
  /** A one-context kubeconfig (JSON is YAML) with the given cluster and user entries. */
  const kubeconfig = (cluster: Record<string, unknown>, user: Record<string, unknown>, name = `kc-${++n}`) =>
    file(name, JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'c', cluster: { server: fx.sim.info.api, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    }));
  const client = (options: ConnectOptions) => {
    const c = createClient(options);
    clients.push(c);
    return c;
  };
  /** A request and a watch both reach the API (a watch reports the namespaces as ADDED events). */
  const works = async (options: ConnectOptions) => {
    const c = client(options);
    const res = await c.request<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/namespaces' });
    assert.ok(res.body.items.length > 0);
    const added = await new Promise<number>((resolve, reject) => {
      let count = 0;
      const stream = c.watch('/api/v1/namespaces', {}, (type) => {
        if (type === 'ADDED' && ++count === res.body.items.length) {
          stream.stop();
          resolve(count);
        }
      }, (err) => reject(err ?? new Error('watch ended')));
    });
    assert.equal(added, res.body.items.length);
  };
  /** A request and a watch both fail with this kind of KubeError. */
  const fails = async (options: ConnectOptions, kind: KubeError['kind'], pattern: RegExp) => {
    const c = client(options);
    const expected = (e: unknown) => (e instanceof KubeError && e.kind === kind && pattern.test(e.message) ? true : assert.fail(`${(e as Error).message}`));
    await assert.rejects(c.request({ method: 'GET', path: '/api/v1/namespaces' }), expected);
    const err = await new Promise<KubeError | null>((resolve) => c.watch('/api/v1/namespaces', {}, () => {}, resolve));
    expected(err);
  };
  const token = () => ({ token: fx.sim.token });

  test('a CA file relative to the kubeconfig verifies the server; no CA or another CA is refused', async () => {
    file('sub/dir/ca.pem', fx.sim.caPem);
    await works({ kubeconfig: kubeconfig({ 'certificate-authority': 'ca.pem' }, token(), 'sub/dir/kubeconfig') });
    await works({ kubeconfig: kubeconfig({ 'certificate-authority': 'dir/ca.pem' }, token(), 'sub/kubeconfig'), keepAlive: false });
    await fails({ kubeconfig: kubeconfig({}, token()) }, 'tls', /TLS error/);
    const other = await createServingCerts(['127.0.0.1'], ['localhost']);
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': Buffer.from(other.caPem).toString('base64') }, token()) }, 'tls', /TLS error/);
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority': 'ca.pem' }, token(), 'elsewhere/kubeconfig') }, 'unreachable', /ENOENT.*elsewhere\/ca\.pem/);
  });

  test('insecure-skip-tls-verify: true accepts an unverified server; false or unset still verifies', async () => {
    await works({ kubeconfig: kubeconfig({ 'insecure-skip-tls-verify': true }, token()) });
    await fails({ kubeconfig: kubeconfig({ 'insecure-skip-tls-verify': false }, token()) }, 'tls', /TLS error/);
    // Only a YAML boolean true skips verification, as in client-node (config_types: === true).
    await fails({ kubeconfig: kubeconfig({ 'insecure-skip-tls-verify': 'true' }, token()) }, 'tls', /TLS error/);
  });

  test('tls-server-name is the name the certificate is checked against', async () => {
    await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca(), 'tls-server-name': 'kubernetes.default' }, token()) });
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca(), 'tls-server-name': 'other.example' }, token()) }, 'tls', /other\.example/);
  });

  test('a token file and a token-file auth provider authenticate; a wrong token is rejected', async () => {
    const good = file('token', fx.sim.token);
    const bad = file('bad-token', 'nope');
    await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, { 'token-file': good }) });
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, { 'token-file': bad }) }, 'unauthorized', /401/);
    await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, { 'auth-provider': { name: 'file', config: { tokenFile: good } } }) });
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, {}) }, 'unauthorized', /401/);
  });

  test('an exec credential plugin supplies the token; a failing plugin reports its stderr', async () => {
    const plugin = file('plugin.mjs', `if (process.env.FAIL) { process.stderr.write('plugin says no'); process.exit(1); }
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: process.env.TOKEN } }));`);
    const exec = (env: Record<string, string>) => ({
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], env: Object.entries(env).map(([name, value]) => ({ name, value })) },
    });
    await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, exec({ TOKEN: fx.sim.token })) });
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, exec({ TOKEN: 'wrong' })) }, 'unauthorized', /401/);
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, exec({ FAIL: '1' })) }, 'unreachable', /plugin says no/);
  });

  test('merged files: the first to define a user wins, and each file resolves its own relative paths', async () => {
    file('m1/ca.pem', fx.sim.caPem);
    const good = kubeconfig({ 'certificate-authority': 'ca.pem' }, token(), 'm1/kubeconfig');
    const bad = kubeconfig({}, { token: 'wrong' }, 'm2/kubeconfig');
    await works({ env: { KUBECONFIG: [good, bad].join(delimiter) } });
    await fails({ env: { KUBECONFIG: [bad, good].join(delimiter) } }, 'tls', /TLS error/);
    const badUserOnly = file('m3/kubeconfig', JSON.stringify({ users: [{ name: 'u', user: { token: 'wrong' } }] }));
    await fails({ env: { KUBECONFIG: [badUserOnly, good].join(delimiter) } }, 'unauthorized', /401/);
  });

  test('a gcp auth-provider user is handed to client-node\'s own KubeConfig', async () => {
    const gcp = (accessToken: string) => ({ 'auth-provider': { name: 'gcp', config: { 'access-token': accessToken, expiry: '2999-01-01T00:00:00Z' } } });
    await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, gcp(fx.sim.token)) });
    await fails({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca() }, gcp('wrong')) }, 'unauthorized', /401/);
  });

  test('an HTTP proxy-url is handed to client-node (hpagent), with TLS still verified through it', async () => {
    const tunnels: Socket[] = [];
    let connects = 0;
    const proxy = createHttpServer().on('connect', (req, socket: Socket) => {
      connects++;
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
      tunnels.push(socket, upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      await works({ kubeconfig: kubeconfig({ 'certificate-authority-data': ca(), 'proxy-url': proxyUrl }, token()) });
      assert.ok(connects >= 2, `the request and the watch went through the proxy (${connects} CONNECTs)`);
      await fails({ kubeconfig: kubeconfig({ 'proxy-url': proxyUrl }, token()) }, 'tls', /TLS error/);
    } finally {
      for (const s of tunnels) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });

  test('client certificates (inline, or files relative to the kubeconfig) and basic auth reach a server that requires a client certificate', async () => {
    // The sim authenticates bearer tokens only: this HTTPS server (the sim's serving certificate) requires a client
    // certificate from its own CA and answers a list and a watch with the certificate's CN and the Authorization header.
    const certs = await clientCerts();
    const serving = await createServingCerts(['127.0.0.1'], ['localhost']);
    const seen: string[] = [];
    const server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem, ca: certs.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
      seen.push(`${cn} ${req.headers.authorization ?? '-'}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url!.includes('watch=true')) res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'default' } } }) + '\n');
      else res.end(JSON.stringify({ kind: 'NamespaceList', items: [{ metadata: { name: 'default' } }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cluster = { server: url, 'certificate-authority-data': Buffer.from(serving.caPem).toString('base64') };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    try {
      await works({ kubeconfig: kubeconfig(cluster, { 'client-certificate-data': b64(certs.certPem), 'client-key-data': b64(certs.keyPem) }) });
      file('certs/operator.crt', certs.certPem);
      file('certs/operator.key', certs.keyPem);
      await works({ kubeconfig: kubeconfig(cluster, { 'client-certificate': 'certs/operator.crt', 'client-key': 'certs/operator.key', username: 'ops', password: 's3cret' }, 'kc-files') });
      assert.deepEqual(seen, ['deckhand-operator -', 'deckhand-operator -', ...Array(2).fill(`deckhand-operator Basic ${b64('ops:s3cret')}`)]);
      await assert.rejects(createClient({ kubeconfig: kubeconfig(cluster, token()) }).request({ method: 'GET', path: '/api/v1/namespaces' }), KubeError);
      assert.equal(seen.length, 4, 'no request without a client certificate got through');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

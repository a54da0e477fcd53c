// Shared pieces of the tunnel integration tests: temporary directories, real HTTP(S) servers to reach through the
// tunnel, real curl and kubectl runs, a raw SOCKS5 client, and awaiting tunnel events with bounded timeouts.
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { connect, createServer as createTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTunnel, type Tunnel, type TunnelOptions } from '../../src/tunnel/manager.js';
import type { TunnelEvent } from '../../src/tunnel/types.js';

const run = promisify(execFile);

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `deckhand-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rejects after `ms` unless the promise settles first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** The next event of a type (optionally matching a predicate), subscribed now, bounded by a timeout. */
export function nextEvent<T extends TunnelEvent['type']>(
  tunnel: Tunnel, type: T, ms = 5000, predicate: (e: Extract<TunnelEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<TunnelEvent, { type: T }>> {
  let off = () => {};
  const seen = new Promise<Extract<TunnelEvent, { type: T }>>((resolve) => {
    off = tunnel.subscribe((event) => {
      if (event.type === type && predicate(event as Extract<TunnelEvent, { type: T }>)) resolve(event as Extract<TunnelEvent, { type: T }>);
    });
  });
  return withTimeout(seen, ms, `tunnel event '${type}'`).finally(off);
}

/** Every event of a tunnel, in order, for assertions after the fact. */
export function recordEvents(tunnel: Tunnel): TunnelEvent[] {
  const events: TunnelEvent[] = [];
  tunnel.subscribe((e) => events.push(e));
  return events;
}

/** Fast timings for tests: keepalive 200 ms × 3, short backoff. */
export const fastTiming = {
  keepaliveIntervalMs: 200, keepaliveCountMax: 3, connectTimeoutMs: 3000, backoffInitialMs: 50, backoffMaxMs: 400,
  rttIntervalMs: 200, statsIntervalMs: 50,
};

/** Builds a tunnel with test defaults: ephemeral loopback port, no ~/.ssh/config, one known_hosts file, fast timing. */
export function makeTunnel(dir: string, options: Partial<TunnelOptions> & Pick<TunnelOptions, 'bastion'>): Tunnel {
  const knownHosts = join(dir, 'known_hosts');
  return createTunnel({
    listen: { host: '127.0.0.1', port: 0 },
    local: { home: dir, name: 'tester' },
    sshConfigFile: null,
    identityFiles: [],
    knownHosts: { userFiles: [knownHosts], globalFiles: [], writeFile: knownHosts, acceptNew: false },
    timing: fastTiming,
    random: () => 0.5,
    ...options,
  });
}

/** An HTTP server on 127.0.0.1 answering `hello <url>`; `holds` keeps /hold requests open until closed. */
export async function httpServer(): Promise<{ port: number; server: Server; close: () => Promise<void> }> {
  const server = createHttp((req, res) => {
    if (req.url === '/hold') {
      res.writeHead(200);
      res.write('holding\n');
      return;
    }
    res.end(`hello ${req.url}\n`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A tiny HTTPS "API server" for kubectl: /version and /api, with a self-signed certificate for `name`. */
export async function fakeApiServer(dir: string, name: string): Promise<{ port: number; caFile: string; close: () => Promise<void> }> {
  const key = join(dir, 'api.key');
  const cert = join(dir, 'api.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`, '-days', '2'], { stdio: 'ignore' });
  const server = createHttps({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/version')) {
      return res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-deckhand-test', platform: 'linux/amd64' }));
    }
    if (req.url?.startsWith('/api')) {
      return res.end(JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: name }] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    caFile: cert,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Runs curl through a SOCKS5 proxy with remote name resolution; resolves with stdout. */
export async function curl(socksPort: number, url: string): Promise<string> {
  const { stdout } = await run('curl', ['-sS', '--max-time', '5', '--socks5-hostname', `127.0.0.1:${socksPort}`, url]);
  return stdout;
}

/** Runs kubectl with a kubeconfig whose cluster goes through `proxy-url: socks5://127.0.0.1:<port>`. */
export async function kubectl(dir: string, socksPort: number, server: string, caFile: string, args: string[]): Promise<string> {
  const kubeconfig = join(dir, `kubeconfig-${socksPort}`);
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: test',
    'clusters:', '- name: test', '  cluster:', `    server: ${server}`,
    `    certificate-authority-data: ${readFileSync(caFile).toString('base64')}`,
    `    proxy-url: socks5://127.0.0.1:${socksPort}`,
    'users:', '- name: test', '  user:', '    token: test-token',
    'contexts:', '- name: test', '  context: {cluster: test, user: test}', '',
  ].join('\n'));
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=5s', ...args], {
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
  });
  return stdout;
}

/** A free TCP port on a loopback address (for tests that must know the port before anything listens). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createTcp();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something accepts TCP connections on host:port. */
export async function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  const socket = connect(port, host);
  try {
    await withTimeout(once(socket, 'connect'), 2000, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Opens a SOCKS5 CONNECT to a domain name through the proxy; resolves with the socket and the reply code. */
export async function socksConnect(proxyPort: number, host: string, port: number): Promise<{ socket: Socket; reply: number }> {
  const socket = connect(proxyPort, '127.0.0.1');
  await withTimeout(once(socket, 'connect'), 3000, 'SOCKS connect');
  const name = Buffer.from(host);
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  const reply = new Promise<number>((resolve) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 12) return;
      socket.off('data', onData);
      socket.pause();
      if (buffer.length > 12) socket.unshift(buffer.subarray(12));
      resolve(buffer[3]!);
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(buffer.length >= 4 ? buffer[3]! : -1));
  });
  socket.write(Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 3, name.length]), name, portBytes]));
  return { socket, reply: await withTimeout(reply, 5000, 'SOCKS reply') };
}

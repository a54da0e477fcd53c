// The two SOCKS tunnels compared: `deckhand tunnel` (ssh2 + deckhand's own SOCKS5 listener) and OpenSSH's
// `ssh -N -D`. Both are started as an operator starts them and are ready once their SOCKS port accepts connections.
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { launch, processCpuMs, stop } from './children.js';
import { deckhandCli } from './paths.js';

/** A running tunnel. */
export interface Opened {
  child: ChildProcess;
  proxyUrl: string;
  port: number;
}

/** Extra node flags for `deckhand tunnel`, to profile it: BENCH_TUNNEL_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const profileFlags = (process.env.BENCH_TUNNEL_FLAGS ?? '').split(' ').filter(Boolean);

/** Starts `deckhand tunnel` and resolves once it prints where it listens. */
export async function deckhandTunnel(options: { target: string; identity: string; knownHosts: string; env: NodeJS.ProcessEnv }): Promise<Opened> {
  const child = launch(process.execPath, [
    ...profileFlags, deckhandCli, 'tunnel', '--bastion', options.target, '--identity', options.identity, '--known-hosts', options.knownHosts,
    '--listen', '127.0.0.1:0', '--ssh-config', 'none',
  ], { env: options.env });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deckhand tunnel did not listen within 30 s: ${err.trim()}`)), 30_000);
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /SOCKS5 proxy on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`deckhand tunnel exited ${code}: ${err.trim()}`));
      });
    });
    return { child, port, proxyUrl: `socks5h://127.0.0.1:${port}` };
  } catch (e) {
    await stop(child);
    throw e;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const accepts = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
});

/** Starts `ssh -N -D` (OpenSSH's dynamic forwarding) and resolves once its SOCKS port accepts connections. */
export async function opensshTunnel(options: { host: string; port: number; user: string; identity: string; knownHosts: string }): Promise<Opened> {
  const port = await freePort();
  const child = launch('ssh', [
    '-N', '-D', `127.0.0.1:${port}`, '-F', 'none', '-i', options.identity, '-p', String(options.port),
    '-o', `UserKnownHostsFile=${options.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
    '-o', 'ExitOnForwardFailure=yes', '-o', 'ServerAliveInterval=15', `${options.user}@${options.host}`,
  ]);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`ssh -N -D exited ${child.exitCode}: ${err.trim()}`);
    if (await accepts(port)) return { child, port, proxyUrl: `socks5h://127.0.0.1:${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop(child);
  throw new Error(`ssh -N -D did not listen within 10 s: ${err.trim()}`);
}

/** CPU time (user + system, ms) the tunnel has used so far (with the child `deckhand tunnel` relaunches itself into). */
export function cpuMs(child: ChildProcess): number | undefined {
  const ms = processCpuMs(child.pid!);
  return Number.isNaN(ms) ? undefined : ms;
}

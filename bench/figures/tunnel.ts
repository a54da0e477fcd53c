// Figure 5: the tunnel itself. 200 concurrent GETs, each on its own SOCKS connection (as client-node opens one per
// request), through deckhand's listener (`deckhand tunnel`) and through OpenSSH's `ssh -N -D`, both connected to the
// same real OpenSSH sshd on loopback, to a small HTTP server behind it. Throughput and per-request p95 latency, and
// the CPU time each tunnel process spent per request (steadier than wall time on a machine shared with other work).
//
// What bounds deckhand's side (profiles with BENCH_TUNNEL_FLAGS, bench/lib/tunnels.ts): about a third of its CPU is
// V8's garbage collector. With a live heap of ~9 MB, V8's default old-generation limit keeps the process in nearly
// continuous incremental marking (--trace-gc: ~85 mark-compacts per 12,000 requests, 4 scavenges); started with
// `--initial-old-space-size=64` it does 5, and CPU per request drops from 0.30–0.35 to 0.21–0.24 ms, below ssh's
// 0.25–0.30 (RSS 109 → 135 MB). V8 reads that flag only at start-up (v8.setFlagsFromString later changes nothing),
// and bin/deckhand.js starts Node without flags, so this figure measures the default. The rest is ssh2's AES-GCM
// (native binding), the write syscalls both tunnels make, and ssh2's per-packet randomFillSync for padding.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { startSshd } from '../../test/helpers/sshd.js';
import { stop } from '../lib/children.js';
import { log } from '../lib/log.js';
import { workDir } from '../lib/paths.js';
import { result, type Result } from '../lib/results.js';
import { percentile, summarize } from '../lib/stats.js';
import { cpuMs, deckhandTunnel, opensshTunnel, type Opened } from '../lib/tunnels.js';

const concurrency = 200;
const bodyBytes = 64 * 1024;
// Unmeasured requests through each tunnel before the runs. deckhand's tunnel is a long-running Node process: its
// first couple of thousand requests run partly unoptimised (about 1.5× the CPU per request of later ones, measured
// with cpuMs), which a tunnel open all day has long left behind; OpenSSH has nothing to warm up. 200 was too few.
const warmup = 1000;

interface Load {
  rps: number;
  p95: number;
  failed: number;
  /** CPU ms the tunnel process spent per completed request. */
  cpu: number;
}

/** One GET through the proxy; resolves with its duration (ms). */
function fetchOnce(url: string, agent: SocksProxyAgent): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => (bytes === bodyBytes ? resolve(performance.now() - start) : reject(new Error(`short body: ${bytes} bytes`))));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('GET timed out after 30 s')));
    req.on('error', reject);
  });
}

/** `total` GETs by `concurrency` workers; throughput (requests/s), p95 latency (ms) and the tunnel's CPU per request. */
async function load(tunnel: Opened, url: string, total: number): Promise<Load> {
  const proxyUrl = tunnel.proxyUrl;
  const cpuBefore = cpuMs(tunnel.child);
  // No keep-alive: every request is a new SOCKS connection and a new SSH channel.
  const agent = new SocksProxyAgent(proxyUrl, { keepAlive: false });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + 120_000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total && performance.now() < deadline) {
      next += 1;
      try {
        latencies.push(await fetchOnce(url, agent));
      } catch {
        failed += 1;
      }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuMs(tunnel.child);
  agent.destroy();
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? NaN : (cpuAfter - cpuBefore) / Math.max(1, latencies.length);
  return { rps: latencies.length / seconds, p95: percentile(latencies, 95), failed, cpu };
}

async function target(): Promise<Server> {
  const body = Buffer.alloc(bodyBytes, 'x');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bodyBytes });
    res.end(body);
  });
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Runs the tunnel comparison `runs` times, alternating which tunnel goes first. */
export async function tunnel(runs: number, quick: boolean): Promise<Result[]> {
  const total = quick ? 600 : 2000;
  const dir = join(workDir, 'tunnel');
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const sshd = await startSshd();
  const server = await target();
  const opened: Opened[] = [];
  try {
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519}\n`);
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state') };
    const ours = await deckhandTunnel({ target: `${sshd.user}@127.0.0.1:${sshd.port}`, identity: sshd.userKeyFile, knownHosts, env });
    opened.push(ours);
    const theirs = await opensshTunnel({ host: '127.0.0.1', port: sshd.port, user: sshd.user, identity: sshd.userKeyFile, knownHosts });
    opened.push(theirs);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    for (let round = 0; round < 4; round++) {
      // warm-up of both in four rounds, alternating as the runs do; not counted
      for (const side of round % 2 ? [theirs, ours] : [ours, theirs]) await load(side, url, warmup / 4);
    }
    const a: Load[] = [];
    const b: Load[] = [];
    for (let i = 0; i < runs; i++) {
      const steps = [async () => a.push(await load(ours, url, total)), async () => b.push(await load(theirs, url, total))];
      if (i % 2) steps.reverse();
      for (const step of steps) await step();
      const line = (x: Load) => `${x.rps.toFixed(0)} req/s p95 ${x.p95.toFixed(0)} ms ${x.cpu.toFixed(3)} CPU ms/req (${x.failed} failed)`;
      log(`  tunnel run ${i + 1}${i % 2 ? ' (ssh -D first)' : ''}: deckhand ${line(a.at(-1)!)}, ssh -D ${line(b.at(-1)!)}`);
    }
    const failures = (xs: typeof a) => xs.reduce((n, x) => n + x.failed, 0);
    const what = `${total} GETs of ${bodyBytes / 1024} KiB, ${concurrency} concurrent, a new SOCKS connection each, to a real sshd on loopback`;
    const note = failures(a) ? `${failures(a)} requests failed` : undefined;
    return [
      result('5 tunnel throughput', '—',
        { ...summarize(a.map((x) => x.rps), 'req/s'), what: `deckhand tunnel: ${what}`, ...(note ? { note } : {}) },
        { ...summarize(b.map((x) => x.rps), 'req/s'), what: `ssh -N -D (OpenSSH)${failures(b) ? `, ${failures(b)} requests failed` : ''}` },
        { text: 'ratio ≥ 0.9', on: 'ratio', min: 0.9 }),
      result('5 tunnel p95 latency', '—',
        { ...summarize(a.map((x) => x.p95), 'ms'), what: `deckhand tunnel: ${what}` },
        { ...summarize(b.map((x) => x.p95), 'ms'), what: 'ssh -N -D (OpenSSH)' },
        { text: 'ratio ≤ 1.2', on: 'ratio', max: 1.2 }),
      // No goal in issue 8: what each tunnel process costs per request, which bounds throughput once the cores are busy.
      result('5 tunnel CPU per request', '—',
        { ...summarize(a.map((x) => x.cpu), 'ms'), what: 'deckhand tunnel process: user + system CPU per request' },
        { ...summarize(b.map((x) => x.cpu), 'ms'), what: 'ssh -N -D process (OpenSSH)' }),
    ];
  } finally {
    for (const o of opened) await stop(o.child);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await sshd.stop();
  }
}

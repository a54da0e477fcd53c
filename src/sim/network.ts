// The simulated network around the cluster. On Linux all of 127.0.0.0/8 is loopback, so distinct addresses stand
// for distinct hosts: the API load balancer on 127.0.0.20, bastions on 127.0.6.x (the "cluster network"), the
// operator on 127.0.0.1. The load balancer enforces the allowed CIDRs on each connection's source address, as
// Octavia's listener allowed_cidrs does; an echo-IP endpoint tells callers their source address.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cidrContains } from '../format/cidr.js';

/** A TCP load balancer in front of the API server. */
export interface LoadBalancer {
  host: string;
  port: number;
  /** The effective allowed CIDRs; null admits everyone (Octavia without allowed_cidrs). */
  setAllowlist(cidrs: string[] | null): void;
  allowlist(): string[] | null;
  /** Counts of admitted and refused connections, for tests and the sim's log. */
  stats(): { admitted: number; refused: number };
  close(): Promise<void>;
}

/** Starts the load balancer: connections from allowed sources are piped to the backend, others are reset. */
export async function startLoadBalancer(host: string, port: number, backend: { host: string; port: number }): Promise<LoadBalancer> {
  let allowed: string[] | null = null;
  let admitted = 0;
  let refused = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const source = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (allowed !== null && !allowed.some((cidr) => safeContains(cidr, source))) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    admitted += 1;
    const upstream = connect(backend.port, backend.host);
    sockets.add(client);
    sockets.add(upstream);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
    client.pipe(upstream).pipe(client);
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    setAllowlist: (cidrs) => {
      allowed = cidrs === null ? null : [...cidrs];
    },
    allowlist: () => (allowed === null ? null : [...allowed]),
    stats: () => ({ admitted, refused }),
    close: () => closeServer(server, sockets),
  };
}

function safeContains(cidr: string, ip: string): boolean {
  try {
    return cidrContains(cidr, ip);
  } catch {
    return false;
  }
}

/** An HTTP endpoint answering with the caller's source address, like the echo-IP services operators use. */
export interface EchoIp {
  url: string;
  close(): Promise<void>;
}

/** Starts the echo-IP endpoint. */
export async function startEchoIp(host: string, port: number): Promise<EchoIp> {
  const sockets = new Set<Socket>();
  const server: HttpServer = createHttpServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`${(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')}\n`);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  return { url: `http://${address.address}:${address.port}/`, close: () => closeServer(server, sockets) };
}

function listen(server: Server | HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server | HttpServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

// The simulated cluster's bastion: an ssh2 SERVER that accepts public-key logins for one user and forwards
// direct-tcpip channels to loopback targets chosen by `route` (libraries.md §2.4). It owns its TCP sockets (and hands
// them to ssh2 with injectSocket) so tests can end every session or black-hole the link to exercise keepalive.
import { createHash } from 'node:crypto';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';

const { Server, utils } = ssh2;

/** How to start a bastion. */
export interface BastionOptions {
  host: string; // listen address, e.g. '127.0.6.10' (all of 127/8 is loopback on Linux)
  port: number; // 0 = ephemeral
  hostKey?: string; // private key (OpenSSH/PEM); generated ed25519 when absent
  user: string; // e.g. 'ubuntu'
  authorizedKeys: string[]; // OpenSSH public key lines accepted (public-key auth only)
  /** Maps a direct-tcpip destination (IP or hostname, resolved "on the bastion") to a loopback target, or null → connect failed. */
  route(dstHost: string, dstPort: number): { host: string; port: number } | null;
  localAddress?: string; // source address of forwarded connections (defaults to host), so a load balancer sees the bastion's address
}

/** A running bastion. */
export interface Bastion {
  host: string;
  port: number;
  hostKeyPublic: string; // "ssh-ed25519 AAAA…"
  fingerprint: string; // SHA256:…
  close(): Promise<void>;
  dropClients(): void; // end every session now
  blackhole(on: boolean): void; // stop answering (pause sockets) to exercise keepalive
}

/** A fresh ed25519 key pair in OpenSSH format (private key PEM-like text, public key one line). */
export function generateUserKey(): { privateKey: string; publicKey: string } {
  // ssh2 1.17's keygen strips leading zero bytes of the raw public key, so about 1 key in 256 cannot be parsed back
  // (mscdex/ssh2#1390, #1513); draw again until both halves parse.
  for (let i = 0; i < 32; i++) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = [utils.parseKey(pair.private), utils.parseKey(pair.public)];
    if (parsed.every((k) => !(k instanceof Error) && !Array.isArray(k))) return { privateKey: pair.private, publicKey: pair.public };
  }
  throw new Error('bastion: could not generate a parseable ed25519 key');
}

function parsePublicKeys(lines: string[]): ParsedKey[] {
  return lines.map((line) => {
    const key = utils.parseKey(line.trim());
    if (key instanceof Error || Array.isArray(key)) throw new Error(`bastion: cannot parse authorized key '${line.slice(0, 40)}…'`);
    return key;
  });
}

/** Starts the bastion and resolves once it listens. */
export async function startBastion(options: BastionOptions): Promise<Bastion> {
  const hostKey = options.hostKey ?? generateUserKey().privateKey;
  const parsedHostKey = utils.parseKey(hostKey);
  if (parsedHostKey instanceof Error || Array.isArray(parsedHostKey)) throw new Error('bastion: cannot parse the host key');
  const hostBlob = parsedHostKey.getPublicSSH();
  const allowed = parsePublicKeys(options.authorizedKeys);
  const sockets = new Set<Socket>(); // every TCP socket: SSH clients and forwarded targets
  const clients = new Set<Connection>();
  const held = new Set<Socket>(); // connections accepted while black-holed, injected once it ends
  let blackholed = false;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const ssh = new Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== options.user) return ctx.reject(['publickey']);
      const key = allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      if (!key) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether the key would do (RFC 4252 §7); then it signs.
      if (!ctx.signature) return ctx.accept();
      return key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (_accept, reject) => reject()); // forwarding only, like `MaxSessions 0`
      client.on('tcpip', (accept, reject, info) => {
        const target = options.route(info.destIP, info.destPort);
        if (!target) return reject();
        const upstream = netConnect({ host: target.host, port: target.port, localAddress: options.localAddress ?? options.host });
        track(upstream);
        upstream.once('error', () => {
          if (upstream.connecting) reject();
          upstream.destroy();
        });
        upstream.once('connect', () => {
          const channel = accept();
          channel.on('error', () => upstream.destroy());
          upstream.pipe(channel).pipe(upstream);
          channel.once('close', () => upstream.destroy());
          upstream.once('close', () => channel.close());
        });
      });
    });
  });

  const inject = (socket: Socket) => ssh.injectSocket(socket);
  const tcp = createServer((socket) => {
    track(socket);
    socket.on('error', () => socket.destroy());
    if (blackholed) {
      socket.pause();
      held.add(socket);
      socket.once('close', () => held.delete(socket));
    } else {
      inject(socket);
    }
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    host: options.host,
    port,
    hostKeyPublic: `${parsedHostKey.type} ${hostBlob.toString('base64')}`,
    fingerprint: `SHA256:${createHash('sha256').update(hostBlob).digest('base64').replace(/=+$/, '')}`,
    close: () => new Promise<void>((resolve) => {
      tcp.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
    dropClients: () => {
      for (const client of clients) client.end();
      for (const socket of held) socket.destroy();
    },
    blackhole: (on) => {
      if (on === blackholed) return;
      blackholed = on;
      // Paused reads mean no keepalive replies; corked writes mean nothing from the bastion gets through either.
      for (const socket of sockets) {
        if (on) {
          socket.pause();
          socket.cork();
        } else {
          socket.uncork();
          socket.resume();
        }
      }
      if (!on) {
        for (const socket of held) inject(socket);
        held.clear();
      }
    },
  };
}

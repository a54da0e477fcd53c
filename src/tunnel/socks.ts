// A hand-written SOCKS5 server (RFC 1928): CONNECT only, no authentication, IPv4 / domain / IPv6 targets, loopback
// only. Each accepted connection gets one SSH direct-tcpip channel (libraries.md §3). Partial reads are buffered:
// a greeting or request may arrive split over several TCP segments, or together with the first payload bytes.
// @see https://www.rfc-editor.org/rfc/rfc1928
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { formatHostPort, isLoopbackHost } from './address.js';
import { TunnelError, type ListenAddress } from './types.js';

/** A CONNECT request as received: the target (a name is passed on unresolved) and who asked. */
export interface SocksRequest {
  host: string;
  port: number;
  /** RFC 1928 address type: 1 IPv4, 3 domain name, 4 IPv6. */
  addressType: 1 | 3 | 4;
  clientAddress: string;
  clientPort: number;
}

/** Opens the upstream stream for a request; a rejection's `reason` (RFC 4254) picks the SOCKS reply code. */
export type SocksConnect = (request: SocksRequest) => Promise<Duplex>;

/** What the listener reports to the manager (bytes and channel counts for the header). */
export interface SocksObserver {
  onBytes?(direction: 'in' | 'out', count: number): void;
  onChannel?(delta: 1 | -1): void;
}

/** A listening SOCKS server. */
export interface SocksListener {
  readonly address: ListenAddress;
  /** Client sockets currently open (in handshake or relaying). */
  readonly size: number;
  /** Destroys every client socket at once (the SSH connection dropped) but keeps listening. */
  destroyAll(): void;
  /** Stops listening and destroys every client socket. */
  close(): Promise<void>;
}

/** SOCKS5 reply codes (RFC 1928 §6). */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

/**
 * Maps a failed channel open to a reply: RFC 4254 reason 1 (administratively prohibited, e.g. `PermitOpen`) → not
 * allowed; 2 (connect failed) → refused / unreachable by the server's description; no SSH connection → network
 * unreachable (the path to the cluster is down); anything else → general failure.
 */
export function replyCodeFor(err: unknown): number {
  const reason = (err as { reason?: unknown }).reason;
  const message = err instanceof Error ? err.message : String(err);
  if (reason === 1) return SocksReply.notAllowed;
  if (reason === 2) {
    if (/refused/i.test(message)) return SocksReply.connectionRefused;
    if (/network is unreachable/i.test(message)) return SocksReply.networkUnreachable;
    if (/timed? ?out/i.test(message)) return SocksReply.ttlExpired;
    return SocksReply.hostUnreachable;
  }
  if (/not connected|no ssh connection/i.test(message)) return SocksReply.networkUnreachable;
  return SocksReply.generalFailure;
}

const handshakeTimeoutMs = 10_000;

/** Binds a loopback address (port 0 = ephemeral) and serves CONNECT requests through `connect`. */
export async function listenSocks(listen: ListenAddress, connect: SocksConnect, observer: SocksObserver = {}): Promise<SocksListener> {
  if (!isLoopbackHost(listen.host)) {
    throw new TunnelError('listen', `refusing to listen on ${listen.host}: the SOCKS proxy has no authentication, so anything ` +
      `that can reach ${listen.host} could use the bastion with your key; listen on a loopback address (127.0.0.1 or ::1)`);
  }
  // 'localhost' may resolve to a non-loopback address through /etc/hosts; bind the literal instead.
  const host = listen.host.toLowerCase() === 'localhost' ? '127.0.0.1' : listen.host;
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveClient(socket, connect, observer);
  });
  await bind(server, host, listen.port);
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : listen.port;
  const destroyAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    address: { host, port },
    get size() {
      return sockets.size;
    },
    destroyAll,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      destroyAll();
    }),
  };
}

function bind(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = formatHostPort(host, port);
      const reasons: Record<string, string> = {
        EADDRINUSE: `${where} is already in use (another \`ssh -D\` or deckhand tunnel?); stop it or choose another port with --listen`,
        EACCES: `not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with --listen`,
        EADDRNOTAVAIL: `${host} is not an address of this machine; use 127.0.0.1`,
      };
      reject(new TunnelError('listen', reasons[err.code ?? ''] ?? `cannot listen on ${where}: ${err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function reply(code: number): Buffer {
  // BND.ADDR/PORT are zero, as OpenSSH's own -D replies: clients do not use them for CONNECT.
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

function serveClient(socket: Socket, connect: SocksConnect, observer: SocksObserver): void {
  let buffer: Buffer = Buffer.alloc(0);
  let stage: 'greeting' | 'request' | 'connecting' = 'greeting';
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  const timer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
  socket.once('close', () => clearTimeout(timer));
  const fail = (code: number) => {
    clearTimeout(timer);
    socket.end(reply(code));
  };

  const onData = (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (stage === 'greeting') {
      if (buffer.length < 2) return;
      if (buffer[0] !== 0x05) return void socket.destroy(); // not SOCKS5 (e.g. SOCKS4 or HTTP): nothing sane to reply
      const count = buffer[1]!;
      if (buffer.length < 2 + count) return;
      const methods = buffer.subarray(2, 2 + count);
      buffer = buffer.subarray(2 + count);
      if (!methods.includes(0x00)) {
        clearTimeout(timer);
        return void socket.end(Buffer.from([0x05, 0xff])); // no acceptable method (RFC 1928 §3)
      }
      socket.write(Buffer.from([0x05, 0x00]));
      stage = 'request';
    }
    if (stage === 'request') {
      const request = parseRequest(buffer);
      if (request === 'incomplete') return;
      socket.off('data', onData);
      socket.pause();
      stage = 'connecting';
      if (typeof request === 'number') return fail(request);
      const rest = buffer.subarray(request.length);
      buffer = Buffer.alloc(0);
      const target: SocksRequest = {
        ...request.target, clientAddress: socket.remoteAddress ?? '127.0.0.1', clientPort: socket.remotePort ?? 0,
      };
      connect(target).then(
        (channel) => {
          clearTimeout(timer);
          if (socket.destroyed) return void channel.destroy();
          relay(socket, channel, rest, observer);
        },
        (err: unknown) => {
          if (!socket.destroyed) fail(replyCodeFor(err));
        },
      );
    }
  };
  socket.on('data', onData);
}

type Parsed = { target: Pick<SocksRequest, 'host' | 'port' | 'addressType'>; length: number };

/** Parses a complete request from the buffer, or says it is incomplete, or returns the reply code for a bad one. */
function parseRequest(b: Buffer): Parsed | 'incomplete' | number {
  if (b.length < 5) return 'incomplete';
  if (b[0] !== 0x05) return SocksReply.generalFailure;
  const command = b[1]!;
  const addressType = b[3]!;
  let host: string;
  let offset: number;
  if (addressType === 1) {
    if (b.length < 4 + 4 + 2) return 'incomplete';
    host = [...b.subarray(4, 8)].join('.');
    offset = 8;
  } else if (addressType === 3) {
    const length = b[4]!;
    if (b.length < 5 + length + 2) return 'incomplete';
    host = b.subarray(5, 5 + length).toString('latin1');
    offset = 5 + length;
    if (length === 0) return SocksReply.hostUnreachable;
  } else if (addressType === 4) {
    if (b.length < 4 + 16 + 2) return 'incomplete';
    const groups = [];
    for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(4 + i * 2).toString(16));
    // The WHATWG URL parser prints IPv6 in RFC 5952 canonical form (zero runs compressed), e.g. `::1`.
    host = new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
    offset = 20;
  } else {
    return SocksReply.addressTypeNotSupported;
  }
  // CONNECT only: BIND and UDP ASSOCIATE make no sense through one SSH direct-tcpip channel.
  if (command !== 0x01) return SocksReply.commandNotSupported;
  return { target: { host, port: b.readUInt16BE(offset), addressType }, length: offset + 2 };
}

function relay(socket: Socket, channel: Duplex, rest: Buffer, observer: SocksObserver): void {
  observer.onChannel?.(1);
  let counted = true;
  const release = () => {
    if (counted) observer.onChannel?.(-1);
    counted = false;
  };
  socket.write(reply(SocksReply.succeeded));
  if (rest.length > 0) {
    observer.onBytes?.('out', rest.length);
    channel.write(rest);
  }
  socket.on('data', (chunk: Buffer) => observer.onBytes?.('out', chunk.length));
  channel.on('data', (chunk: Buffer) => observer.onBytes?.('in', chunk.length));
  channel.on('error', () => socket.destroy());
  // pipe() keeps backpressure, which is what drives ssh2's channel window (mscdex in ssh2#460). EOF in either
  // direction is passed on (a half-close), and the whole pair goes when either side is closed.
  socket.pipe(channel);
  channel.pipe(socket);
  socket.once('close', () => {
    release();
    channel.destroy();
  });
  channel.once('close', () => {
    release();
    if (socket.writableFinished || socket.destroyed) socket.destroy();
    else socket.end(() => socket.destroy());
  });
  socket.resume();
}

// A hand-written SOCKS5 server (RFC 1928): CONNECT only, no authentication, loopback only. Each accepted connection
// gets one SSH direct-tcpip channel (libraries.md §3). Partial reads are buffered: a greeting or request may arrive
// split over several TCP segments, or together with the first payload bytes. Wire format: socks-protocol.ts.
// @see https://www.rfc-editor.org/rfc/rfc1928
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { formatHostPort, isLoopbackHost } from './address.js';
import { parseRequest, reply, replyCodeFor, SocksReply, type SocksRequest } from './socks-protocol.js';
import { TunnelError, type ListenAddress } from './types.js';

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
  let channelClosed = false;
  socket.once('close', () => {
    release();
    // ssh2's Channel.destroy() is end() + close() (lib/Channel.js:214). On a channel that has already closed, which
    // is how most requests end, end() only builds an ERR_STREAM_ALREADY_FINISHED error with its stack trace
    // (Node's Writable.end), a few percent of the tunnel's CPU profile in benchmark figure 5.
    if (!channelClosed) channel.destroy();
  });
  channel.once('close', () => {
    channelClosed = true;
    release();
    if (socket.writableFinished || socket.destroyed) socket.destroy();
    else socket.end(() => socket.destroy());
  });
  socket.resume();
}

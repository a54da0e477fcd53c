// The one door to ssh2 on the client side (eslint.config.js). Everything else in deckhand sees SshSession,
// Identity and TunnelError. Facts and line numbers: libraries.md §2.1 (ssh2 1.17.0 lib/client.js).
import { readFile, stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import ssh2, { type ParsedKey, type ServerHostKeyAlgorithm } from 'ssh2';
import { fingerprintSha256 } from './known-hosts.js';
import { TunnelError, type TunnelErrorKind } from './types.js';

const { Client, utils } = ssh2;

/** A decrypted private key ready for authentication; `key` is opaque outside this file (ssh2's ParsedKey). */
export interface Identity {
  source: string;
  type: string;
  readonly key: unknown;
}

/** Decrypted identities by file, reused while the file is unchanged (bcrypt KDF costs about a second per parse). */
export type IdentityCache = Map<string, { mtimeMs: number; size: number; identity: Identity }>;

/** How identity files are loaded: `explicit` ones must exist, the rest (ssh's defaults, IdentityFile) may not. */
export interface IdentitySources {
  explicit: string[];
  optional: string[];
  /** ssh-agent socket (SSH_AUTH_SOCK); encrypted files are then left to the agent unless a prompt exists. */
  agent?: string;
  /** Asks for a passphrase (TUI). Absent in headless mode. */
  askPassphrase?: (file: string) => Promise<string | undefined>;
  cache?: IdentityCache;
}

/** Loads and checks identity files; throws TunnelError('identity') with a message naming the file and the fix. */
export async function loadIdentities(sources: IdentitySources): Promise<Identity[]> {
  const identities: Identity[] = [];
  const explicit = new Set(sources.explicit);
  for (const file of [...new Set([...sources.explicit, ...sources.optional])]) {
    let data: Buffer;
    let info: { mtimeMs: number; size: number };
    try {
      info = await stat(file);
      const cached = sources.cache?.get(file);
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
        identities.push(cached.identity);
        continue;
      }
      data = await readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!explicit.has(file) && (code === 'ENOENT' || code === 'EISDIR')) continue;
      throw new TunnelError('identity', `identity file ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    let parsed = utils.parseKey(data);
    if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
      if (!sources.askPassphrase) {
        // ssh-agent may hold this key already; without an agent nothing can unlock it in headless mode.
        if (sources.agent) continue;
        throw new TunnelError('identity', `identity file ${file} is encrypted and no ssh-agent is running ` +
          `(SSH_AUTH_SOCK is unset): run \`ssh-add ${file}\` first, or use the interactive dashboard to type the passphrase`);
      }
      const passphrase = await sources.askPassphrase(file);
      if (passphrase === undefined) continue;
      parsed = utils.parseKey(data, passphrase);
      if (parsed instanceof Error) throw new TunnelError('identity', `identity file ${file}: wrong passphrase`);
    }
    if (parsed instanceof Error) throw new TunnelError('identity', `identity file ${file}: ${parsed.message}`);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || !key.isPrivateKey()) throw new TunnelError('identity', `identity file ${file} holds no private key (a .pub file?)`);
    const identity: Identity = { source: file, type: key.type, key };
    sources.cache?.set(file, { mtimeMs: info.mtimeMs, size: info.size, identity });
    identities.push(identity);
  }
  if (identities.length === 0 && !sources.agent) {
    const tried = [...explicit, ...sources.optional].join(', ') || 'none';
    throw new TunnelError('identity', `no credentials: SSH_AUTH_SOCK is unset and no usable identity file was found (tried ${tried}); pass --identity FILE or start ssh-agent`);
  }
  return identities;
}

/** What one connection needs; produced by the manager from the bastion address, ~/.ssh/config and known_hosts. */
export interface SshConnectOptions {
  host: string;
  port: number;
  user: string;
  agent?: string;
  identities: Identity[];
  /** Decides on the presented key (raw blob); resolve true to accept or a TunnelError to refuse. */
  verifyHostKey: (blob: Buffer) => Promise<true | TunnelError>;
  /** Host key algorithms to offer; undefined = ssh2's defaults (unknown host). */
  hostKeyAlgorithms?: string[];
  keepaliveIntervalMs: number;
  /** ServerAliveCountMax as ssh_config(5) means it: the connection is dead after this many silent intervals. */
  keepaliveCountMax: number;
  connectTimeoutMs: number;
  /** Aborts a connection attempt in progress (deckhand is stopping). */
  signal?: AbortSignal;
}

/** A live SSH connection to the bastion. */
export interface SshSession {
  /** `SHA256:…` of the host key that was verified. */
  readonly fingerprint: string;
  /** Opens a direct-tcpip channel; `dstHost` may be a name, resolved on the bastion (this is what makes socks5h work). */
  forwardOut(dstHost: string, dstPort: number, srcHost: string, srcPort: number): Promise<Duplex>;
  /** Measures one SSH round trip in milliseconds (a global request answered by the server, no session channel). */
  ping(): Promise<number>;
  /** Ends the connection; `closed` then resolves. */
  close(): void;
  /** Resolves once the connection is gone, with the error that ended it (null after close()). */
  readonly closed: Promise<TunnelError | null>;
}

/** A refused channel open, carrying RFC 4254 §5.1's reason code (1 prohibited, 2 connect failed, 4 shortage). */
export class ForwardError extends Error {
  override name = 'ForwardError';
  constructor(message: string, readonly reason: number) {
    super(message);
  }
}

/** Connects, verifies the host key and authenticates; a fresh ssh2 Client every call (ssh2 clients are single-use). */
export function connectSsh(options: SshConnectOptions): Promise<SshSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: TunnelError | undefined;
    let lastError: TunnelError | null = null;
    let ready = false;
    let closedByUs = false;
    let fingerprint = '';
    const authNotes: string[] = [];
    let resolveClosed: (cause: TunnelError | null) => void = () => {};
    const closed = new Promise<TunnelError | null>((r) => (resolveClosed = r));

    client.on('error', (err: Error & { level?: string }) => {
      // ssh2 reports an unusable agent or a key that cannot sign, then goes on with the next method
      // (client.js:454, :1051, :469): not a cause, but worth naming if authentication fails in the end.
      if (err.level === 'agent' || (err.level === 'client-authentication' && /signing/i.test(err.message))) {
        authNotes.push(err.level === 'agent' ? `ssh-agent: ${err.message}` : err.message);
        return;
      }
      // The first error is the cause (e.g. "Keepalive timeout" before the socket errors that follow it); a host key
      // refusal always wins over ssh2's generic "Host denied (verification failed)".
      lastError = refusal ?? lastError ?? classify(err, options, authNotes);
    });
    client.on('close', () => {
      if (!ready) {
        reject(lastError ?? new TunnelError('network', `connection to ${where(options)} closed during the handshake`));
        return;
      }
      resolveClosed(closedByUs ? null : lastError ?? new TunnelError('network', `connection to ${where(options)} closed by the bastion`));
    });
    client.on('ready', () => {
      ready = true;
      resolve({
        fingerprint,
        closed,
        close: () => {
          closedByUs = true;
          client.end();
        },
        forwardOut: (dstHost, dstPort, srcHost, srcPort) => forwardOut(client, dstHost, dstPort, srcHost, srcPort),
        ping: () => ping(client),
      });
    });

    const authHandler = [
      ...(options.agent ? [{ type: 'agent' as const, username: options.user, agent: options.agent }] : []),
      // ssh2's parseKey returns an already parsed key as is (keyParser.js:1416), so nothing is decrypted twice.
      ...options.identities.map((id) => ({ type: 'publickey' as const, username: options.user, key: id.key as ParsedKey })),
    ];
    const abort = () => {
      lastError = new TunnelError('network', `connection to ${where(options)} aborted`);
      client.destroy();
    };
    if (options.signal?.aborted) return reject(new TunnelError('network', `connection to ${where(options)} aborted`));
    options.signal?.addEventListener('abort', abort, { once: true });
    client.once('close', () => options.signal?.removeEventListener('abort', abort));
    try {
      client.connect({
        host: options.host,
        port: options.port,
        username: options.user,
        authHandler,
        readyTimeout: options.connectTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        // ssh2 gives up after countMax + 1 unanswered intervals (client.js:711-735); ServerAliveCountMax N is
        // documented as about N × interval (ssh_config(5): "15 … 3 … disconnected after approximately 45 seconds").
        // ssh2's countMax 0 would end even a healthy connection after one interval without sending a keepalive,
        // so a count of 1 behaves like 2.
        keepaliveCountMax: Math.max(1, options.keepaliveCountMax - 1),
        ...(options.hostKeyAlgorithms ? { algorithms: { serverHostKey: options.hostKeyAlgorithms as ServerHostKeyAlgorithm[] } } : {}),
        hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
          fingerprint = fingerprintSha256(blob);
          options.verifyHostKey(blob).then(
            (verdict) => {
              if (verdict !== true) refusal = verdict;
              verify(verdict === true);
            },
            (err: unknown) => {
              refusal = new TunnelError('config', `cannot check the host key: ${(err as Error).message}`, { cause: err });
              verify(false);
            },
          );
        },
      });
    } catch (err) {
      reject(new TunnelError('identity', (err as Error).message, { cause: err }));
    }
  });
}

function forwardOut(client: InstanceType<typeof Client>, dstHost: string, dstPort: number, srcHost: string, srcPort: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      client.forwardOut(srcHost, srcPort, dstHost, dstPort, (err, channel) => {
        if (err) reject(new ForwardError(err.message, Number((err as { reason?: unknown }).reason) || 0));
        else resolve(channel);
      });
    } catch (err) {
      // forwardOut throws synchronously "Not connected" once the socket is gone (client.js:1398).
      reject(new ForwardError((err as Error).message, 0));
    }
  });
}

// An RTT probe must be a request every server answers without side effects. `cancel-tcpip-forward` for a listener
// that was never requested is refused at once by OpenSSH (serverloop.c server_input_global_request) and by ssh2's
// server (server.js GLOBAL_REQUEST: no 'request' listener → FAILURE); the refusal is the answer we time.
const probeAddress = 'deckhand-rtt-probe.invalid';

function ping(client: InstanceType<typeof Client>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    try {
      client.unforwardIn(probeAddress, 0, (err) => {
        if (err && /No response from server/.test(err.message)) reject(new TunnelError('network', 'connection lost during RTT probe'));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    } catch (err) {
      reject(new TunnelError('network', (err as Error).message));
    }
  });
}

function where(o: SshConnectOptions): string {
  return `${o.user}@${o.host}:${o.port}`;
}

const socketReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name lookup failed',
  EPIPE: 'connection closed',
};

/** Maps an ssh2 error (err.level, message) to a TunnelError kind: only network-ish failures are retried. */
function classify(err: Error & { level?: string; code?: unknown }, o: SshConnectOptions, authNotes: string[]): TunnelError {
  const make = (kind: TunnelErrorKind, message: string) => new TunnelError(kind, message, { cause: err });
  switch (err.level) {
    case 'client-authentication': {
      const tried = [...(o.agent ? ['ssh-agent'] : []), ...o.identities.map((i) => i.source)].join(', ');
      const notes = authNotes.length > 0 ? `; ${authNotes.join('; ')}` : '';
      return make('auth', `authentication failed for ${where(o)}: the bastion refused every key (tried ${tried || 'nothing'})${notes}`);
    }
    case 'client-timeout':
      return /keepalive/i.test(err.message)
        ? make('keepalive', `bastion ${o.host}:${o.port} stopped answering (${o.keepaliveCountMax} keepalives × ${o.keepaliveIntervalMs} ms)`)
        : make('timeout', `no SSH handshake with ${o.host}:${o.port} within ${o.connectTimeoutMs} ms`);
    case 'client-socket': {
      const code = typeof err.code === 'string' ? err.code : undefined;
      return make('network', `${o.host}:${o.port}: ${code ? `${socketReasons[code] ?? 'socket error'} (${code})` : err.message}`);
    }
    case 'handshake':
      return make('handshake', /host key/i.test(err.message) && o.hostKeyAlgorithms
        ? `${o.host}:${o.port} offers none of the host key types known_hosts holds for it (${o.hostKeyAlgorithms.join(', ')}); ` +
          'its host key may have been replaced: check with the cluster owner before trusting a new key'
        : `SSH handshake with ${o.host}:${o.port} failed: ${err.message}`);
    default:
      if (/authentication/i.test(err.message)) return make('auth', `${where(o)}: ${err.message}`);
      return make('network', `${o.host}:${o.port}: ${err.message}`);
  }
}

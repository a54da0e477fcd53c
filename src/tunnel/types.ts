// The narrow types of the tunnel layer: what the store, the header and `deckhand tunnel` read. Nothing here
// mentions ssh2, so a library upgrade stays inside src/tunnel/ssh.ts (ARCHITECTURE.md, "one door").

/** Where to reach the bastion on one attempt, before ~/.ssh/config is applied (`[user@]host[:port]`). */
export interface BastionAddress {
  host: string;
  port?: number;
  user?: string;
}

/** A loopback address the SOCKS listener binds to (port 0 = ephemeral). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Life cycle of a supervised tunnel: connecting → connected → reconnecting → … → failed | stopped. */
export type TunnelPhase = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

/** Why a connection attempt or a live connection ended. */
export type TunnelErrorKind =
  | 'auth' // every key was refused
  | 'identity' // an identity file is missing, encrypted without a way to unlock it, or not a private key
  | 'host-key-unknown' // not in any known_hosts file and --accept-new was not given
  | 'host-key-changed' // known with another key: refused, both fingerprints shown
  | 'host-key-revoked' // marked @revoked in known_hosts
  | 'handshake' // e.g. no host key type in common with what known_hosts holds
  | 'config' // ~/.ssh/config or the bastion address cannot be used (ProxyJump, no address …)
  | 'listen' // the SOCKS port is busy or not loopback
  | 'network' // refused, unreachable, reset, closed by the bastion: retried
  | 'timeout' // no handshake within the connect timeout: retried
  | 'keepalive'; // the bastion stopped answering keepalives: retried

const retriedKinds: ReadonlySet<TunnelErrorKind> = new Set(['network', 'timeout', 'keepalive']);

/** True for errors worth retrying; everything else needs a human (a changed host key must never be retried into). */
export function isRetryable(kind: TunnelErrorKind): boolean {
  return retriedKinds.has(kind);
}

/** The presented host key, for prompts and error messages (OpenSSH-style SHA256 fingerprint). */
export interface HostKeyInfo {
  /** The name looked up in known_hosts: `host`, `[host]:port`, or the HostKeyAlias. */
  name: string;
  type: string;
  fingerprint: string;
  /** Raw SSH public-key blob (what a known_hosts line holds in base64). */
  blob: Buffer;
}

/** A typed error of the tunnel layer; `kind` decides between retrying and failing. */
export class TunnelError extends Error {
  override name = 'TunnelError';
  constructor(
    readonly kind: TunnelErrorKind,
    message: string,
    readonly details: { hostKey?: HostKeyInfo; knownFingerprints?: string[]; cause?: unknown } = {},
  ) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
  }

  /** Whether the manager should retry after this error. */
  get retryable(): boolean {
    return isRetryable(this.kind);
  }
}

/** A serialisable summary of an error, as kept in TunnelState. */
export interface TunnelErrorInfo {
  kind: TunnelErrorKind;
  message: string;
  /** Epoch milliseconds. */
  at: number;
}

/** Everything the header and the tunnel screen show; a fresh object on every change. */
export interface TunnelState {
  phase: TunnelPhase;
  /** `user@host:port` of the current or last attempt. */
  target?: string;
  /** SOCKS address once listening, e.g. `127.0.0.1:6443`. */
  listen?: string;
  /** Number of the current or just failed attempt since the last working connection (1 = first try). */
  attempt: number;
  /** Epoch ms of the next attempt while reconnecting. */
  nextAttemptAt?: number;
  /** Epoch ms when the current SSH connection became ready. */
  connectedSince?: number;
  hostKeyFingerprint?: string;
  /** SOCKS connections currently holding a direct-tcpip channel. */
  openChannels: number;
  /** Channels opened since start. */
  totalChannels: number;
  /** Bytes received from the bastion / sent to it through channels, since start. */
  bytesIn: number;
  bytesOut: number;
  /** Last measured SSH round trip in milliseconds. */
  rttMs?: number;
  lastError?: TunnelErrorInfo;
  /** Set when phase is `failed`: the reason nothing more will be tried. */
  failure?: TunnelErrorInfo;
}

/** Events published by the tunnel manager; every event carries the state after it. */
export type TunnelEvent =
  | { type: 'connecting'; state: TunnelState }
  | { type: 'connected'; state: TunnelState; target: string; fingerprint: string; address: BastionAddress }
  | { type: 'host-key-accepted'; state: TunnelState; name: string; keyType: string; fingerprint: string; file: string }
  | { type: 'notice'; state: TunnelState; message: string }
  | { type: 'listening'; state: TunnelState; address: ListenAddress; proxyUrl: string }
  | { type: 'disconnected'; state: TunnelState; error: TunnelErrorInfo }
  | { type: 'reconnecting'; state: TunnelState; delayMs: number; error: TunnelErrorInfo }
  | { type: 'failed'; state: TunnelState; error: TunnelErrorInfo }
  | { type: 'stats'; state: TunnelState }
  | { type: 'stopped'; state: TunnelState };

/** A subscriber to tunnel events. */
export type TunnelListener = (event: TunnelEvent) => void;

/** Timing knobs of one tunnel; defaults mirror OpenSSH where it has one. */
export interface TunnelTiming {
  /** ServerAliveInterval in ms (ssh_config(5)); 0 disables keepalive. */
  keepaliveIntervalMs: number;
  /** ServerAliveCountMax: unanswered keepalives before the connection is declared dead. */
  keepaliveCountMax: number;
  /** ConnectTimeout for TCP + handshake + authentication, in ms. */
  connectTimeoutMs: number;
  /** First reconnect delay and the cap of the exponential backoff, in ms. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** How often the round-trip time is measured while connected, in ms. */
  rttIntervalMs: number;
  /** Least time between two `stats` events, in ms. */
  statsIntervalMs: number;
}

/** Defaults: keepalive 15 s × 3 (so a dead bastion is noticed in about 45 s), ssh's 20 s handshake budget. */
export const defaultTiming: TunnelTiming = {
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  connectTimeoutMs: 20_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  rttIntervalMs: 10_000,
  statsIntervalMs: 1_000,
};

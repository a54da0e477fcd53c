// The supervised tunnel: connect (verify the host key, authenticate), then listen, then keep it alive like autossh
// would — reconnect with capped, jittered backoff on network errors, fail at once on anything a retry cannot fix
// (authentication, host keys, configuration). When SSH drops, every SOCKS socket is destroyed at once so watches
// notice now rather than after their own timeouts (libraries.md §1.2).
import { formatHostPort, proxyUrl } from './address.js';
import { connectAttempt, type TunnelOptions } from './attempt.js';
import { trustHostKey } from './host-keys.js';
import { listenSocks, type SocksConnect, type SocksListener } from './socks.js';
import type { IdentityCache, SshSession } from './ssh.js';
import { TunnelStateHolder } from './state.js';
import {
  defaultTiming, TunnelError, type ListenAddress, type TunnelErrorInfo, type TunnelListener, type TunnelState,
  type TunnelTiming,
} from './types.js';

/** Options of createTunnel (declared next to the attempt that consumes them). */
export type { TunnelOptions } from './attempt.js';

/** A supervised tunnel; create with createTunnel(), then start(). */
export interface Tunnel {
  start(): void;
  /** Closes the SSH connection and the listener; resolves once everything is closed. */
  stop(): Promise<void>;
  getState(): TunnelState;
  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: TunnelListener): () => void;
  /** Resolves with the SOCKS address once listening; rejects if the tunnel fails or stops first. */
  ready(): Promise<ListenAddress>;
  /** Resolves when the tunnel ends: null after stop(), the failure otherwise. */
  readonly done: Promise<TunnelErrorInfo | null>;
}

/** Creates a tunnel manager; nothing happens until start(). */
export function createTunnel(options: TunnelOptions): Tunnel {
  return new TunnelManager(options);
}

class TunnelManager implements Tunnel {
  private readonly timing: TunnelTiming;
  private readonly holder: TunnelStateHolder;
  private readonly passphrases = new Map<string, string | undefined>();
  private readonly identityCache: IdentityCache = new Map();
  private readonly abort = new AbortController();
  private socks: SocksListener | undefined;
  private session: SshSession | undefined;
  private wake: (() => void) | undefined;
  private rttTimer: NodeJS.Timeout | undefined;
  private started = false;
  private resolveDone: (value: TunnelErrorInfo | null) => void = () => {};
  readonly done = new Promise<TunnelErrorInfo | null>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly options: TunnelOptions) {
    this.timing = { ...defaultTiming, ...options.timing };
    this.holder = new TunnelStateHolder(this.timing.statsIntervalMs);
  }

  getState = (): TunnelState => this.holder.state;
  subscribe = (listener: TunnelListener): (() => void) => this.holder.subscribe(listener);

  ready(): Promise<ListenAddress> {
    if (this.socks) return Promise.resolve(this.socks.address);
    const { phase, failure } = this.holder.state;
    if (phase === 'failed' && failure) return Promise.reject(new TunnelError(failure.kind, failure.message));
    if (phase === 'stopped') return Promise.reject(new TunnelError('network', 'the tunnel was stopped'));
    return new Promise((resolve, reject) => {
      const off = this.subscribe((event) => {
        if (event.type === 'listening') resolve(event.address);
        else if (event.type === 'failed') reject(new TunnelError(event.error.kind, event.error.message));
        else if (event.type === 'stopped') reject(new TunnelError('network', 'the tunnel was stopped'));
        else return;
        off();
      });
    });
  }

  start(): void {
    if (this.started) throw new Error('a tunnel is started once; create a new one to start again');
    this.started = true;
    this.run().then(this.resolveDone, (err: unknown) => this.fail(toTunnelError(err)).then(this.resolveDone));
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.abort.abort();
    this.wake?.();
    this.session?.close();
    await this.done;
  }

  private async run(): Promise<TunnelErrorInfo | null> {
    let failures = 0; // since the last working connection; a drop counts as the first
    let everConnected = false;
    while (!this.abort.signal.aborted) {
      this.holder.update({ phase: everConnected ? 'reconnecting' : 'connecting', attempt: failures + 1, nextAttemptAt: undefined });
      let session: SshSession;
      try {
        session = await this.connectOnce();
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const error = toTunnelError(err);
        if (await this.confirmedUnknownHost(error)) continue;
        if (!error.retryable) return this.fail(error);
        failures += 1;
        await this.backoff(failures, this.holder.recordError(error));
        continue;
      }
      if (this.abort.signal.aborted) {
        session.close();
        break;
      }
      if (!this.socks) {
        try {
          this.socks = await listenSocks(this.options.listen, this.connectChannel, this.holder.socksObserver());
        } catch (err) {
          session.close();
          return this.fail(toTunnelError(err));
        }
        const address = this.socks.address;
        this.holder.update({ listen: formatHostPort(address.host, address.port) });
        this.holder.emit({ type: 'listening', address, proxyUrl: proxyUrl(address) });
      }
      everConnected = true;
      failures = 0;
      const cause = await this.supervise(session);
      if (this.abort.signal.aborted || cause === null) break;
      const error = this.holder.recordError(cause);
      this.holder.emit({ type: 'disconnected', error });
      if (!cause.retryable) return this.fail(cause);
      failures = 1;
      await this.backoff(failures, error);
    }
    await this.closeAll();
    this.holder.update({ phase: 'stopped', nextAttemptAt: undefined });
    this.holder.emit({ type: 'stopped' });
    return null;
  }

  private async connectOnce(): Promise<SshSession> {
    const { session, target, address, accepted } = await connectAttempt(this.options, {
      timing: this.timing,
      signal: this.abort.signal,
      identityCache: this.identityCache,
      ...(this.options.askPassphrase ? { askPassphrase: (file: string) => this.askPassphrase(file) } : {}),
      onTarget: (target) => {
        this.holder.update({ target });
        this.holder.emit({ type: 'connecting' });
      },
      onNotice: (message) => this.holder.notice(message),
    });
    if (accepted) {
      const { name, type, fingerprint } = accepted;
      this.holder.emit({ type: 'host-key-accepted', name, keyType: type, fingerprint, file: this.options.knownHosts.writeFile });
    }
    // The phase changes before the event goes out, so `connected` (and the `listening` that follows) carry it.
    this.holder.update({ hostKeyFingerprint: session.fingerprint, phase: 'connected', connectedSince: Date.now(), nextAttemptAt: undefined });
    this.holder.emit({ type: 'connected', target, fingerprint: session.fingerprint, address });
    return session;
  }

  /** Runs while connected: RTT probes; resolves with the cause once SSH closes (null when we closed it). */
  private async supervise(session: SshSession): Promise<TunnelError | null> {
    this.session = session;
    const measure = () => session.ping().then((rttMs) => this.holder.update({ rttMs }, 'stats'), () => {});
    void measure();
    this.rttTimer = setInterval(measure, this.timing.rttIntervalMs);
    const cause = await session.closed;
    clearInterval(this.rttTimer);
    this.session = undefined;
    this.socks?.destroyAll();
    this.holder.update({ connectedSince: undefined, rttMs: undefined });
    return cause;
  }

  private connectChannel: SocksConnect = async (request) => {
    const open = async () => {
      const session = this.session;
      if (!session) throw new TunnelError('network', 'no SSH connection to the bastion right now');
      return session.forwardOut(request.host, request.port, request.clientAddress, request.clientPort);
    };
    try {
      return await open();
    } catch (err) {
      // A transient resource shortage (RFC 4254 reason 4) under fan-out is worth one retry (libraries.md §2.1).
      if ((err as { reason?: unknown }).reason !== 4) throw err;
      await new Promise((r) => setTimeout(r, 100));
      return open();
    }
  };

  private async confirmedUnknownHost(error: TunnelError): Promise<boolean> {
    const key = error.details.hostKey;
    const confirm = this.options.confirmUnknownHost;
    if (error.kind !== 'host-key-unknown' || !key || !confirm || !(await confirm(key))) return false;
    const { writeFile } = this.options.knownHosts;
    await trustHostKey({ readFiles: [], writeFile, acceptNew: false }, key);
    this.holder.emit({ type: 'host-key-accepted', name: key.name, keyType: key.type, fingerprint: key.fingerprint, file: writeFile });
    return true;
  }

  private async askPassphrase(file: string): Promise<string | undefined> {
    if (!this.passphrases.has(file)) this.passphrases.set(file, await this.options.askPassphrase!(file));
    return this.passphrases.get(file);
  }

  /** Waits min(cap, initial × 2^(attempt-1)) scaled by a random factor in [0.5, 1) ("equal jitter"), or until stop(). */
  private async backoff(attempt: number, error: TunnelErrorInfo): Promise<void> {
    const { backoffInitialMs, backoffMaxMs } = this.timing;
    const base = Math.min(backoffMaxMs, backoffInitialMs * 2 ** Math.min(attempt - 1, 30));
    const delayMs = Math.round(base * (0.5 + (this.options.random ?? Math.random)() * 0.5));
    this.holder.update({ phase: 'reconnecting', nextAttemptAt: Date.now() + delayMs });
    this.holder.emit({ type: 'reconnecting', delayMs, error });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async fail(error: TunnelError): Promise<TunnelErrorInfo> {
    const info = this.holder.recordError(error);
    await this.closeAll();
    this.holder.update({ phase: 'failed', failure: info, nextAttemptAt: undefined });
    this.holder.emit({ type: 'failed', error: info });
    return info;
  }

  private async closeAll(): Promise<void> {
    clearInterval(this.rttTimer);
    this.session?.close();
    const socks = this.socks;
    this.socks = undefined;
    await socks?.close();
    this.holder.dispose();
  }
}

function toTunnelError(err: unknown): TunnelError {
  if (err instanceof TunnelError) return err;
  return new TunnelError('config', (err as Error)?.message ?? String(err), { cause: err });
}

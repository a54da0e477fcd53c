// deckhand's own connection as bastion-swap drives it: a kubeconfig context reached through a tunnel deckhand keeps
// (or a proxy it was given, or directly), switchable to direct and back to a tunnel through a new bastion. Host
// keys stay strict: a probe shows a new bastion's key without trusting it, the key is recorded only when the
// operator accepted it, and the tunnel itself never accepts anything new on its own.
// @see https://man.openbsd.org/ssh_config.5#StrictHostKeyChecking
import { createClient, type KubeClient } from '../kube/client.js';
import type { KubeconfigSource } from '../kube/kubeconfig.js';
import { proxyUrl } from '../tunnel/address.js';
import { trustHostKey } from '../tunnel/host-keys.js';
import { hostFieldMatches, knownHostsName, readKnownHostsFiles } from '../tunnel/known-hosts.js';
import { createTunnel, type Tunnel, type TunnelOptions } from '../tunnel/manager.js';
import type { BastionAddress, HostKeyInfo } from '../tunnel/types.js';
import type { ConnectionControl, ConnectionMode, HostKeyProbe } from './connection-types.js';

/** How to build the connection. */
export interface ConnectionOptions extends KubeconfigSource {
  context?: string;
  /** Everything a tunnel needs except the bastion (identities, known_hosts files, listen address, timing). */
  tunnel?: Omit<TunnelOptions, 'bastion' | 'confirmUnknownHost'>;
  /** `tunnel` with a started `tunnel` adopts it (the dashboard's own) instead of opening another one. */
  initial: { mode: 'tunnel'; bastion: BastionAddress; tunnel?: Tunnel } | { mode: 'direct' } | { mode: 'proxy'; proxyUrl?: string };
  /** Told about every switch, with the tunnel now in use (the TUI reconnects its watches and its header follows). */
  onSwitch?(mode: ConnectionMode, client: KubeClient, tunnel: Tunnel | undefined): void;
  updateProfileBastion?(address: BastionAddress): Promise<string>;
  requestTimeoutMs?: number;
}

const defaultPort = 22;

/** Opens the initial connection (the tunnel, when asked for) and returns the control. */
export async function createConnection(options: ConnectionOptions): Promise<ConnectionControl> {
  const source: KubeconfigSource = { ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.env ? { env: options.env } : {}), ...(options.home ? { home: options.home } : {}) };
  const base = { ...source, ...(options.context ? { context: options.context } : {}), ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) };
  const direct = createClient({ ...base, proxyUrl: null });
  let mode: ConnectionMode = options.initial.mode;
  let tunnel: Tunnel | undefined;
  let bastion: BastionAddress | undefined;
  let client: KubeClient;

  const tunnelOptions = (): Omit<TunnelOptions, 'bastion' | 'confirmUnknownHost'> => {
    if (!options.tunnel) throw new Error('no tunnel settings: pass --bastion/--identity or use a profile with a bastion');
    return options.tunnel;
  };
  const openTunnel = async (address: BastionAddress): Promise<KubeClient> => {
    const next = createTunnel({ ...tunnelOptions(), bastion: () => address, knownHosts: { ...tunnelOptions().knownHosts, acceptNew: false } });
    next.start();
    try {
      const listen = await next.ready();
      tunnel = next;
      bastion = address;
      return createClient({ ...base, proxyUrl: proxyUrl(listen) });
    } catch (err) {
      await next.stop();
      throw err;
    }
  };
  const adopt = async (existing: Tunnel, address: BastionAddress): Promise<KubeClient> => {
    const listen = await existing.ready();
    tunnel = existing;
    bastion = address;
    return createClient({ ...base, proxyUrl: proxyUrl(listen) });
  };
  if (options.initial.mode === 'tunnel') client = await (options.initial.tunnel ? adopt(options.initial.tunnel, options.initial.bastion) : openTunnel(options.initial.bastion));
  else if (options.initial.mode === 'direct') client = direct;
  else client = createClient({ ...base, ...(options.initial.proxyUrl ? { proxyUrl: options.initial.proxyUrl } : {}) });

  const switchTo = (next: ConnectionMode, nextClient: KubeClient) => {
    if (client !== direct) client.close();
    mode = next;
    client = nextClient;
    options.onSwitch?.(next, nextClient, next === 'tunnel' ? tunnel : undefined);
  };
  const knownFiles = () => {
    const t = tunnelOptions();
    return [...(t.knownHosts.userFiles ?? []), ...t.knownHosts.globalFiles, t.knownHosts.writeFile];
  };

  return {
    mode: () => mode,
    client: () => client,
    bastion: () => bastion,
    directClient: () => direct,
    async useDirect() {
      const old = tunnel;
      tunnel = undefined;
      bastion = undefined;
      switchTo('direct', direct);
      await old?.stop();
    },
    async probeHostKey(address) {
      let seen: HostKeyInfo | undefined;
      const probe = createTunnel({
        ...tunnelOptions(),
        listen: { host: '127.0.0.1', port: 0 },
        bastion: () => address,
        knownHosts: { ...tunnelOptions().knownHosts, acceptNew: false },
        confirmUnknownHost: async (key) => {
          seen = key;
          return false;
        },
        timing: { ...tunnelOptions().timing, backoffInitialMs: 60_000 },
      });
      probe.start();
      const outcome = await Promise.race([probe.ready().then(() => null, (err: Error) => err), probe.done.then(() => null)]);
      await probe.stop();
      const state = probe.getState();
      const name = knownHostsName(address.host, address.port ?? defaultPort);
      if (seen) return { status: 'unknown', name: seen.name, type: seen.type, fingerprint: seen.fingerprint, blob: seen.blob.toString('base64') };
      if (outcome === null && state.hostKeyFingerprint) return { status: 'known', name, type: '', fingerprint: state.hostKeyFingerprint, blob: '' };
      const message = outcome?.message ?? state.failure?.message ?? state.lastError?.message ?? 'no answer';
      if (/HOST KEY CHANGED|revoked/i.test(message)) return { status: 'changed', name, type: '', fingerprint: '', blob: '', message };
      throw new Error(`cannot reach the bastion ${address.host}: ${message}`);
    },
    async trustHostKey(probe: HostKeyProbe) {
      const writeFile = tunnelOptions().knownHosts.writeFile;
      const blob = Buffer.from(probe.blob, 'base64');
      await trustHostKey({ readFiles: [], writeFile, acceptNew: false }, { name: probe.name, type: probe.type, fingerprint: probe.fingerprint, blob });
      return writeFile;
    },
    async knownHostsEntries(address) {
      const name = knownHostsName(address.host, address.port ?? defaultPort);
      const { entries } = await readKnownHostsFiles(knownFiles());
      return entries.filter((e) => hostFieldMatches(e.hosts, name)).map((e) => `${e.source}:${e.line}`);
    },
    async useTunnel(address) {
      const old = tunnel;
      const next = await openTunnel(address);
      switchTo('tunnel', next);
      if (old && old !== tunnel) await old.stop();
    },
    ...(options.updateProfileBastion ? { updateProfileBastion: options.updateProfileBastion } : {}),
    async close() {
      await tunnel?.stop();
      tunnel = undefined;
      client.close();
      direct.close();
    },
  };
}

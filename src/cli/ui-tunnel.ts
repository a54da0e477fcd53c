// The tunnel the dashboard opens, if any: to the simulated cluster's bastion for --demo (its host key written to a
// temporary known_hosts, the operator key as identity, exactly as a real bastion is trusted), or to the bastion
// named by --bastion, $BASTION_FLOATING_IP or the profile. No bastion anywhere means no tunnel: the kubeconfig is
// used as it is (direct, or its own proxy-url).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, type Values } from './command.js';
import { expandHome, type DeckhandPaths } from './paths.js';
import { loadProfileConfig, rememberBastion, selectProfile, type Profile } from './profiles.js';
import { AddressError, formatHostPort, isLoopbackHost, parseBastionAddress, parseListenAddress } from '../tunnel/address.js';
import { createTunnel, type Tunnel, type TunnelOptions } from '../tunnel/manager.js';
import { currentLocalUser, defaultSshConfigFile } from '../tunnel/ssh-config.js';
import type { BastionAddress, ListenAddress } from '../tunnel/types.js';
import type { Log } from './ui-log.js';

const globalKnownHosts = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** The simulated cluster's bastion, as the demo needs it. */
export interface DemoBastion {
  bastion(): { host: string; port: number; hostKeyPublic: string } | undefined;
  operatorKey: { privateKey: string };
}

/** A tunnel plus the files it needed, removed on close. */
export interface OpenedTunnel {
  tunnel: Tunnel;
  /** Everything but the bastion, for the tunnels bastion-swap opens to a new bastion. */
  settings: Omit<TunnelOptions, 'bastion' | 'confirmUnknownHost'>;
  /** The bastion the tunnel goes to now. */
  bastion(): Promise<BastionAddress>;
  close(): Promise<void>;
}

/** The operator's answers to the tunnel's questions (unknown host key, passphrase), asked in the dashboard. */
export type TunnelQuestions = Pick<TunnelOptions, 'confirmUnknownHost' | 'askPassphrase'>;

const settingsOf = ({ bastion: _bastion, confirmUnknownHost: _confirm, ...settings }: TunnelOptions) => settings;

// An ephemeral port by default: the dashboard's own tunnel must not collide with a `deckhand tunnel` or an
// `ssh -D 6443` the operator may already run.
const ephemeral: ListenAddress = { host: '127.0.0.1', port: 0 };

/** A tunnel to the demo's simulated bastion, trusting its host key through a temporary known_hosts file. */
export async function demoTunnel(sim: DemoBastion, log: Log): Promise<OpenedTunnel> {
  const current = sim.bastion();
  if (!current) throw new Error('the simulated cluster has no bastion running');
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-demo-'));
  const knownHosts = join(dir, 'known_hosts');
  const identity = join(dir, 'operator_key');
  const [type, key] = current.hostKeyPublic.split(' ');
  await writeFile(knownHosts, `[${current.host}]:${current.port} ${type} ${key}\n`, { mode: 0o600 });
  await writeFile(identity, sim.operatorKey.privateKey, { mode: 0o600 });
  const options: TunnelOptions = {
    bastion: () => {
      const b = sim.bastion();
      if (!b) throw new Error('the simulated bastion is not running');
      return { host: b.host, port: b.port, user: 'ubuntu' };
    },
    listen: ephemeral,
    local: currentLocalUser(),
    sshConfigFile: null,
    identityFiles: [identity],
    knownHosts: { userFiles: [knownHosts], globalFiles: [], writeFile: knownHosts, acceptNew: false },
  };
  log(`demo: tunnel to the simulated bastion ${current.host}:${current.port} (known_hosts ${knownHosts})`);
  const tunnel = createTunnel(options);
  return {
    tunnel, settings: settingsOf(options), bastion: async () => options.bastion(),
    close: async () => { await tunnel.stop(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** A tunnel to the operator's bastion from flags, environment or profile; undefined when none is configured. */
export function profileTunnel(values: Values, profile: Profile | undefined, profileName: string, paths: DeckhandPaths, log: Log, questions?: (knownHostsFile: string) => TunnelQuestions): OpenedTunnel | undefined {
  const flag = typeof values.bastion === 'string' ? values.bastion : undefined;
  const env = process.env.BASTION_FLOATING_IP?.trim() || undefined;
  if (!flag && !env && !profile?.bastion?.host) return undefined;
  const local = currentLocalUser();
  const home = process.env.HOME || local.home;
  const parse = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof AddressError) throw new UsageError(`${what}: ${err.message}`);
      throw err;
    }
  };
  const listenText = typeof values.listen === 'string' ? values.listen : profile?.socksListen;
  const listen = listenText ? parse('--listen', () => parseListenAddress(listenText)) : ephemeral;
  if (!isLoopbackHost(listen.host)) throw new UsageError(`refusing --listen ${listen.host}: the SOCKS proxy has no authentication; use a loopback address`);
  const fixed = flag ? parse('--bastion', () => parseBastionAddress(flag)) : undefined;
  const knownHosts = typeof values['known-hosts'] === 'string' ? expandHome(values['known-hosts'], home) : undefined;
  const identities = (values.identity as string[] | undefined) ?? (profile?.bastion?.identity ? [profile.bastion.identity] : []);
  const acceptNew = values['accept-new'] === true;
  // Asked on every attempt, so a bastion replaced by bastion-swap (new address in the profile) is followed.
  const bastion = async (): Promise<BastionAddress> => {
    const current = profile ? selectProfile(await loadProfileConfig(paths.configFile), profile.name) : undefined;
    const from = current?.bastion ?? profile?.bastion;
    const address = fixed ?? (env ? parseBastionAddress(env) : { host: from!.host! });
    return { host: address.host, ...(address.port ?? from?.port ? { port: address.port ?? from?.port } : {}), ...(address.user ?? from?.user ? { user: address.user ?? from?.user } : {}) };
  };
  const writeFile = knownHosts ?? paths.knownHostsFile;
  const options: TunnelOptions = {
    bastion,
    listen,
    local: { ...local, home },
    sshConfigFile: defaultSshConfigFile(home),
    identityFiles: identities.map((f) => expandHome(f, home)),
    ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
    knownHosts: knownHosts
      ? { userFiles: [knownHosts], globalFiles: globalKnownHosts, writeFile, acceptNew }
      : { globalFiles: globalKnownHosts, writeFile, acceptNew },
    // An unknown key is shown with its fingerprint and trusted only on `y`; a passphrase is typed, masked.
    ...questions?.(writeFile),
  };
  const tunnel = createTunnel(options);
  tunnel.subscribe((event) => {
    if (event.type !== 'connected') return;
    const { host, port, user } = event.address;
    const resolvedUser = event.target.split('@')[0]!;
    void rememberBastion(paths.bastionsFile, profileName, { host, port: port ?? 22, user: user ?? resolvedUser, at: new Date().toISOString() })
      .catch((err: unknown) => log(`cannot remember the bastion address: ${(err as Error).message}`));
  });
  log(`tunnel: bastion from ${flag ? '--bastion' : env ? 'BASTION_FLOATING_IP' : `profile ${profileName}`}, SOCKS on ${formatHostPort(listen.host, listen.port)}`);
  return { tunnel, settings: settingsOf(options), bastion, close: () => tunnel.stop() };
}

// `deckhand tunnel`: the bastion SOCKS tunnel in the foreground, a drop-in for `ssh -N -D 127.0.0.1:6443 user@bastion`
// (operations.md, "Access"). It connects and verifies the host key first and listens only then, so an auth failure,
// a host key problem or a busy port ends the command without ever having listened.
import { UsageError, type Command, type Values } from './command.js';
import { deckhandPaths, expandHome, type DeckhandPaths } from './paths.js';
import { onParentGone, relaunchWith } from './relaunch.js';
import { loadProfileConfig, recallBastion, rememberBastion, selectProfile, type Profile } from './profiles.js';
import {
  AddressError, defaultListen, formatHostPort, isLoopbackHost, parseBastionAddress, parseListenAddress,
} from '../tunnel/address.js';
import { createTunnel, type Tunnel } from '../tunnel/manager.js';
import { currentLocalUser, defaultSshConfigFile } from '../tunnel/ssh-config.js';
import type { BastionAddress, ListenAddress, TunnelEvent } from '../tunnel/types.js';

// OpenSSH's GlobalKnownHostsFile default (ssh_config(5)).
const globalKnownHosts = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** The `deckhand tunnel` subcommand. */
export const tunnelCommand: Command = {
  name: 'tunnel',
  summary: 'Open the bastion SOCKS5 tunnel in the foreground (replaces `ssh -N -D 127.0.0.1:6443 user@bastion`).',
  usage: 'deckhand tunnel --bastion [user@]host[:port] [--listen 127.0.0.1:6443] [--identity FILE] [--known-hosts FILE] [--accept-new] [--profile NAME]',
  options: {
    bastion: { type: 'string', value: '[USER@]HOST[:PORT]', description: 'the bastion (else $BASTION_FLOATING_IP, the profile, or the last address that worked)' },
    listen: { type: 'string', value: 'HOST:PORT', description: `loopback address for the SOCKS5 proxy, port 0 = any (default ${formatHostPort(defaultListen.host, defaultListen.port)})` },
    identity: { type: 'string', short: 'i', multiple: true, value: 'FILE', description: 'private key file, repeatable (ssh-agent via SSH_AUTH_SOCK is used too)' },
    'known-hosts': { type: 'string', value: 'FILE', description: 'known_hosts file to read and record accepted keys in, instead of ~/.ssh/known_hosts and deckhand\'s own' },
    'accept-new': { type: 'boolean', description: 'record the key of a host never seen before (StrictHostKeyChecking=accept-new); changed keys are still refused' },
    profile: { type: 'string', value: 'NAME', description: 'profile from the config file' },
    'ssh-config': { type: 'string', value: 'FILE', description: 'ssh client config to read, or "none" (default ~/.ssh/config)' },
    'keepalive-interval': { type: 'string', value: 'SECONDS', default: '15', description: 'send a keepalive after this many seconds of silence (ServerAliveInterval)' },
    'keepalive-count': { type: 'string', value: 'N', default: '3', description: 'declare the bastion dead after N unanswered keepalives (ServerAliveCountMax)' },
    'connect-timeout': { type: 'string', value: 'SECONDS', default: '20', description: 'limit for connecting, the SSH handshake and authentication' },
    verbose: { type: 'boolean', short: 'v', description: 'also print notices (ignored known_hosts lines, ssh config details)' },
  },
  run: runTunnel,
};

// V8 sizes a fresh process's old generation for a small heap, and the tunnel's live heap is about 9 MB: under 200
// concurrent requests it ran a full mark-compact every ~140 requests, a third of its CPU (bench figure 5 with
// --cpu-prof). Starting at 64 MB cut that to 5 per 12,000 requests and CPU per request from 0.30–0.35 to 0.21–0.24 ms
// (OpenSSH's ssh -D: 0.28–0.31), for about 26 MB more RSS. Heap sizes can only be set at start-up: see relaunch.ts.
export const tunnelNodeFlags = ['--initial-old-space-size=64'] as const;

async function runTunnel(values: Values): Promise<number> {
  const relaunched = relaunchWith(tunnelNodeFlags);
  if (relaunched) return relaunched;
  const paths = deckhandPaths();
  const stderr = (line: string) => process.stderr.write(`deckhand tunnel: ${line}\n`);
  let tunnel: Tunnel;
  let profileName: string;
  try {
    const config = await loadProfileConfig(paths.configFile);
    const profile = selectProfile(config, stringValue(values.profile));
    profileName = profile?.name ?? 'default';
    tunnel = createTunnel(buildOptions(values, profile, profileName, paths));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    stderr((err as Error).message);
    return 1;
  }

  let first = true;
  let previous: TunnelEvent | undefined;
  tunnel.subscribe((event) => {
    const line = describe(event, { first, verbose: values.verbose === true, previous });
    if (event.type !== 'stats') previous = event;
    if (event.type === 'connected') {
      first = false;
      const { host, port, user } = event.address;
      const [resolvedUser] = event.target.split('@');
      void rememberBastion(paths.bastionsFile, profileName, { host, port: port ?? 22, user: user ?? resolvedUser!, at: new Date().toISOString() })
        .catch((err: unknown) => stderr(`cannot remember the bastion address: ${(err as Error).message}`));
    }
    if (event.type === 'listening') process.stdout.write(`deckhand tunnel: ${line}\n`);
    else if (line) stderr(line);
  });

  const onSignal = () => void tunnel.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  onParentGone(onSignal);
  tunnel.start();
  const failure = await tunnel.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (failure) {
    stderr(failure.message);
    return 1;
  }
  return 0;
}

function buildOptions(values: Values, profile: Profile | undefined, profileName: string, paths: DeckhandPaths) {
  const local = currentLocalUser();
  const home = process.env.HOME || local.home;
  const listen = parseFlag(() => parseListenAddress(stringValue(values.listen) ?? profile?.socksListen ?? formatHostPort(defaultListen.host, defaultListen.port)), '--listen');
  checkListen(listen);
  const sshConfig = stringValue(values['ssh-config']);
  const knownHosts = stringValue(values['known-hosts']);
  const identities = (values.identity as string[] | undefined) ?? (profile?.bastion?.identity ? [profile.bastion.identity] : []);
  const flagBastion = stringValue(values.bastion);
  const fixed = flagBastion !== undefined ? parseFlag(() => parseBastionAddress(flagBastion), '--bastion') : undefined;
  return {
    bastion: () => chooseBastion(fixed, profile, profileName, paths),
    listen,
    local: { ...local, home },
    sshConfigFile: sshConfig === 'none' ? null : expandHome(sshConfig ?? defaultSshConfigFile(home), home),
    identityFiles: identities.map((f) => expandHome(f, home)),
    ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
    knownHosts: knownHosts !== undefined
      ? { userFiles: [expandHome(knownHosts, home)], globalFiles: globalKnownHosts, writeFile: expandHome(knownHosts, home), acceptNew: values['accept-new'] === true }
      : { globalFiles: globalKnownHosts, writeFile: paths.knownHostsFile, acceptNew: values['accept-new'] === true },
    timing: {
      keepaliveIntervalMs: seconds(values['keepalive-interval'], '--keepalive-interval') * 1000,
      keepaliveCountMax: count(values['keepalive-count'], '--keepalive-count'),
      connectTimeoutMs: seconds(values['connect-timeout'], '--connect-timeout') * 1000,
    },
  };
}

/**
 * The bastion for one attempt, asked again on every reconnect so a bastion swap is followed: --bastion, then
 * $BASTION_FLOATING_IP (what operators export today), then the profile (re-read from disk), then the last address
 * that worked for this profile. Missing user/port are filled from the profile; ~/.ssh/config applies after this.
 */
async function chooseBastion(fixed: BastionAddress | undefined, profile: Profile | undefined, name: string, paths: DeckhandPaths): Promise<BastionAddress> {
  const current = profile ? selectProfile(await loadProfileConfig(paths.configFile), profile.name) : undefined;
  const fromProfile = current?.bastion ?? profile?.bastion;
  const fill = (a: BastionAddress): BastionAddress => ({
    host: a.host,
    ...(a.port ?? fromProfile?.port ? { port: a.port ?? fromProfile?.port } : {}),
    ...(a.user ?? fromProfile?.user ? { user: a.user ?? fromProfile?.user } : {}),
  });
  if (fixed) return fill(fixed);
  const env = process.env.BASTION_FLOATING_IP?.trim();
  if (env) return fill(parseBastionAddress(env));
  if (fromProfile?.host) return fill({ host: fromProfile.host });
  const remembered = await recallBastion(paths.bastionsFile, name);
  if (remembered) return { host: remembered.host, port: remembered.port, user: remembered.user };
  throw new Error(`pass --bastion [user@]host, set BASTION_FLOATING_IP, or set bastion.host in profile '${name}' of ${paths.configFile}`);
}

function checkListen(listen: ListenAddress): void {
  if (!isLoopbackHost(listen.host)) {
    throw new UsageError(`refusing --listen ${listen.host}: the SOCKS proxy has no authentication, so anything that can reach ` +
      `${listen.host} could use the bastion with your key; use a loopback address such as 127.0.0.1 or ::1`);
  }
}

/** One log line per event worth telling an operator about; the reason of a drop is not repeated for its retry. */
function describe(event: TunnelEvent, context: { first: boolean; verbose: boolean; previous?: TunnelEvent }): string | undefined {
  const { first, verbose, previous } = context;
  switch (event.type) {
    case 'listening':
      return `SOCKS5 proxy on ${formatHostPort(event.address.host, event.address.port)} via ${event.state.target}; ` +
        `for kubectl put "proxy-url: ${event.proxyUrl}" in the kubeconfig's cluster entry`;
    case 'connected':
      return first ? undefined : `reconnected to ${event.target}`;
    case 'host-key-accepted':
      return `permanently added '${event.name}' (${event.keyType} ${event.fingerprint}) to ${event.file}`;
    case 'disconnected':
      return `connection lost: ${event.error.message}`;
    case 'reconnecting':
      return previous?.type === 'disconnected' && previous.error.at === event.error.at
        ? `reconnecting in ${(event.delayMs / 1000).toFixed(1)} s`
        : `reconnecting in ${(event.delayMs / 1000).toFixed(1)} s (${event.error.message})`;
    case 'notice':
      return verbose ? event.message : undefined;
    default:
      return undefined;
  }
}

function stringValue(value: Values[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function seconds(value: Values[string], flag: string): number {
  const n = Number(stringValue(value));
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} expects a positive number, got '${String(value)}'`);
  return n;
}

function count(value: Values[string], flag: string): number {
  const n = Number(stringValue(value));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a whole number of at least 1, got '${String(value)}'`);
  return n;
}

function parseFlag<T>(parse: () => T, flag: string): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AddressError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

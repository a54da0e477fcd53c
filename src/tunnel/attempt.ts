// One connection attempt, from a bastion address to an authenticated SSH session: ask for the address, apply
// ~/.ssh/config, load known_hosts and the identities, connect. Everything is read again on each attempt, so an edited
// config, a new known_hosts line or a bastion swap takes effect on the next reconnect.
import { join } from 'node:path';
import { formatHostPort } from './address.js';
import { prepareHostKeyCheck, type HostKeyPolicy } from './host-keys.js';
import { knownHostsName } from './known-hosts.js';
import { resolveBastion, type LocalUser, type ResolvedBastion } from './ssh-config.js';
import { connectSsh, loadIdentities, type IdentityCache, type SshSession } from './ssh.js';
import { TunnelError, type BastionAddress, type HostKeyInfo, type ListenAddress, type TunnelTiming } from './types.js';

/** Everything a tunnel needs; the bastion is a function so each attempt can use a new address (bastion swap). */
export interface TunnelOptions {
  bastion: () => BastionAddress | Promise<BastionAddress>;
  listen: ListenAddress;
  local: LocalUser;
  /** ~/.ssh/config to read each attempt, or null to ignore it. */
  sshConfigFile: string | null;
  /** --identity files (must exist); when empty, ssh's default ~/.ssh/id_* files are tried if present. */
  identityFiles: string[];
  /** ssh-agent socket, usually process.env.SSH_AUTH_SOCK. */
  agent?: string;
  askPassphrase?: (file: string) => Promise<string | undefined>;
  knownHosts: {
    /** Replaces ~/.ssh/known_hosts (and UserKnownHostsFile) when set, e.g. from --known-hosts. */
    userFiles?: string[];
    /** Always read (e.g. /etc/ssh/ssh_known_hosts). */
    globalFiles: string[];
    /** Where accepted keys are recorded: deckhand's own known_hosts, or the --known-hosts file. */
    writeFile: string;
    acceptNew: boolean;
  };
  /** Asks the operator about an unknown host key (TUI); absent = headless, governed by acceptNew. */
  confirmUnknownHost?: (key: HostKeyInfo) => Promise<boolean>;
  timing?: Partial<TunnelTiming>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

// ssh(1): "~/.ssh/id_rsa, ~/.ssh/id_ecdsa, ~/.ssh/id_ecdsa_sk, ~/.ssh/id_ed25519, ~/.ssh/id_ed25519_sk and ~/.ssh/id_dsa",
// used only when neither --identity nor IdentityFile names a key (ssh.c fill_default_options).
const defaultIdentityNames = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];

/** What the manager lends an attempt: timing, cancellation, caches and callbacks for progress. */
export interface AttemptContext {
  timing: TunnelTiming;
  signal: AbortSignal;
  identityCache: IdentityCache;
  askPassphrase?: (file: string) => Promise<string | undefined>;
  /** Called with `user@host:port` once the address is resolved, before connecting. */
  onTarget(target: string): void;
  onNotice(message: string): void;
}

/** The result of a successful attempt. */
export interface Attempt {
  session: SshSession;
  target: string;
  /** The address as supplied (before ~/.ssh/config), to remember as the last one that worked. */
  address: BastionAddress;
  /** Set when accept-new recorded the host key during this attempt. */
  accepted?: HostKeyInfo;
}

/** Runs one attempt; throws TunnelError (its kind says whether to retry). */
export async function connectAttempt(options: TunnelOptions, context: AttemptContext): Promise<Attempt> {
  let address: BastionAddress;
  try {
    address = await options.bastion();
  } catch (err) {
    throw new TunnelError('config', `no bastion address: ${(err as Error).message}`, { cause: err });
  }
  const resolved = await resolveBastion(address, options.sshConfigFile, options.local);
  const target = `${resolved.user}@${formatHostPort(resolved.host, resolved.port)}`;
  context.onTarget(target);
  for (const note of resolved.notes) context.onNotice(note);
  const check = await prepareHostKeyCheck(hostKeyPolicy(options, resolved), knownHostsName(resolved.host, resolved.port, resolved.hostKeyAlias));
  for (const note of check.notes) context.onNotice(`${note.source}:${note.line}: ${note.message}`);
  const optional = [...resolved.identityFiles];
  if (options.identityFiles.length === 0 && optional.length === 0) {
    optional.push(...defaultIdentityNames.map((n) => join(options.local.home, '.ssh', n)));
  }
  const identities = await loadIdentities({
    explicit: options.identityFiles,
    optional,
    cache: context.identityCache,
    ...(options.agent ? { agent: options.agent } : {}),
    ...(context.askPassphrase ? { askPassphrase: context.askPassphrase } : {}),
  });
  const { timing } = context;
  const session = await connectSsh({
    host: resolved.host,
    port: resolved.port,
    user: resolved.user,
    ...(options.agent ? { agent: options.agent } : {}),
    identities,
    verifyHostKey: (blob) => check.verify(blob),
    ...(check.algorithms ? { hostKeyAlgorithms: check.algorithms } : {}),
    keepaliveIntervalMs: timing.keepaliveIntervalMs,
    keepaliveCountMax: timing.keepaliveCountMax,
    connectTimeoutMs: timing.connectTimeoutMs,
    signal: context.signal,
  });
  return { session, target, address, ...(check.accepted ? { accepted: check.accepted } : {}) };
}

/** known_hosts files to read: --known-hosts, else UserKnownHostsFile, else ssh's defaults; plus the global ones. */
function hostKeyPolicy(options: TunnelOptions, resolved: ResolvedBastion): HostKeyPolicy {
  const { knownHosts, local } = options;
  const user = knownHosts.userFiles ?? resolved.userKnownHostsFiles
    ?? [join(local.home, '.ssh', 'known_hosts'), join(local.home, '.ssh', 'known_hosts2')];
  return { readFiles: [...user, ...knownHosts.globalFiles], writeFile: knownHosts.writeFile, acceptNew: knownHosts.acceptNew };
}

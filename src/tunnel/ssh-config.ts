// The parts of ~/.ssh/config deckhand honours for the bastion, computed by the maintained `ssh-config` package
// (libraries.md §2.3). It neither reads files, follows Include, nor expands tokens; those bits are done here.
// `Match exec` is never executed (matchExec: false): reading a config file must not run commands.
// @see https://man.openbsd.org/ssh_config.5
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { TunnelError, type BastionAddress } from './types.js';

/** The bastion after ~/.ssh/config: where to connect, as whom, which keys and known_hosts files to use. */
export interface ResolvedBastion {
  /** The name the operator gave (a Host alias or an address). */
  alias: string;
  /** Where to connect: HostName, or the alias itself. */
  host: string;
  port: number;
  user: string;
  /** IdentityFile entries, `~` and `%` tokens expanded, in file order. */
  identityFiles: string[];
  hostKeyAlias?: string;
  /** UserKnownHostsFile entries; undefined when the config does not set it (ssh's defaults apply). */
  userKnownHostsFiles?: string[];
  /** Things deckhand ignored on purpose (e.g. Include), for verbose output. */
  notes: string[];
}

/** Who is running deckhand: needed for `~`, `%d`, `%u` and the default user, as ssh(1) uses them. */
export interface LocalUser {
  home: string;
  name: string;
}

/** The current process's home and user name. */
export function currentLocalUser(): LocalUser {
  return { home: homedir(), name: userInfo().username };
}

/** Default ~/.ssh/config path for a home directory. */
export function defaultSshConfigFile(home: string): string {
  return join(home, '.ssh', 'config');
}

/** Reads the config file (missing = empty) and resolves the bastion; ProxyJump/ProxyCommand are refused. */
export async function resolveBastion(address: BastionAddress, file: string | null, local: LocalUser): Promise<ResolvedBastion> {
  let text = '';
  if (file !== null) {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return resolveBastionFromText(text, file ?? '(none)', address, local);
}

/**
 * Pure part of resolveBastion. Values from the command line (`user@`, `:port`) win over the file, and within the
 * file the first value obtained wins, as ssh_config(5) says.
 */
export function resolveBastionFromText(text: string, source: string, address: BastionAddress, local: LocalUser): ResolvedBastion {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (err) {
    throw new TunnelError('config', `${source}: ${(err as Error).message}`, { cause: err });
  }
  const query = address.user !== undefined ? { Host: address.host, User: address.user } : { Host: address.host };
  const computed = config.compute(query, { ignoreCase: true, matchExec: false });
  const one = (key: string): string | undefined => {
    const v = computed[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const many = (key: string): string[] | undefined => {
    const v = computed[key];
    return v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  };
  for (const key of ['proxyjump', 'proxycommand']) {
    const value = one(key);
    if (value !== undefined && value.toLowerCase() !== 'none') {
      const name = key === 'proxyjump' ? 'ProxyJump' : 'ProxyCommand';
      throw new TunnelError('config', `${source}: ${name} for '${address.host}' is not supported by deckhand; ` +
        'point --bastion at the bastion itself (deckhand talks to it directly)');
    }
  }
  const portText = one('port');
  const port = address.port ?? (portText !== undefined ? Number(portText) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TunnelError('config', `${source}: invalid Port '${portText}'`);
  const user = address.user ?? one('user') ?? local.name;
  const host = expandTokens(one('hostname') ?? address.host, { host: address.host, alias: address.host, port, user, local });
  const tokens = { host, alias: address.host, port, user, local };
  const knownHosts = many('userknownhostsfile');
  const notes = config.some((line) => 'param' in line && line.param.toLowerCase() === 'include')
    ? [`${source}: Include is not followed; put the bastion's settings in this file or pass flags`]
    : [];
  const hostKeyAlias = one('hostkeyalias');
  return {
    alias: address.host,
    host,
    port,
    user,
    identityFiles: (many('identityfile') ?? []).filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, tokens)),
    ...(hostKeyAlias !== undefined ? { hostKeyAlias } : {}),
    ...(knownHosts !== undefined
      ? { userKnownHostsFiles: knownHosts.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, tokens)) }
      : {}),
    notes,
  };
}

interface Tokens {
  host: string;
  alias: string;
  port: number;
  user: string;
  local: LocalUser;
}

/** `~` at the start, then the TOKENS of ssh_config(5) that make sense without a connection (%% %d %h %n %p %r %u). */
export function expandPath(path: string, tokens: Tokens): string {
  const tilde = path === '~' || path.startsWith('~/') ? tokens.local.home + path.slice(1) : path;
  return expandTokens(tilde, tokens);
}

function expandTokens(text: string, t: Tokens): string {
  const values: Record<string, string> = {
    '%': '%', d: t.local.home, h: t.host, n: t.alias, p: String(t.port), r: t.user, u: t.local.name,
  };
  return text.replace(/%(.)/g, (whole, c: string) => values[c] ?? whole);
}

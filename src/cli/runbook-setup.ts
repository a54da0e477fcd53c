// Wiring for `deckhand runbook`: the profile as runbooks see it, the runbook's parameters from flags (validated
// before anything is read), and the connection (an existing proxy, a tunnel deckhand opens itself, or direct).
import { UsageError, type Values } from './command.js';
import { expandHome, type DeckhandPaths } from './paths.js';
import { rememberBastion, type Profile } from './profiles.js';
import { defaultListen, parseBastionAddress, parseListenAddress } from '../tunnel/address.js';
import { currentLocalUser, defaultSshConfigFile } from '../tunnel/ssh-config.js';
import type { BastionAddress } from '../tunnel/types.js';
import type { ConnectionOptions } from '../runbooks/connection.js';
import type { RawParams } from '../runbooks/params.js';
import type { Runbook, RunProfile } from '../runbooks/types.js';
import { updateProfileBastion } from './runbook-profile.js';

/** A string flag's value, or undefined. */
export const flag = (value: Values[string]): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The profile as runbooks read it (defaults where the profile says nothing). */
export function runProfile(profile: Profile | undefined, values: Values): RunProfile {
  const extra = (profile ?? {}) as Partial<{ scaleMax: number; machineDeployment: string }>;
  const echo = flag(values['echo-ip-url']) ?? profile?.echoIpUrl;
  const max = flag(values['max-replicas']);
  if (max !== undefined && !/^\d+$/.test(max)) throw new UsageError(`--max-replicas expects a whole number, got '${max}'`);
  return {
    name: profile?.name ?? 'default',
    production: profile?.production ?? false,
    readOnly: profile?.readOnly ?? false,
    ...(profile?.openstackCluster ? { openstackCluster: profile.openstackCluster } : {}),
    ...(echo ? { echoIpUrl: echo } : {}),
    scaleMax: max !== undefined ? Number(max) : (extra.scaleMax ?? 10),
    ...(extra.machineDeployment ? { machineDeployment: extra.machineDeployment } : {}),
    testPodsNamespace: profile?.testPodsNamespace ?? 'test-pods',
    prowNamespace: profile?.prowNamespace ?? 'prow',
  };
}

/** The runbook's parameters from their flags (raw strings; params.ts validates them). */
export function rawParams(runbook: Runbook<never>, values: Values): RawParams {
  const out: Record<string, string> = {};
  for (const spec of runbook.params) {
    const value = flag(values[spec.flag]);
    if (value !== undefined) out[spec.name] = value;
  }
  return out;
}

/** The bastion to tunnel through: --bastion, else the profile's; undefined = no tunnel of our own. */
function bastionOf(values: Values, profile: Profile | undefined): BastionAddress | undefined {
  const given = flag(values.bastion);
  if (given) return parseBastionAddress(given);
  const b = profile?.bastion;
  return b?.host ? { host: b.host, ...(b.port ? { port: b.port } : {}), ...(b.user ? { user: b.user } : {}) } : undefined;
}

/** How the runbook reaches the API: --proxy-url (a running `deckhand tunnel`), its own tunnel, or the kubeconfig as is. */
export function connectionOptions(values: Values, profile: Profile | undefined, paths: DeckhandPaths): ConnectionOptions {
  const context = flag(values.context) ?? profile?.kubeContext;
  const kubeconfig = flag(values.kubeconfig);
  const base = { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) };
  const local = currentLocalUser();
  const home = process.env.HOME || local.home;
  const knownHosts = flag(values['known-hosts']);
  const identities = (values.identity as string[] | undefined) ?? (profile?.bastion?.identity ? [profile.bastion.identity] : []);
  const sshConfig = flag(values['ssh-config']);
  const tunnel = {
    listen: parseListenAddress(profile?.socksListen ?? `${defaultListen.host}:${defaultListen.port}`),
    local: { ...local, home },
    sshConfigFile: sshConfig === 'none' ? null : expandHome(sshConfig ?? defaultSshConfigFile(home), home),
    identityFiles: identities.map((f) => expandHome(f, home)),
    ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
    knownHosts: knownHosts !== undefined
      ? { userFiles: [expandHome(knownHosts, home)], globalFiles: [], writeFile: paths.knownHostsFile, acceptNew: false }
      : { globalFiles: ['/etc/ssh/ssh_known_hosts'], writeFile: paths.knownHostsFile, acceptNew: false },
  };
  const proxy = flag(values['proxy-url']);
  const bastion = bastionOf(values, profile);
  return {
    ...base,
    tunnel,
    initial: proxy === 'none' ? { mode: 'direct' } : proxy ? { mode: 'proxy', proxyUrl: proxy } : bastion ? { mode: 'tunnel', bastion } : { mode: 'proxy' },
    updateProfileBastion: bastionUpdater(paths, profile),
  };
}

/** After bastion-swap: remembers the new bastion for the profile and points the profile's bastion.host at it. */
export function bastionUpdater(paths: DeckhandPaths, profile: Profile | undefined): (address: BastionAddress) => Promise<string> {
  const profileName = profile?.name ?? 'default';
  return async (address) => {
    const user = address.user ?? profile?.bastion?.user ?? 'ubuntu';
    await rememberBastion(paths.bastionsFile, profileName, { host: address.host, port: address.port ?? 22, user, at: new Date().toISOString() });
    const edited = profile ? await updateProfileBastion(paths.configFile, profileName, address) : undefined;
    return [`remembered ${user}@${address.host}:${address.port ?? 22} for profile ${profileName} in ${paths.bastionsFile}`, ...(edited ? [edited] : [])].join('; ');
  };
}

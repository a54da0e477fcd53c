// Host key policy: OpenSSH's StrictHostKeyChecking=yes, or =accept-new when asked. A changed or revoked key is
// always refused, with both fingerprints, and never offered for acceptance (ssh(1) "VERIFYING HOST KEYS").
// @see https://man.openbsd.org/ssh_config.5#StrictHostKeyChecking
import {
  appendKnownHost, blobKeyType, checkHostKey, fingerprintSha256, hostKeyAlgorithms, readKnownHostsFiles,
  type KnownHostsNote,
} from './known-hosts.js';
import { TunnelError, type HostKeyInfo } from './types.js';

/** Which known_hosts files are read, where accepted keys go, and whether unknown hosts may be accepted. */
export interface HostKeyPolicy {
  /** Read in order; missing files are empty. */
  readFiles: string[];
  /** deckhand's own known_hosts (or --known-hosts): accepted keys are appended here, hashed. */
  writeFile: string;
  /** StrictHostKeyChecking=accept-new: record an unknown host's key; changed keys stay refused. */
  acceptNew: boolean;
}

/** The check for one connection attempt: what to negotiate and how to judge the presented key. */
export interface HostKeyCheck {
  name: string;
  /** Only the types known for this name, so a known host is never judged on another key type. */
  algorithms?: string[];
  verify(blob: Buffer): Promise<true | TunnelError>;
  notes: KnownHostsNote[];
  /** Set once verify() has accepted a key it did not know before (accept-new). */
  accepted?: HostKeyInfo;
}

/** Loads the known_hosts files once per attempt and builds the verifier for `name` (see knownHostsName). */
export async function prepareHostKeyCheck(policy: HostKeyPolicy, name: string): Promise<HostKeyCheck> {
  const files = [...new Set([...policy.readFiles, policy.writeFile])];
  const { entries, notes } = await readKnownHostsFiles(files);
  const check: HostKeyCheck = {
    name,
    notes,
    ...(hostKeyAlgorithms(entries, name) ? { algorithms: hostKeyAlgorithms(entries, name)! } : {}),
    async verify(blob) {
      const presented: HostKeyInfo = { name, type: blobKeyType(blob) ?? 'unknown', fingerprint: fingerprintSha256(blob), blob };
      const result = checkHostKey(entries, name, blob);
      switch (result.status) {
        case 'known':
          return true;
        case 'revoked':
          return new TunnelError('host-key-revoked',
            `host key ${presented.type} ${presented.fingerprint} of ${name} is marked @revoked in ${result.entry.source}:${result.entry.line}; refusing to connect`,
            { hostKey: presented });
        case 'changed': {
          const known = result.known.map((e) => `${e.keyType} ${fingerprintSha256(e.blob)} (${e.source}:${e.line})`);
          return new TunnelError('host-key-changed',
            `HOST KEY CHANGED for ${name}: the bastion presented ${presented.type} ${presented.fingerprint} but known_hosts has ` +
            `${known.join(', ')}; someone could be intercepting the connection. If the bastion was really replaced, ` +
            `remove the old line (ssh-keygen -R '${name}' -f FILE) and connect again`,
            { hostKey: presented, knownFingerprints: result.known.map((e) => fingerprintSha256(e.blob)) });
        }
        case 'unknown':
          if (!policy.acceptNew) {
            return new TunnelError('host-key-unknown',
              `unknown host key for ${name}: ${presented.type} ${presented.fingerprint} is in none of ${files.join(', ')}; ` +
              'compare the fingerprint with the bastion\'s (e.g. the OpenStack console log), then run again with --accept-new',
              { hostKey: presented });
          }
          await appendKnownHost(policy.writeFile, name, blob);
          check.accepted = presented;
          return true;
      }
    },
  };
  return check;
}

/** Records a key the operator accepted at a prompt (TUI), exactly like accept-new would. */
export async function trustHostKey(policy: HostKeyPolicy, key: HostKeyInfo): Promise<void> {
  await appendKnownHost(policy.writeFile, key.name, key.blob);
}

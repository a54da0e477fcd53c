// known_hosts, implemented in-repo because no maintained npm package matches it (libraries.md §2.2).
// Format and matching rules mirror sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" and OpenSSH's hostfile.c / match.c:
// `[@marker] patterns keytype base64 [comment]`, hashed `|1|salt|HMAC-SHA1(salt, name)`, `[host]:port` for
// ports other than 22, `*`/`?` wildcards and `!` negation, case-insensitive names.
// @see https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  marker?: 'revoked';
  /** Comma-separated patterns, or one hashed `|1|…|…` field. */
  hosts: string;
  keyType: string;
  blob: Buffer;
  source: string;
  line: number;
}

/** Lines that were skipped, with the reason (shown in verbose logs, never fatal). */
export interface KnownHostsNote {
  source: string;
  line: number;
  message: string;
}

/** Parses known_hosts text; bad lines and `@cert-authority` lines become notes instead of entries. */
export function parseKnownHosts(text: string, source: string): { entries: KnownHostEntry[]; notes: KnownHostsNote[] } {
  const entries: KnownHostEntry[] = [];
  const notes: KnownHostsNote[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) return;
    let marker: string | undefined;
    if (fields[0]!.startsWith('@')) marker = fields.shift();
    const [hosts, keyType, b64] = fields;
    const note = (message: string) => notes.push({ source, line, message });
    if (marker === '@cert-authority') {
      // ssh2 cannot verify *-cert-v01 host certificates (libraries.md §2.1), so a CA line can never vouch for a key.
      return note('@cert-authority line ignored: host certificates are not supported; add the host key itself');
    }
    if (marker !== undefined && marker !== '@revoked') return note(`unknown marker ${marker}`);
    if (!hosts || !keyType || !b64) return note('expected "hosts keytype key"');
    const blob = Buffer.from(b64, 'base64');
    if (blob.length === 0 || blobKeyType(blob) !== keyType) return note(`key does not decode as ${keyType}`);
    entries.push({ ...(marker ? { marker: 'revoked' as const } : {}), hosts, keyType, blob, source, line });
  });
  return { entries, notes };
}

/** The key type embedded at the start of an SSH public-key blob (RFC 4253 §6.6), or undefined if malformed. */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The name OpenSSH looks up: the HostKeyAlias verbatim, else `host` on port 22 and `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number, hostKeyAlias?: string): string {
  if (hostKeyAlias) return hostKeyAlias.toLowerCase();
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Whether a known_hosts host field (hashed or a pattern list) matches the lookup name. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  // match_hostname(): a negated pattern that matches wins over everything (match.c, match_pattern_list).
  let matched = false;
  for (const raw of field.toLowerCase().split(',')) {
    const negated = raw.startsWith('!');
    if (wildcardMatch(negated ? raw.slice(1) : raw, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** OpenSSH's match_pattern(): `*` any run of characters, `?` exactly one, everything else literal. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text);
}

/** Outcome of checking a presented host key against known_hosts entries. */
export type HostKeyStatus =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'changed'; known: KnownHostEntry[] }
  | { status: 'unknown' };

/**
 * Checks a key like OpenSSH's check_key_in_hostkeys() + check_key_not_revoked(): a matching @revoked line refuses
 * the key outright; an exact match is known; any other key recorded for the name means the key changed.
 */
export function checkHostKey(entries: KnownHostEntry[], name: string, blob: Buffer): HostKeyStatus {
  const forHost = entries.filter((e) => hostFieldMatches(e.hosts, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.blob.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const valid = forHost.filter((e) => e.marker === undefined);
  const match = valid.find((e) => e.blob.equals(blob));
  if (match) return { status: 'known', entry: match };
  return valid.length > 0 ? { status: 'changed', known: valid } : { status: 'unknown' };
}

// Host key algorithms ssh2 can negotiate for each known_hosts key type, best first (RFC 8332 for RSA).
const algorithmsByKeyType: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * Host key algorithms to offer for a name: only those known_hosts holds (so a host known by its ECDSA key is not
 * "changed" because the server prefers ed25519), in ssh2's default order; undefined = no preference (unknown host).
 * @see https://github.com/openssh/openssh-portable/blob/master/sshconnect2.c (order_hostkeyalgs)
 */
export function hostKeyAlgorithms(entries: KnownHostEntry[], name: string): string[] | undefined {
  const types = new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType));
  const order = Object.keys(algorithmsByKeyType);
  const algorithms = order.filter((t) => types.has(t)).flatMap((t) => algorithmsByKeyType[t]!);
  return algorithms.length > 0 ? algorithms : undefined;
}

/** A hashed known_hosts line like `ssh-keygen -H` writes, so the file does not list the hosts an operator uses. */
export function hashedKnownHostsLine(name: string, blob: Buffer, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${blobKeyType(blob) ?? 'unknown'} ${blob.toString('base64')}`;
}

/** Reads and parses several known_hosts files in order; a missing file is simply empty (as for ssh). */
export async function readKnownHostsFiles(files: string[]): Promise<{ entries: KnownHostEntry[]; notes: KnownHostsNote[] }> {
  const entries: KnownHostEntry[] = [];
  const notes: KnownHostsNote[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const parsed = parseKnownHosts(text, file);
    entries.push(...parsed.entries);
    notes.push(...parsed.notes);
  }
  return { entries, notes };
}

/** Appends a hashed line for `name` to `file` (created 0600 in a 0700 directory), starting a new line if needed. */
export async function appendKnownHost(file: string, name: string, blob: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = await readFile(file, 'utf8');
    if (existing.length > 0 && !existing.endsWith('\n')) prefix = '\n';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await appendFile(file, `${prefix}${hashedKnownHostsLine(name, blob)}\n`, { mode: 0o600 });
}

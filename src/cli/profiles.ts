// Named profiles in $XDG_CONFIG_HOME/deckhand/config.yaml, validated against a schema declared as data so that
// any mistake is reported as `file:line:col: field: problem` (a typo'd field is an error, not silently ignored).
// Everything in a profile can also be given as flags; a missing file simply means "flags only".
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';

/** One profile: a cluster and how to reach it. */
export interface Profile {
  name: string;
  /** Context in the kubeconfig. */
  kubeContext?: string;
  /** Production clusters ask for the target's name before dangerous steps. */
  production: boolean;
  /** Hides and refuses every mutation. */
  readOnly: boolean;
  bastion?: { user?: string; host?: string; port?: number; identity?: string };
  /** SOCKS listen address, e.g. `127.0.0.1:6443`. */
  socksListen?: string;
  openstackCluster?: { name: string; namespace: string };
  prowNamespace?: string;
  testPodsNamespace?: string;
  /** Service that answers with the caller's public IP (bastion-swap runbook). */
  echoIpUrl?: string;
}

/** The parsed config file. */
export interface ProfileConfig {
  file: string;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/** An invalid config file: names the file, line, column and field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly field: string, problem: string) {
    super(`${file}:${line}:${column}: ${field ? `${field}: ` : ''}${problem}`);
  }
}

type Spec =
  | { kind: 'string' | 'boolean' | 'port' | 'namespace' | 'url' | 'listen'; required?: boolean }
  | { kind: 'map'; fields: Record<string, Spec>; required?: boolean };

const text = { kind: 'string' } as const;
const namespace = { kind: 'namespace' } as const;
const profileSpec: Spec = {
  kind: 'map',
  fields: {
    kubeContext: text,
    production: { kind: 'boolean' },
    readOnly: { kind: 'boolean' },
    bastion: { kind: 'map', fields: { user: text, host: text, port: { kind: 'port' }, identity: text } },
    socksListen: { kind: 'listen' },
    openstackCluster: { kind: 'map', fields: { name: { ...text, required: true }, namespace: { ...namespace, required: true } } },
    prowNamespace: namespace,
    testPodsNamespace: namespace,
    echoIpUrl: { kind: 'url' },
  },
};

const checks: Record<string, [(v: unknown) => boolean, string]> = {
  string: [(v) => typeof v === 'string' && v.length > 0, 'expected a non-empty string'],
  boolean: [(v) => typeof v === 'boolean', 'expected true or false'],
  port: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535, 'expected a port number 1-65535'],
  namespace: [(v) => typeof v === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v), 'expected a Kubernetes namespace name (RFC 1123 label)'],
  url: [(v) => typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v), 'expected an http(s) URL'],
  listen: [(v) => typeof v === 'string' && /^(\[[0-9a-fA-F:]+\]|[^\s:]+):\d{1,5}$/.test(v), 'expected host:port, e.g. 127.0.0.1:6443'],
};

/** Parses and validates config text; throws ConfigError on the first problem. */
export function parseProfileConfig(source: string, file: string): ProfileConfig {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined) => lines.linePos(node?.range?.[0] ?? 0);
  const fail = (node: Node | null | undefined, field: string, problem: string): never => {
    const { line, col } = at(node);
    throw new ConfigError(file, line, col, field, problem);
  };
  const [firstError] = doc.errors;
  if (firstError) {
    const pos = lines.linePos(firstError.pos[0]);
    throw new ConfigError(file, pos.line, pos.col, '', firstError.message.split('\n')[0]!);
  }
  const root = doc.contents;
  if (root === null) return { file, profiles: {} };
  if (!isMap(root)) return fail(root, '', 'expected a mapping with `profiles:`');

  const validate = (node: Node | null, spec: Spec, field: string): unknown => {
    if (spec.kind === 'map') {
      if (!isMap(node)) return fail(node, field, 'expected a mapping');
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const sub = spec.fields[key];
        if (!sub) return fail(pair.key as Node, `${field}.${key}`, `unknown field (known: ${Object.keys(spec.fields).join(', ')})`);
        out[key] = validate(pair.value as Node | null, sub, `${field}.${key}`);
      }
      for (const [key, sub] of Object.entries(spec.fields)) {
        if (sub.required && !(key in out)) fail(node, `${field}.${key}`, 'missing required field');
      }
      return out;
    }
    const value = isScalar(node) ? node.value : undefined;
    const [ok, expected] = checks[spec.kind]!;
    if (!ok(value)) fail(node, field, `${expected}, got ${node === null ? 'nothing' : JSON.stringify(isScalar(node) ? node.value : node.toJSON())}`);
    return value;
  };

  let defaultProfile: string | undefined;
  const profiles: Record<string, Profile> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (key === 'defaultProfile') {
      defaultProfile = validate(value, text, key) as string;
    } else if (key === 'profiles') {
      if (!isMap(value)) return fail(value, key, 'expected a mapping of profile names');
      for (const entry of value.items) {
        const name = isScalar(entry.key) ? String(entry.key.value) : '';
        if (!/^[A-Za-z0-9._-]+$/.test(name)) fail(entry.key as Node, `profiles.${name}`, 'profile names use letters, digits, ".", "_" and "-"');
        const raw = validate(entry.value as Node | null, profileSpec, `profiles.${name}`) as Omit<Profile, 'name'>;
        profiles[name] = { ...raw, name, production: raw.production ?? false, readOnly: raw.readOnly ?? false };
      }
    } else {
      fail(pair.key as Node, key, 'unknown field (known: defaultProfile, profiles)');
    }
  }
  if (defaultProfile !== undefined && !profiles[defaultProfile]) {
    const node = root.items.find((p) => isScalar(p.key) && p.key.value === 'defaultProfile')?.value as Node;
    fail(node, 'defaultProfile', `no profile named '${defaultProfile}'`);
  }
  return { file, ...(defaultProfile !== undefined ? { defaultProfile } : {}), profiles };
}

/** Reads the config file; a missing file is an empty config (flags only). */
export async function loadProfileConfig(file: string): Promise<ProfileConfig> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, profiles: {} };
    throw err;
  }
  return parseProfileConfig(source, file);
}

/** Picks the profile: the named one (an error if absent), else defaultProfile, else the only one, else none. */
export function selectProfile(config: ProfileConfig, name?: string): Profile | undefined {
  if (name !== undefined) {
    const profile = config.profiles[name];
    if (!profile) {
      const known = Object.keys(config.profiles);
      throw new Error(`no profile '${name}' in ${config.file}${known.length ? ` (known: ${known.join(', ')})` : ' (the file has no profiles)'}`);
    }
    return profile;
  }
  if (config.defaultProfile) return config.profiles[config.defaultProfile];
  const all = Object.values(config.profiles);
  return all.length === 1 ? all[0] : undefined;
}

/** The last bastion address that worked for a profile, as remembered in the state directory. */
export interface RememberedBastion {
  host: string;
  port: number;
  user: string;
  /** ISO time of the last successful connection. */
  at: string;
}

async function readBastions(file: string): Promise<Record<string, RememberedBastion>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, RememberedBastion>) : {};
  } catch {
    return {}; // missing or damaged: it is only a hint, rewritten on the next success
  }
}

/** The remembered bastion of a profile, if any. */
export async function recallBastion(file: string, profile: string): Promise<RememberedBastion | undefined> {
  return (await readBastions(file))[profile];
}

/** Records the bastion that just worked for a profile (write to a temporary file, then rename). */
export async function rememberBastion(file: string, profile: string, bastion: RememberedBastion): Promise<void> {
  const all = { ...(await readBastions(file)), [profile]: bastion };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

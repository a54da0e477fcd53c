// Discovery, once per connection: which optional API families the cluster serves and at which version. The
// families (group, versions in order of preference, required resources) are declared by the adapters, so this
// file knows no version string. A missing family is "not installed" with a reason; the rest keeps working.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#discovery-api
import type { KubeClient } from './client.js';
import { KubeError } from './errors.js';
import { isJson, list, text } from './read.js';

/** The optional parts of the model. */
export type FamilyId = 'capi' | 'kcp' | 'capo' | 'prow' | 'metrics';

/** An API family as its adapter declares it. */
export interface ApiFamily {
  id: FamilyId;
  /** For messages: "Cluster API", "Prow". */
  title: string;
  group: string;
  /** Supported versions, most preferred first. */
  versions: readonly string[];
  /** Resources (plurals) that must all be served at the chosen version. */
  resources: readonly string[];
}

/** Whether a family is usable, and at which version. */
export type FamilySupport = { installed: true; version: string } | { installed: false; reason: string };

/** The result of discovery for one connection. */
export interface Discovery {
  /** gitVersion from /version, e.g. "v1.32.0". */
  serverVersion: string;
  families: Record<FamilyId, FamilySupport>;
}

interface GroupDoc {
  name: string;
  versions: string[];
}

/** Served versions per group, from /apis. */
async function servedGroups(client: KubeClient): Promise<Map<string, string[]>> {
  const { body } = await client.request({ method: 'GET', path: '/apis' });
  const groups: GroupDoc[] = list(body, 'groups').flatMap((g) => {
    const name = text(g, 'name');
    return name ? [{ name, versions: list(g, 'versions').flatMap((v) => text(v, 'version') ?? []) }] : [];
  });
  return new Map(groups.map((g) => [g.name, g.versions]));
}

/** Resource names served at group/version (subresources excluded). */
async function servedResources(client: KubeClient, group: string, version: string): Promise<Set<string>> {
  const { body } = await client.request({ method: 'GET', path: `/apis/${group}/${version}` });
  return new Set(list(body, 'resources').flatMap((r) => (isJson(r) && typeof r.name === 'string' && !r.name.includes('/') ? [r.name] : [])));
}

/** Picks the first supported version that serves every required resource, or says why none does. */
export async function discoverFamily(client: KubeClient, family: ApiFamily, served: Map<string, string[]>): Promise<FamilySupport> {
  const versions = served.get(family.group);
  if (!versions) return { installed: false, reason: `${family.title} is not installed: the API group ${family.group} is not served` };
  const candidates = family.versions.filter((v) => versions.includes(v));
  if (candidates.length === 0) {
    return {
      installed: false,
      reason: `${family.title}: ${family.group} serves ${versions.join(', ')}; deckhand supports ${family.versions.join(', ')}`,
    };
  }
  let missing: string[] = [];
  for (const version of candidates) {
    try {
      const resources = await servedResources(client, family.group, version);
      missing = family.resources.filter((r) => !resources.has(r));
      if (missing.length === 0) return { installed: true, version };
    } catch (err) {
      if (err instanceof KubeError && (err.kind === 'forbidden' || err.kind === 'not-found')) {
        return { installed: false, reason: `${family.title}: discovery of ${family.group}/${version} failed: ${err.message}` };
      }
      throw err;
    }
  }
  return { installed: false, reason: `${family.title} is not installed: ${family.group} does not serve ${missing.join(', ')}` };
}

/** Checks the connection (/version) and resolves every family; throws KubeError when the API cannot be read. */
export async function discover(client: KubeClient, families: readonly ApiFamily[]): Promise<Discovery> {
  const { body } = await client.request({ method: 'GET', path: '/version', timeoutMs: 15_000 });
  const served = await servedGroups(client);
  const results = await Promise.all(families.map(async (f) => [f.id, await discoverFamily(client, f, served)] as const));
  const missing: FamilySupport = { installed: false, reason: 'not checked' };
  const out: Record<FamilyId, FamilySupport> = { capi: missing, kcp: missing, capo: missing, prow: missing, metrics: missing };
  for (const [id, support] of results) out[id] = support;
  return { serverVersion: text(body, 'gitVersion') ?? 'unknown', families: out };
}

// Discovery documents: /version, /api, /apis, /apis/{group}, and the APIResourceLists kubectl uses to map kinds
// and short names (md, ma, kcp) to resources.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#discovery-api
import { allVerbs, type ResourceDef } from './resources.js';
import type { Registry } from './registry.js';

/** GET /version. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-deckhand-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.26',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** GET /api. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis. */
export function groupList(registry: Registry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => groupDoc(g)),
  };
}

function groupDoc(g: { name: string; versions: string[]; preferred: string }): Record<string, unknown> {
  return {
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

/** GET /apis/{group}, or undefined when the group is not served. */
export function group(registry: Registry, name: string): Record<string, unknown> | undefined {
  const g = registry.groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

/** GET /api/v1 or /apis/{group}/{version}. */
export function resourceList(registry: Registry, groupName: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const def of registry.defs) {
    if (def.group !== groupName || !def.versions.some((v) => v.name === version)) continue;
    resources.push(resourceDoc(def, def.plural, def.kind, def.verbs ?? allVerbs));
    if (def.status) resources.push(resourceDoc(def, `${def.plural}/status`, def.kind, ['get', 'patch', 'update']));
    if (def.scale) {
      resources.push({ ...resourceDoc(def, `${def.plural}/scale`, 'Scale', ['get', 'patch', 'update']), group: 'autoscaling', version: 'v1' });
    }
    if (def.eviction) {
      resources.push({ ...resourceDoc(def, `${def.plural}/eviction`, 'Eviction', ['create']), group: 'policy', version: 'v1' });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources,
  };
}

function resourceDoc(def: ResourceDef, name: string, kind: string, verbs: string[]): Record<string, unknown> {
  const main = !name.includes('/');
  return {
    name,
    singularName: main ? def.singular : '',
    namespaced: def.namespaced,
    kind,
    verbs,
    ...(main && def.shortNames?.length ? { shortNames: def.shortNames } : {}),
    ...(main && def.categories?.length ? { categories: def.categories } : {}),
  };
}

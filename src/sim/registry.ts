// Looks up the resources a scenario serves, by URL segments and by kind.
import { apiVersionOf, storageKey, type ResourceDef, type VersionDef } from './resources.js';
import type { KubeObject } from './objects.js';

/** A resource found for a request: its definition and the version asked for. */
export interface Resolved {
  def: ResourceDef;
  version: VersionDef;
  key: string;
}

/** Computes objects on request instead of storing them (metrics.k8s.io has no storage and no watch). */
export interface VirtualResource {
  list(ns: string | undefined): KubeObject[];
}

/** The set of resources one simulated cluster serves. */
export class Registry {
  readonly defs: ResourceDef[];
  private readonly byPath = new Map<string, Resolved>();
  private readonly virtuals = new Map<string, VirtualResource>();

  constructor(defs: ResourceDef[]) {
    this.defs = defs;
    for (const def of defs) {
      for (const version of def.versions) {
        this.byPath.set(`${def.group}/${version.name}/${def.plural}`, { def, version, key: storageKey(def) });
      }
    }
  }

  /** The resource at /apis/{group}/{version}/{plural} (group '' for /api/v1). */
  resolve(group: string, version: string, plural: string): Resolved | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** Whether any resource is served under this group and version. */
  servesGroupVersion(group: string, version: string): boolean {
    return this.defs.some((d) => d.group === group && d.versions.some((v) => v.name === version));
  }

  /** The resource of an apiVersion + kind, e.g. for ownerReferences. */
  byKind(apiVersion: string, kind: string): Resolved | undefined {
    for (const def of this.defs) {
      if (def.kind !== kind) continue;
      const version = def.versions.find((v) => apiVersionOf(def.group, v.name) === apiVersion);
      if (version) return { def, version, key: storageKey(def) };
    }
    return undefined;
  }

  /** Groups in discovery order: core first, then as declared. Versions newest (storage/preferred) first. */
  groups(): { name: string; versions: string[]; preferred: string }[] {
    const out = new Map<string, { versions: string[]; preferred: string }>();
    for (const def of this.defs) {
      if (def.group === '') continue;
      const entry = out.get(def.group) ?? { versions: [], preferred: '' };
      for (const v of def.versions) if (!entry.versions.includes(v.name)) entry.versions.push(v.name);
      const storage = def.versions.find((v) => v.storage)?.name;
      if (storage && !entry.preferred) entry.preferred = storage;
      out.set(def.group, entry);
    }
    return [...out.entries()].map(([name, e]) => {
      const versions = [...e.versions].sort(compareVersions);
      return { name, versions, preferred: e.preferred || versions[0]! };
    });
  }

  /** Registers the provider of a virtual resource (by storage key). */
  setVirtual(key: string, provider: VirtualResource): void {
    this.virtuals.set(key, provider);
  }

  /** The provider of a virtual resource, if this key is one. */
  virtual(key: string): VirtualResource | undefined {
    return this.virtuals.get(key);
  }
}

/**
 * Kubernetes version priority: GA > beta > alpha, higher numbers first (v1 > v1beta2 > v1beta1 > v1alpha7).
 * @see k8s.io/apimachinery/pkg/version/helpers.go CompareKubeAwareVersionStrings
 */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [la, ma, na] = rank(a);
  const [lb, mb, nb] = rank(b);
  return lb - la || mb - ma || nb - na;
}

// What the simulated API server serves, declared as data: one ResourceDef per resource, with its API versions,
// schemas, printer columns and subresources. The kinds themselves live in ./kinds/*.
import type { KubeObject } from './objects.js';
import type { Schema } from './schema.js';
import type { StatusCause } from './errors.js';

/** A printer column, as a CRD's additionalPrinterColumns or a built-in kind's table convertor. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** 0 = shown by default, 1 = only with `-o wide`. */
  priority?: number;
  description?: string;
  format?: string;
  /** The cell: from a JSONPath-like dotted path, or computed. `now` is passed in for ages. */
  value: string | ((obj: KubeObject, now: number) => unknown);
}

/** One served version of a resource. */
export interface VersionDef {
  name: string;
  /** Exactly one version of a resource is the storage version. */
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: Schema;
  columns?: Column[];
  /** Converts an object of this version to the storage version (identity when omitted). */
  toStorage?(obj: KubeObject): KubeObject;
  /** Converts a stored object to this version (identity when omitted). */
  fromStorage?(obj: KubeObject): KubeObject;
  /** Fills schema defaults in an object of this version; runs before validation, as the API server defaults first. */
  defaults?(obj: KubeObject): void;
  /** Whether the schema carries CEL rules (x-kubernetes-validations): they are skipped when the schema fails. */
  hasCelRules?: boolean;
  /** Validation beyond the schema, like a CRD's x-kubernetes-validations or a built-in's strategy. */
  validate?(obj: KubeObject, old: KubeObject | undefined): StatusCause[];
}

/** The scale subresource of a CRD (subresources.scale). */
export interface ScaleDef {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** A resource served by the simulator. */
export interface ResourceDef {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  versions: VersionDef[];
  /** Built-in kinds accept strategic merge patch; custom resources answer 415. */
  builtin: boolean;
  /** Has a /status subresource: the main endpoint then ignores status, /status ignores everything else. */
  status: boolean;
  scale?: ScaleDef;
  /** Pods: POST …/eviction. */
  eviction?: boolean;
  /** Field selectors supported beyond metadata.name and metadata.namespace. */
  fieldSelectors?: string[];
  /** Verbs for discovery; defaults to every verb. */
  verbs?: string[];
  /** Sets defaults on create (e.g. a Pod's phase). */
  defaults?(obj: KubeObject): void;
  /** Whether changes to these top-level keys bump metadata.generation (default: `spec`). */
  generationKeys?: string[];
}

/** The verbs discovery lists for a writable resource. */
export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** "cluster.x-k8s.io/v1beta2" or "v1". */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The storage version of a resource. */
export function storageVersion(def: ResourceDef): VersionDef {
  const v = def.versions.find((x) => x.storage) ?? def.versions[0];
  if (!v) throw new Error(`${def.plural}: no versions`);
  return v;
}

/** The key under which objects of a resource are stored, shared by all its versions. */
export function storageKey(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

// Safe readers over raw JSON objects from the API: a missing or mistyped field reads as undefined instead of
// throwing, because projection runs on every watch event and one odd object must not stop a watch.
import { parseCpu, parseMemory } from '../format/quantity.js';
import { intern } from './intern.js';
import type { ConditionView, ObjectView, Resources } from './types.js';

/** A JSON object, loosely. */
export type Json = Record<string, unknown>;

/** Whether a value is a plain JSON object. */
export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Paths are a few hundred constants; splitting each on every read allocated an array per field of every watch event.
const splitPaths = new Map<string, readonly string[]>();

function keysOf(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split('.');
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  return keys;
}

/** The value at a dotted path (`status.deletion.nodeDrainStartTime`), or undefined. */
export function at(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const key of keysOf(path)) {
    if (!isJson(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A non-empty string at a path. */
export function text(obj: unknown, path: string): string | undefined {
  const value = at(obj, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number at a path. */
export function int(obj: unknown, path: string): number | undefined {
  const value = at(obj, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A boolean at a path. */
export function flag(obj: unknown, path: string): boolean | undefined {
  const value = at(obj, path);
  return typeof value === 'boolean' ? value : undefined;
}

/** An array at a path (empty when absent). */
export function list(obj: unknown, path: string): unknown[] {
  const value = at(obj, path);
  return Array.isArray(value) ? value : [];
}

/** A string map at a path (labels, annotations, nodeSelector); non-string values are dropped. */
export function strings(obj: unknown, path: string): Record<string, string> {
  const value = at(obj, path);
  if (!isJson(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Conditions at a path, reduced to ConditionView; entries without a type are dropped. */
export function conditions(obj: unknown, path: string): ConditionView[] {
  return list(obj, path).flatMap((c) => {
    const type = text(c, 'type');
    if (!type) return [];
    const view: ConditionView = { type, status: text(c, 'status') ?? 'Unknown' };
    const reason = text(c, 'reason');
    const message = text(c, 'message');
    const time = text(c, 'lastTransitionTime');
    if (reason) view.reason = reason;
    if (message) view.message = message;
    if (time) view.lastTransitionTime = time;
    return [view];
  });
}

/** Identity and lifecycle fields every view carries. */
export function objectMeta(obj: unknown): ObjectView {
  const view: ObjectView = {
    name: text(obj, 'metadata.name') ?? '',
    uid: text(obj, 'metadata.uid') ?? '',
    resourceVersion: text(obj, 'metadata.resourceVersion') ?? '',
  };
  const namespace = text(obj, 'metadata.namespace');
  const created = text(obj, 'metadata.creationTimestamp');
  const deleting = text(obj, 'metadata.deletionTimestamp');
  if (namespace) view.namespace = intern(namespace);
  if (created) view.created = created;
  if (deleting) view.deleting = deleting;
  return view;
}

/** The controller owner reference (or the first owner), as {kind, name}. */
export function controllerOf(obj: unknown): { kind: string; name: string } | undefined {
  const owners = list(obj, 'metadata.ownerReferences');
  const owner = owners.find((o) => at(o, 'controller') === true) ?? owners[0];
  const kind = text(owner, 'kind');
  const name = text(owner, 'name');
  return kind && name ? { kind, name } : undefined;
}

/** A quantity parsed with `parse`, or undefined when absent or malformed. */
function quantity(value: unknown, parse: (q: string) => number): number | undefined {
  if (typeof value === 'number') return parse(String(value));
  if (typeof value !== 'string') return undefined;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}

/** CPU (millicores) at a path. */
export function cpuAt(obj: unknown, path: string): number | undefined {
  return quantity(at(obj, path), parseCpu);
}

/** Memory (bytes) at a path. */
export function memoryAt(obj: unknown, path: string): number | undefined {
  return quantity(at(obj, path), parseMemory);
}

/** A `{cpu, memory}` resource list (allocatable, usage) in millicores and bytes; absent values are 0. */
export function resourcesAt(obj: unknown, path: string): Resources {
  return { cpuMilli: cpuAt(obj, `${path}.cpu`) ?? 0, memoryBytes: memoryAt(obj, `${path}.memory`) ?? 0 };
}

/**
 * `base` with the defined values of `extra`, so views carry no `key: undefined` noise. A new object built by spread:
 * adding the values to `base` with keyed stores (`base[key] = value`) turns a view of more than about 12 fields out
 * of V8's fast mode into a hash table (Map::TooManyFastProperties, limit kFastPropertiesSoftLimit for keyed stores),
 * which made each ProwJobView ~1.4 KB instead of ~0.3 KB (20,000 of them at tier L: 28 MB; bench figure 2).
 * @see https://github.com/v8/v8/blob/main/src/objects/map.cc (Map::TooManyFastProperties)
 */
export function withDefined<T extends object>(base: T, extra: Partial<T>): T {
  const defined: Record<string, unknown> = {};
  for (const key in extra) if (extra[key] !== undefined) defined[key] = extra[key];
  return { ...base, ...defined };
}

/** Builds a nested object from dotted paths: `[['spec.deletion.nodeDrainTimeoutSeconds', 600]]` → `{spec: {deletion: …}}`. */
export function nested(entries: readonly (readonly [string, unknown])[]): Json {
  const root: Json = {};
  for (const [path, value] of entries) {
    const keys = path.split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) {
      if (!isJson(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    node[keys[keys.length - 1]!] = value;
  }
  return root;
}

/** Orders strings by code unit, which is right for names and RFC 3339 times and far cheaper than localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

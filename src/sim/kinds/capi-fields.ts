// Small helpers for CAPI's v1beta1 ⇄ v1beta2 conversions, which move fields between paths of plain JSON objects.
// They mirror the helpers of sigs.k8s.io/cluster-api@v1.12 that the conversions use: ConvertToSeconds /
// ConvertFromSeconds and Convert_bool_To_Pointer_bool (api/core/v1beta2/conversion.go), and MarshalData /
// UnmarshalData (util/conversion/conversion.go), which keep the hub object in an annotation of the spoke object.
import { formatGoDuration, parseGoDuration } from '../../format/duration.js';
import { internal } from '../errors.js';
import { goJsonMarshal } from '../jsonpath.js';
import { isObject, type KubeObject } from '../objects.js';

/** A JSON object being converted. */
export type Obj = Record<string, unknown>;

/** The annotation where CAPI keeps the v1beta2 object on a v1beta1 object (utilconversion.DataAnnotation). */
export const conversionDataAnnotation = 'cluster.x-k8s.io/conversion-data';

/** The object at `key` of `obj`, or undefined when it is absent or not an object. */
export function sub(obj: unknown, ...path: string[]): Obj | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return isObject(cur) ? cur : undefined;
}

/** The object at `path`, created (with its parents) when absent. */
export function ensure(obj: Obj, ...path: string[]): Obj {
  let cur = obj;
  for (const key of path) {
    const next = cur[key];
    if (isObject(next)) cur = next;
    else cur = cur[key] = {};
  }
  return cur;
}

/** Removes and returns `obj[key]`. */
export function take(obj: Obj | undefined, key: string): unknown {
  if (!obj) return undefined;
  const value = obj[key];
  delete obj[key];
  return value;
}

/** Sets `obj[key]` unless the value is undefined (Go's omitempty on a nil pointer). */
export function put(obj: Obj, key: string, value: unknown): void {
  if (value !== undefined) obj[key] = value;
}

/** Sets a nested value, creating parents, unless the value is undefined. */
export function putPath(obj: Obj, path: string[], value: unknown): void {
  if (value === undefined) return;
  const parent = ensure(obj, ...path.slice(0, -1));
  parent[path[path.length - 1]!] = value;
}

/** Deletes `obj[key]` when it is an object without keys (Go's omitzero on an empty struct). */
export function dropEmpty(obj: Obj | undefined, key: string): void {
  const value = obj?.[key];
  if (obj && isObject(value) && Object.keys(value).length === 0) delete obj[key];
}

/** Deletes `obj[key]` when it is the empty string (CAPI's dropEmptyString). */
export function dropEmptyString(obj: Obj | undefined, key: string): void {
  if (obj?.[key] === '') delete obj[key];
}

/** Whether an array or value is present and non-empty (a non-nil Go slice with elements). */
export function hasItems(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

const maxInt32 = 2 ** 31 - 1;

/**
 * metav1.Duration string → whole seconds, truncated toward zero and capped at MaxInt32 (ConvertToSeconds).
 * A string Go cannot parse fails the conversion webhook, which the API server reports as an internal error.
 */
export function durationToSeconds(value: unknown, kind: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  try {
    ms = parseGoDuration(String(value));
  } catch (err) {
    throw internal(`conversion webhook for ${kind} failed: ${(err as Error).message}`);
  }
  return Math.min(Math.trunc(ms / 1000), maxInt32);
}

/** Whole seconds → metav1.Duration string in Go's formatting, e.g. 600 → "10m0s" (ConvertFromSeconds). */
export function secondsToDuration(value: unknown): string | undefined {
  return typeof value === 'number' ? formatGoDuration(value * 1000) : undefined;
}

/**
 * bool → *bool keeping intent (Convert_bool_To_Pointer_bool): true stays true; false becomes an explicit false only
 * when the restored v1beta2 object had false there, otherwise it is omitted.
 */
export function boolIntent(value: unknown, restored: unknown): boolean | undefined {
  if (value === true) return true;
  return restored === false ? false : undefined;
}

/** Duration → *int32 keeping intent (Convert_Duration_To_Pointer_int32): "0s" stays only when it was 0 before. */
export function durationIntent(value: unknown, restored: unknown, kind: string): number | undefined {
  const seconds = durationToSeconds(value ?? '0s', kind);
  if (seconds === 0 || seconds === undefined) return restored === 0 ? 0 : undefined;
  return seconds;
}

/**
 * Reads and removes the conversion-data annotation (UnmarshalData): the v1beta2 object as it was when last read at
 * v1beta1, used to restore fields v1beta1 cannot express. Removing it from the source also removes it from the
 * converted object, as the Go code does by sharing the annotations map.
 */
export function takeConversionData(obj: KubeObject): Obj | undefined {
  const annotations = obj.metadata.annotations;
  const data = annotations?.[conversionDataAnnotation];
  if (!annotations || data === undefined) return undefined;
  delete annotations[conversionDataAnnotation];
  if (Object.keys(annotations).length === 0) delete obj.metadata.annotations;
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : undefined;
  } catch (err) {
    throw internal(`conversion webhook for ${obj.kind} failed: ${(err as Error).message}`);
  }
}

/** Stores the hub object without its metadata in the conversion-data annotation of the v1beta1 object (MarshalData). */
export function putConversionData(spoke: KubeObject, hub: KubeObject): void {
  const data: Obj = { ...hub };
  delete data.metadata;
  spoke.metadata.annotations = { ...spoke.metadata.annotations, [conversionDataAnnotation]: goJsonMarshal(data) };
}

/** The API group of an apiVersion: "" for "v1", "infrastructure.cluster.x-k8s.io" for ".../v1beta1". */
export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string' || apiVersion === '') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** corev1.ObjectReference → ContractVersionedObjectReference {apiGroup, kind, name} (convertToContractVersionedObjectReference). */
export function toContractRef(ref: unknown): Obj | undefined {
  if (!isObject(ref)) return undefined;
  const out: Obj = {};
  const apiGroup = groupOf(ref.apiVersion);
  if (apiGroup) out.apiGroup = apiGroup;
  if (typeof ref.kind === 'string' && ref.kind) out.kind = ref.kind;
  if (typeof ref.name === 'string' && ref.name) out.name = ref.name;
  return Object.keys(out).length ? out : undefined;
}

/** Resolves the apiVersion to write into a v1beta1 reference, as CAPI's apiVersionGetter does from the CRDs. */
export type ApiVersionResolver = (group: string, kind: string) => string | undefined;

/** ContractVersionedObjectReference → corev1.ObjectReference {apiVersion, kind, namespace, name} (convertToObjectReference). */
export function fromContractRef(ref: unknown, namespace: string | undefined, resolve: ApiVersionResolver, owner: string): Obj | undefined {
  if (!isObject(ref) || (!ref.name && !ref.kind && !ref.apiGroup)) return undefined;
  const group = typeof ref.apiGroup === 'string' ? ref.apiGroup : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : '';
  const apiVersion = resolve(group, kind);
  if (!apiVersion) {
    throw internal(`conversion webhook for ${owner} failed: failed to convert object: failed to get apiVersion for ${kind}.${group}`);
  }
  const out: Obj = { apiVersion, kind };
  if (namespace) out.namespace = namespace;
  if (ref.name) out.name = ref.name;
  return out;
}

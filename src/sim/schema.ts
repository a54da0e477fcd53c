// Structural OpenAPI v3 schemas, validated and pruned the way kube-apiserver treats custom resources:
// unknown fields are dropped (pruning) or, with fieldValidation=Strict, rejected; type, enum, bounds and
// property-count rules give 422 Invalid.
// @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
// @see k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go
import { isObject } from './objects.js';
import type { StatusCause } from './errors.js';

/** The subset of a CRD's openAPIV3Schema that the simulator enforces. */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  format?: string;
  /** An ECMA-262 regular expression, as OpenAPI v3 and the API server's validator read it. */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** What validation found: unknown field paths (pruned from the value) and invalid-value causes. */
export interface SchemaResult {
  unknown: string[];
  causes: StatusCause[];
}

const metadataFields = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers',
  'managedFields',
]);

/**
 * Validates an object against its schema and prunes unknown fields in place.
 * apiVersion, kind and metadata are always known (metadata is checked against ObjectMeta's field list).
 */
export function validateObject(obj: Record<string, unknown>, schema: Schema | undefined): SchemaResult {
  const result: SchemaResult = { unknown: [], causes: [] };
  const meta = obj.metadata;
  if (isObject(meta)) {
    for (const key of Object.keys(meta)) {
      if (!metadataFields.has(key)) {
        result.unknown.push(`metadata.${key}`);
        delete meta[key];
      }
    }
  }
  if (!schema) return result;
  const props = schema.properties ?? {};
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const sub = props[key];
    if (!sub) {
      if (!schema['x-kubernetes-preserve-unknown-fields']) {
        result.unknown.push(key);
        delete obj[key];
      }
      continue;
    }
    walk(obj[key], sub, key, result, (v) => (obj[key] = v));
  }
  for (const req of schema.required ?? []) {
    if (req !== 'apiVersion' && req !== 'kind' && req !== 'metadata' && obj[req] === undefined) {
      result.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: req });
    }
  }
  return result;
}

const patterns = new Map<string, RegExp | null>();
/** The compiled pattern; null when RE2 syntax has no JavaScript equivalent (then the check is skipped). */
function patternOf(source: string): RegExp | null {
  if (!patterns.has(source)) {
    try {
      patterns.set(source, new RegExp(source));
    } catch {
      patterns.set(source, null);
    }
  }
  return patterns.get(source) ?? null;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  const shown = typeof value === 'string' ? `"${value}"` : isObject(value) || Array.isArray(value) ? `"${typeName(value)}"` : String(value);
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: ${detail}`, field };
}

function walk(value: unknown, schema: Schema, path: string, result: SchemaResult, replace: (v: unknown) => void): void {
  if (value === null) {
    // The API server drops a null for a non-nullable field (after defaulting has had its chance to replace it).
    // @see k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting/prunenulls.go
    if (!schema.nullable) replace(undefined);
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
      result.causes.push({ ...invalidValue(path, value, `${path} in body must be of type integer or string: "${typeName(value)}"`), reason: 'FieldValueTypeInvalid' });
    }
    return;
  }
  const t = schema.type;
  if (t) {
    const actual = typeName(value);
    const ok = t === actual || (t === 'number' && actual === 'integer');
    if (!ok) {
      result.causes.push({ ...invalidValue(path, value, `${path} in body must be of type ${t}: "${actual}"`), reason: 'FieldValueTypeInvalid' });
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    const allowed = schema.enum.map((e) => `"${String(e)}"`).join(', ');
    result.causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}`, field: path });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      result.causes.push(invalidValue(path, value, `${path} in body should be greater than or equal to ${schema.minimum}`));
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      result.causes.push(invalidValue(path, value, `${path} in body should be less than or equal to ${schema.maximum}`));
    }
    if (schema.format === 'int32' && (value > 2147483647 || value < -2147483648)) {
      result.causes.push(invalidValue(path, value, `${path} in body must be of type int32`));
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      result.causes.push(invalidValue(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
    }
    if (schema.pattern !== undefined && patternOf(schema.pattern)?.test(value) === false) {
      result.causes.push(invalidValue(path, value, `${path} in body should match '${schema.pattern}'`));
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      result.causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${schema.maxLength} bytes`, field: path });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      result.causes.push(invalidValue(path, value, `${path} in body should have at least ${schema.minItems} items`));
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      result.causes.push({ reason: 'FieldValueTooMany', message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`, field: path });
    }
    const items = schema.items;
    if (items) value.forEach((item, i) => walk(item, items, `${path}[${i}]`, result, (v) => (value[i] = v)));
    return;
  }
  if (isObject(value)) {
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) {
      result.causes.push(invalidValue(path, value, `${path} in body should have at least ${schema.minProperties} properties`));
    }
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      result.causes.push(invalidValue(path, value, `${path} in body should have at most ${schema.maxProperties} properties`));
    }
    const props = schema.properties;
    const extra = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      const childPath = `${path}.${key}`;
      const sub = props?.[key] ?? (isObject(extra) ? extra : undefined);
      if (sub) {
        walk(value[key], sub, childPath, result, (v) => (value[key] = v));
      } else if (extra === true || schema['x-kubernetes-preserve-unknown-fields'] || (!props && extra === undefined && schema.type !== 'object')) {
        continue;
      } else if (schema['x-kubernetes-embedded-resource'] && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) {
        // apiVersion, kind and metadata of an embedded object are always known.
        continue;
      } else {
        result.unknown.push(childPath);
        delete value[key];
      }
    }
    for (const req of schema.required ?? []) {
      if (value[req] === undefined) result.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${path}.${req}` });
    }
  }
}

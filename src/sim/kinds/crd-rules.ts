// The parts of a CRD schema that src/sim/schema.ts does not enforce, applied the way kube-apiserver does for custom
// resources: structural defaulting (`default`), the value-validation combinators (`anyOf`, `allOf`, `oneOf`, `not`)
// and the CEL rules (`x-kubernetes-validations`) that appear in the CRDs the simulator serves. CEL itself is not
// interpreted: each rule text found in those CRDs has a hand-written equivalent below, looked up by its exact text,
// so a regenerated CRD with a new rule shows up as unknown (test/sim/custom-resources.test.ts checks that).
// @see k8s.io/apiextensions-apiserver@v0.34 pkg/apiserver/schema/defaulting/algorithm.go (Default)
// @see k8s.io/apiextensions-apiserver@v0.34 pkg/apiserver/validation/validation.go (ConvertToFieldErrors)
// @see k8s.io/apiextensions-apiserver@v0.34 pkg/apiserver/schema/cel/validation.go (field.Invalid(path, type, message))
import { clone, isObject } from '../objects.js';
import type { StatusCause } from '../errors.js';

/** A schema node as generated into src/sim/crds (a superset of schema.ts's Schema). */
export interface CrdSchema {
  type?: string;
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: CrdSchema[];
  allOf?: CrdSchema[];
  oneOf?: CrdSchema[];
  not?: CrdSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string; reason?: string }[];
  [key: string]: unknown;
}

type Json = Record<string, unknown>;
const has = (obj: unknown, key: string): boolean => isObject(obj) && obj[key] !== undefined && obj[key] !== null;
const get = (obj: unknown, key: string): unknown => (isObject(obj) ? obj[key] : undefined);
/** CEL's size() of a string counts code points. */
const size = (s: string): number => [...s].length;

/**
 * The CEL rules of the served CRDs (CAPI 1.12, CAPO 0.14), by exact rule text, as predicates over `self` (and
 * `oldSelf` for transition rules, which only run on update when the old object has a value at the same path).
 */
export const celRules: ReadonlyMap<string, (self: unknown, oldSelf?: unknown) => boolean> = new Map<string, (self: unknown, oldSelf?: unknown) => boolean>([
  [
    "!(self in ['Ready','Available','HealthCheckSucceeded','OwnerRemediated','ExternallyRemediated'])",
    (self) => !['Ready', 'Available', 'HealthCheckSucceeded', 'OwnerRemediated', 'ExternallyRemediated'].includes(self as string),
  ],
  [
    'self.all(x, self.exists_one(y, x.name == y.name))',
    (self) => !Array.isArray(self) || self.every((x) => self.filter((y) => get(y, 'name') === get(x, 'name')).length === 1),
  ],
  [
    "self.contains('/') ? ( self.split('/') [0].size() <= 253 && self.split('/') [1].size() <= 63 && self.split('/').size() == 2 ) : self.size() <= 63",
    (self) => {
      const s = String(self);
      if (!s.includes('/')) return size(s) <= 63;
      const parts = s.split('/');
      return size(parts[0]!) <= 253 && size(parts[1]!) <= 63 && parts.length === 2;
    },
  ],
  [
    'has(self.disableExternalNetwork) && self.disableExternalNetwork ? !has(self.bastion) || !has(self.bastion.floatingIP) : true',
    (self) => !(get(self, 'disableExternalNetwork') === true) || !has(self, 'bastion') || !has(get(self, 'bastion'), 'floatingIP'),
  ],
  [
    'has(self.disableExternalNetwork) && self.disableExternalNetwork ? has(self.disableAPIServerFloatingIP) && self.disableAPIServerFloatingIP : true',
    (self) => !(get(self, 'disableExternalNetwork') === true) || get(self, 'disableAPIServerFloatingIP') === true,
  ],
  ['!self.enabled || has(self.spec)', (self) => get(self, 'enabled') === false || has(self, 'spec')],
  ['(has(self.flavor) || has(self.flavorID))', (self) => has(self, 'flavor') || has(self, 'flavorID')],
  [
    "!has(self.from) || self.from == 'Name' ? has(self.name) : !has(self.name)",
    (self) => (!has(self, 'from') || get(self, 'from') === 'Name' ? has(self, 'name') : !has(self, 'name')),
  ],
  [
    '(!has(self.region) && !has(oldSelf.region)) || self.region == oldSelf.region',
    (self, oldSelf) => (!has(self, 'region') && !has(oldSelf, 'region')) || get(self, 'region') === get(oldSelf, 'region'),
  ],
  ...(['Bool', 'Number', 'String'] as const).map((type): [string, (self: unknown) => boolean] => {
    const field = type.toLowerCase();
    return [
      `has(self.type) && self.type == '${type}' ? has(self.${field}) : !has(self.${field})`,
      (self) => (get(self, 'type') === type ? has(self, field) : !has(self, field)),
    ];
  }),
]);

/** Rules that read oldSelf are transition rules: skipped on create and where the old object has no value. */
const isTransitionRule = (rule: string): boolean => /\boldSelf\b/.test(rule);

/**
 * Applies `default`s in place, as the API server does on decoding a custom resource: a missing property (or a null
 * one that is not nullable) of an object that is present gets a copy of its default; arrays and maps are walked.
 */
export function applySchemaDefaults(value: unknown, schema: CrdSchema | undefined): void {
  if (!schema) return;
  const nonNullableNull = (v: unknown, s: CrdSchema): boolean => v === null && !s.nullable && s.default !== undefined;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return;
    value.forEach((item, i) => {
      if (nonNullableNull(item, items)) value[i] = clone(items.default);
      applySchemaDefaults(value[i], items);
    });
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    if (sub.default !== undefined && (value[key] === undefined || nonNullableNull(value[key], sub))) value[key] = clone(sub.default);
  }
  const extra = isObject(schema.additionalProperties) ? (schema.additionalProperties as CrdSchema) : undefined;
  for (const key of Object.keys(value)) {
    const sub = props[key];
    if (sub) {
      applySchemaDefaults(value[key], sub);
    } else if (extra) {
      if (nonNullableNull(value[key], extra)) value[key] = clone(extra.default);
      applySchemaDefaults(value[key], extra);
    }
  }
}

/** Where in a schema a rule lives: path segments, `[]` for array items, `{}` for map values. */
interface Site {
  segments: string[];
  schema: CrdSchema;
}

function collectSites(schema: CrdSchema, segments: string[], out: Site[]): void {
  const combinators = (schema.anyOf || schema.allOf || schema.oneOf || schema.not) && !schema['x-kubernetes-int-or-string'];
  if (schema['x-kubernetes-validations']?.length || combinators) out.push({ segments, schema });
  for (const [key, sub] of Object.entries(schema.properties ?? {})) collectSites(sub, [...segments, key], out);
  if (schema.items) collectSites(schema.items, [...segments, '[]'], out);
  if (isObject(schema.additionalProperties)) collectSites(schema.additionalProperties as CrdSchema, [...segments, '{}'], out);
}

/** Each value at a site's path in `obj`, with its field path (`spec.x[0].y`, `spec.m[key]`) and the old value. */
function* resolve(obj: unknown, old: unknown, segments: string[], path: string): Generator<[unknown, unknown, string]> {
  if (segments.length === 0) {
    yield [obj, old, path];
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '[]') {
    // Old list items are not correlated (only listType=map lists are, and none of the transition rules sit under one).
    if (Array.isArray(obj)) for (const [i, item] of obj.entries()) yield* resolve(item, undefined, rest, `${path}[${i}]`);
  } else if (head === '{}') {
    if (isObject(obj)) for (const [key, item] of Object.entries(obj)) yield* resolve(item, get(old, key), rest, `${path}[${key}]`);
  } else if (isObject(obj) && obj[head] !== undefined && obj[head] !== null) {
    yield* resolve(obj[head], get(old, head), rest, path ? `${path}.${head}` : head);
  }
}

/** JSON type names as the CEL validator reports them in `Invalid value: "object": …`. */
function typeName(schema: CrdSchema): string {
  return schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : 'object');
}

/** Whether a value satisfies a schema, for the keywords that appear inside the CRDs' combinators. */
function satisfies(value: unknown, schema: CrdSchema): boolean {
  if (schema.type) {
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
    if (!(actual === schema.type || (schema.type === 'number' && actual === 'integer'))) return false;
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) return false;
  if (isObject(value)) {
    if (schema.required?.some((k) => value[k] === undefined)) return false;
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (value[key] !== undefined && !satisfies(value[key], sub)) return false;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (schema.not && satisfies(value, schema.not)) return false;
  if (schema.allOf && !schema.allOf.every((s) => satisfies(value, s))) return false;
  if (schema.anyOf && !schema.anyOf.some((s) => satisfies(value, s))) return false;
  if (schema.oneOf && schema.oneOf.filter((s) => satisfies(value, s)).length !== 1) return false;
  return true;
}

/** Causes for a failed branch: its missing required fields, else one invalid value (ConvertToFieldErrors' shapes). */
function branchCauses(value: unknown, branch: CrdSchema, path: string): StatusCause[] {
  const missing = isObject(value) ? (branch.required ?? []).filter((k) => value[k] === undefined) : [];
  if (missing.length) return missing.map((k) => ({ reason: 'FieldValueRequired', message: 'Required value', field: `${path}.${k}` }));
  return [];
}

function combinatorCauses(value: unknown, schema: CrdSchema, path: string): StatusCause[] {
  const name = path.split('.').pop() ?? path;
  // kube-openapi reports composite failures without a field path, which field.Path prints as "<nil>".
  const composite = (text: string): StatusCause => ({ reason: 'FieldValueInvalid', message: `Invalid value: "": ${text}`, field: '<nil>' });
  const causes: StatusCause[] = [];
  if (schema.anyOf && !schema.anyOf.some((s) => satisfies(value, s))) {
    causes.push(composite(`"${name}" must validate at least one schema (anyOf)`));
    const best = schema.anyOf.find((s) => s.required?.length) ?? schema.anyOf[0];
    if (best) causes.push(...branchCauses(value, best, path));
  }
  if (schema.oneOf && schema.oneOf.filter((s) => satisfies(value, s)).length !== 1) {
    causes.push(composite(`"${name}" must validate one and only one schema (oneOf)`));
  }
  if (schema.allOf && !schema.allOf.every((s) => satisfies(value, s))) {
    causes.push(composite(`"${name}" must validate all the schemas (allOf)`));
    for (const s of schema.allOf) if (!satisfies(value, s)) causes.push(...branchCauses(value, s, path));
  }
  if (schema.not && satisfies(value, schema.not)) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "": ${name} in body must not validate the schema (not)`, field: path });
  }
  return causes;
}

/** A validator for one served version, and the rule texts of its schema that have no equivalent here. */
export interface CompiledRules {
  validate(obj: Json, old: Json | undefined): StatusCause[];
  unknownRules: string[];
}

/**
 * Compiles the rules of a version's schema. The returned validator defaults a copy of the object first, as the
 * API server validates defaulted objects, then checks combinators and CEL rules wherever a value is present.
 */
export function compileRules(schema: CrdSchema): CompiledRules {
  const sites: Site[] = [];
  collectSites(schema, [], sites);
  const unknownRules = [...new Set(sites.flatMap((s) => (s.schema['x-kubernetes-validations'] ?? []).map((r) => r.rule)))].filter((r) => !celRules.has(r));
  return {
    unknownRules,
    validate(obj, old) {
      if (sites.length === 0) return [];
      const self = clone(obj);
      applySchemaDefaults(self, schema);
      const before = old === undefined ? undefined : clone(old);
      if (before) applySchemaDefaults(before, schema);
      const causes: StatusCause[] = [];
      for (const site of sites) {
        for (const [value, oldValue, path] of resolve(self, before, site.segments, '')) {
          causes.push(...combinatorCauses(value, site.schema, path));
          for (const rule of site.schema['x-kubernetes-validations'] ?? []) {
            const check = celRules.get(rule.rule);
            if (!check) continue;
            if (isTransitionRule(rule.rule) && oldValue === undefined) continue;
            if (!check(value, oldValue)) {
              causes.push({
                reason: rule.reason ?? 'FieldValueInvalid',
                message: `Invalid value: "${typeName(site.schema)}": ${rule.message ?? `failed rule: ${rule.rule}`}`,
                field: path,
              });
            }
          }
        }
      }
      return causes;
    },
  };
}

// The Kubernetes REST semantics of the simulated API server, independent of HTTP: get, list (paged), create,
// update, patch (merge / JSON / strategic), delete (finalizers, preconditions), /status, /scale, eviction,
// field validation (Strict / Warn / Ignore), dryRun, optimistic concurrency.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/
import { randomBytes, randomUUID } from 'node:crypto';
import { admitPod, bindPod, podUpdateError, prepareForCreate } from './admission.js';
import {
  ApiError, alreadyExists, badRequest, conflict, detailsOf, expired, invalid, notFound, preconditionFailed,
  unsupportedMediaType, type ResourceName, type StatusCause,
} from './errors.js';
import { decideEviction } from './eviction.js';
import { clone, getPath, isObject, jsonEqual, setPath, timestamp, type KubeObject } from './objects.js';
import { jsonPatch, mergePatch, patchTypes, strategicMergePatch } from './patch.js';
import { apiVersionOf, storageVersion, type ResourceDef, type VersionDef } from './resources.js';
import type { Registry, Resolved } from './registry.js';
import { validateObject } from './schema.js';
import { fieldSelector, labelSelector } from './selectors.js';
import type { ObjectStore } from './store.js';

/** Options common to writes, from the query string. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

/** The result of a write: the object as the client's version sees it, plus Warning headers. */
export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  created?: boolean;
}

/** A page of a list. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const generateChars = 'bcdfghjklmnpqrstvwxz2456789';
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The suffix kube-apiserver appends for generateName (5 characters from a consonant-and-digit alphabet). */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => generateChars[b % generateChars.length]).join('');
}

interface ContinueToken {
  rv: number;
  start: string;
  id: string;
}

/** Consistent list snapshots kept while a client pages through them (the etcd revision of the first page). */
interface Snapshot {
  items: KubeObject[];
  rv: number;
  createdAt: number;
}

/** REST semantics over an ObjectStore. */
export class Api {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    readonly registry: Registry,
    readonly store: ObjectStore,
    private readonly now: () => number = Date.now,
    /** How long a continue token stays valid (kube-apiserver: until etcd compacts, about 5 minutes). */
    private readonly continueTtlMs = 5 * 60_000,
  ) {}

  private name(r: Resolved): ResourceName {
    return { group: r.def.group, resource: r.def.plural, kind: r.def.kind };
  }

  /** A stored object converted to the version a client asked for. */
  present(r: Resolved, stored: KubeObject): KubeObject {
    const out = r.version.fromStorage && !r.version.storage ? r.version.fromStorage(stored) : stored;
    const apiVersion = apiVersionOf(r.def.group, r.version.name);
    return out.apiVersion === apiVersion && out.kind === r.def.kind ? out : { ...out, apiVersion, kind: r.def.kind };
  }

  private toStorage(r: Resolved, obj: KubeObject): KubeObject {
    const storage = storageVersion(r.def);
    const converted = r.version.toStorage && r.version !== storage ? r.version.toStorage(obj) : obj;
    return { ...converted, apiVersion: apiVersionOf(r.def.group, storage.name), kind: r.def.kind };
  }

  /** GET one object. */
  get(r: Resolved, ns: string | undefined, name: string): KubeObject {
    const stored = this.lookup(r, ns, name);
    return this.present(r, stored);
  }

  private lookup(r: Resolved, ns: string | undefined, name: string): KubeObject {
    const virtual = this.registry.virtual(r.key);
    const stored = virtual
      ? virtual.list(ns).find((o) => o.metadata.name === name)
      : this.store.get(r.key, r.def.namespaced ? ns : undefined, name);
    if (!stored) throw notFound(this.name(r), name);
    return stored;
  }

  /** LIST with label/field selectors and limit/continue paging over a consistent snapshot. */
  list(r: Resolved, ns: string | undefined, query: URLSearchParams): ListResult {
    const labels = labelSelector(query.get('labelSelector'));
    const fields = fieldSelector(query.get('fieldSelector'), r.def.fieldSelectors ?? []);
    const limit = Number(query.get('limit') ?? 0);
    const token = query.get('continue');
    let snapshot: Snapshot;
    let start = '';
    if (token) {
      const parsed = this.decodeContinue(token);
      const kept = this.snapshots.get(parsed.id);
      if (!kept || this.now() - kept.createdAt > this.continueTtlMs) {
        this.snapshots.delete(parsed.id);
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      snapshot = kept;
      start = parsed.start;
    } else {
      const virtual = this.registry.virtual(r.key);
      const all = virtual ? virtual.list(r.def.namespaced ? ns : undefined) : this.store.list(r.key, r.def.namespaced ? ns : undefined);
      snapshot = { items: all, rv: this.store.currentRv, createdAt: this.now() };
    }
    const matching: KubeObject[] = [];
    let index = 0;
    if (start) {
      index = snapshot.items.findIndex((o) => keyOf(o) > start);
      if (index < 0) index = snapshot.items.length;
    }
    let more = false;
    let last = '';
    for (; index < snapshot.items.length; index++) {
      const obj = snapshot.items[index]!;
      if (!labels(obj) || !fields(obj)) continue;
      if (limit > 0 && matching.length >= limit) {
        more = true;
        break;
      }
      matching.push(obj);
      last = keyOf(obj);
    }
    const result: ListResult = { items: matching.map((o) => this.present(r, o)), resourceVersion: String(snapshot.rv) };
    if (more) {
      const id = token ? this.decodeContinue(token).id : randomUUID();
      this.snapshots.set(id, snapshot);
      result.continue = Buffer.from(JSON.stringify({ rv: snapshot.rv, start: last, id } satisfies ContinueToken)).toString('base64url');
      const remaining = snapshot.items.slice(index).filter((o) => labels(o) && fields(o)).length;
      if (query.get('labelSelector') === null && query.get('fieldSelector') === null) result.remainingItemCount = remaining;
    } else if (token) {
      this.snapshots.delete(this.decodeContinue(token).id);
    }
    this.expireSnapshots();
    return result;
  }

  private expireSnapshots(): void {
    const now = this.now();
    for (const [id, s] of this.snapshots) if (now - s.createdAt > this.continueTtlMs) this.snapshots.delete(id);
  }

  private decodeContinue(token: string): ContinueToken {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
      if (typeof parsed.id !== 'string' || typeof parsed.start !== 'string') throw new Error('shape');
      return parsed;
    } catch {
      throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
  }

  /** POST: creates an object (generateName, uid, timestamps, defaults). */
  create(r: Resolved, ns: string | undefined, body: unknown, options: WriteOptions): WriteResult {
    if (!isObject(body)) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
    const obj = clone(body) as KubeObject;
    if (!isObject(obj.metadata)) obj.metadata = {};
    const meta = obj.metadata;
    if (r.def.namespaced) {
      if (meta.namespace && ns && meta.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = ns ?? meta.namespace ?? 'default';
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (!meta.name) throw invalid(this.name(r), '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    if (!dns1123Subdomain.test(meta.name) || meta.name.length > 253) {
      throw invalid(this.name(r), meta.name, [{
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      }]);
    }
    obj.apiVersion = apiVersionOf(r.def.group, r.version.name);
    obj.kind = r.def.kind;
    if (r.def.builtin) {
      if (isPod(r)) admitPod(obj);
      prepareForCreate(r.def.kind, obj);
      if (r.def.group === '' && r.def.kind === 'Service') this.allocateClusterIP(obj);
    }
    const warnings = this.validate(r, obj, undefined, options, 'decode');
    // Storage answers AlreadyExists only for an object that passed validation.
    if (this.store.get(r.key, meta.namespace, meta.name)) throw alreadyExists(this.name(r), meta.name);
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp(this.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    // Only kinds whose strategy tracks it have a generation (not ConfigMaps, Nodes, Services, Events, …).
    if (tracksGeneration(r.def)) meta.generation = 1;
    else delete meta.generation;
    if (r.def.status && !r.def.builtin) delete obj.status;
    let stored = this.toStorage(r, obj);
    r.def.defaults?.(stored);
    if (!options.dryRun) stored = this.store.put(r.key, stored);
    return { object: this.present(r, stored), warnings, created: true };
  }

  /** A free address of the service network (10.96.0.0/16) for a ClusterIP Service that names none. */
  private allocateClusterIP(svc: KubeObject): void {
    const spec = (isObject(svc.spec) ? svc.spec : (svc.spec = {})) as Record<string, unknown>;
    if (spec.type === 'ExternalName' || (typeof spec.clusterIP === 'string' && spec.clusterIP !== '')) return;
    const r = this.registry.resolve('', 'v1', 'services');
    const used = new Set(r ? this.store.list(r.key).map((s) => String(getPath(s, 'spec.clusterIP'))) : []);
    for (let n = 10; n < 65_535; n++) {
      const ip = `10.96.${n >> 8}.${n & 255}`;
      if (used.has(ip) || (n & 255) === 0 || (n & 255) === 255) continue;
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
  }

  /**
   * Schema validation and pruning, then the version's own rules. Returns Warning header values (one per unknown
   * field, sorted, as the API server sends them). `how` shapes the Strict error: a create or update cannot be
   * decoded (400), a patch yields an invalid object (422, the whole patched object in the message).
   * @see test/k8s/OBSERVED.md for the exact answers of kube-apiserver 1.34
   */
  private validate(r: Resolved, obj: KubeObject, old: KubeObject | undefined, options: WriteOptions, how: 'decode' | 'patch', version: VersionDef = r.version): string[] {
    version.defaults?.(obj);
    const snapshot = how === 'patch' ? JSON.stringify(obj) : '';
    const result = validateObject(obj, version.schema);
    const mode = options.fieldValidation ?? 'Warn';
    const unknown = [...result.unknown].sort();
    if (unknown.length > 0 && mode === 'Strict') {
      const detail = `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`;
      if (how === 'decode') {
        throw badRequest(`${r.def.kind} in version "${version.name}" cannot be handled as a ${r.def.kind}: ${detail}`);
      }
      const message = `Invalid value: ${JSON.stringify(snapshot)}: ${detail}`;
      throw new ApiError(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
    }
    const causes: StatusCause[] = [...result.causes];
    if (causes.length > 0 && version.hasCelRules) {
      causes.push({ reason: 'FieldValueInvalid', field: '<nil>', message: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' });
    } else if (causes.length === 0) {
      causes.push(...(version.validate?.(obj, old) ?? []));
    }
    if (causes.length > 0) throw invalid(this.name(r), obj.metadata.name ?? '', causes);
    return mode === 'Warn' ? unknown.map((f) => `unknown field "${f}"`) : [];
  }

  /**
   * PUT, PATCH and their /status forms end here: validate, carry over what a client cannot change, check the
   * resourceVersion precondition, bump generation on spec changes, finish deletion when the last finalizer goes.
   */
  private commit(r: Resolved, current: KubeObject, next: KubeObject, subresource: string | undefined, options: WriteOptions, requireRv: boolean, how: 'decode' | 'patch'): WriteResult {
    const name = current.metadata.name!;
    if (!isObject(next.metadata)) next.metadata = {};
    const sentRv = next.metadata.resourceVersion;
    if (requireRv && !sentRv && !r.def.builtin) {
      // The custom resource handler names the resource, not the Kind, here (apiextensions-apiserver).
      const message = 'Invalid value: 0: must be specified for an update';
      throw new ApiError(422, 'Invalid', `${r.def.plural}.${r.def.group} "${name}" is invalid: metadata.resourceVersion: ${message}`, {
        ...detailsOf(name, r.def.group, r.def.plural), causes: [{ reason: 'FieldValueInvalid', message, field: 'metadata.resourceVersion' }],
      });
    }
    if (sentRv && sentRv !== current.metadata.resourceVersion) throw conflict(this.name(r), name);
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`);
    }
    next.apiVersion = apiVersionOf(r.def.group, r.version.name);
    next.kind = r.def.kind;
    const currentVersioned = this.present(r, current);
    const warnings = this.validate(r, next, currentVersioned, options, how);
    if (isPod(r) && subresource !== 'status') {
      const refused = podUpdateError(currentVersioned, next);
      if (refused) throw refused;
    }
    let merged: KubeObject;
    if (subresource === 'status') {
      merged = { ...currentVersioned, status: next.status };
    } else {
      merged = { ...next };
      if (r.def.status) {
        if (currentVersioned.status === undefined) delete merged.status;
        else merged.status = currentVersioned.status;
      }
    }
    const fixed = current.metadata;
    merged.metadata = {
      ...(subresource === 'status' ? currentVersioned.metadata : merged.metadata),
      name,
      uid: fixed.uid,
      creationTimestamp: fixed.creationTimestamp,
      generation: fixed.generation,
      ...(fixed.namespace ? { namespace: fixed.namespace } : {}),
      ...(fixed.deletionTimestamp ? { deletionTimestamp: fixed.deletionTimestamp, deletionGracePeriodSeconds: fixed.deletionGracePeriodSeconds } : {}),
    };
    if (!r.def.namespaced) delete merged.metadata.namespace;
    let stored = this.toStorage(r, merged);
    const genKeys = r.def.generationKeys ?? ['spec'];
    if (genKeys.some((k) => !jsonEqual(stored[k], current[k]))) stored.metadata.generation = (fixed.generation ?? 1) + 1;
    if (fixed.deletionTimestamp && (stored.metadata.finalizers ?? []).some((f) => !(fixed.finalizers ?? []).includes(f))) {
      throw invalid(this.name(r), name, [{ reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: 'Forbidden: no new finalizers can be added if the object is being deleted' }]);
    }
    const unchanged = jsonEqual({ ...stored, metadata: { ...stored.metadata, resourceVersion: undefined } }, { ...current, metadata: { ...current.metadata, resourceVersion: undefined } });
    if (unchanged) return { object: this.present(r, current), warnings };
    if (options.dryRun) return { object: this.present(r, { ...stored, metadata: { ...stored.metadata, resourceVersion: current.metadata.resourceVersion } }), warnings };
    if (stored.metadata.deletionTimestamp && (stored.metadata.finalizers ?? []).length === 0) {
      const gone = this.store.remove(r.key, stored);
      return { object: this.present(r, gone ?? stored), warnings };
    }
    stored = this.store.put(r.key, stored);
    return { object: this.present(r, stored), warnings };
  }

  /** PUT (optionally /status). */
  update(r: Resolved, ns: string | undefined, name: string, body: unknown, subresource: string | undefined, options: WriteOptions): WriteResult {
    if (!isObject(body)) throw badRequest('the body of the request was in an unknown format');
    // The body's name is checked before the object is looked up (k8s.io/apiserver handlers/update.go).
    const sent = isObject(body.metadata) ? body.metadata.name : undefined;
    if (typeof sent === 'string' && sent !== '' && sent !== name) {
      throw badRequest(`the name of the object (${sent}) does not match the name on the URL (${name})`);
    }
    const current = this.lookup(r, ns, name);
    return this.commit(r, current, clone(body) as KubeObject, subresource, options, true, 'decode');
  }

  /** PATCH (optionally /status) with one of the three patch types. */
  patch(r: Resolved, ns: string | undefined, name: string, contentType: string, body: unknown, subresource: string | undefined, options: WriteOptions): WriteResult {
    const current = this.lookup(r, ns, name);
    const versioned = this.present(r, current);
    const next = this.applyPatch(r, versioned, contentType, body);
    if (!isObject(next)) throw badRequest('the patch did not produce an object');
    return this.commit(r, current, next as KubeObject, subresource, options, false, 'patch');
  }

  private applyPatch(r: Resolved, target: KubeObject, contentType: string, body: unknown): unknown {
    const type = contentType.split(';')[0]!.trim();
    const accepted = r.def.builtin
      ? [patchTypes.json, patchTypes.merge, patchTypes.strategic, patchTypes.apply]
      : [patchTypes.json, patchTypes.merge, patchTypes.apply];
    switch (type) {
      case patchTypes.merge:
        if (!isObject(body)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        return mergePatch(target, body);
      case patchTypes.json:
        return jsonPatch(target, body);
      case patchTypes.strategic:
        if (!r.def.builtin) throw unsupportedMediaType(accepted);
        return strategicMergePatch(target, body);
      default:
        throw unsupportedMediaType(accepted);
    }
  }

  /** The autoscaling/v1 Scale of a resource with a scale subresource. */
  getScale(r: Resolved, ns: string | undefined, name: string): KubeObject {
    if (!r.def.scale) throw notFound(this.name(r), name);
    return this.scaleOf(r, this.present(r, this.lookup(r, ns, name)));
  }

  private scaleOf(r: Resolved, obj: KubeObject): KubeObject {
    const scale = r.def.scale!;
    const selector = scale.labelSelectorPath ? getPath(obj, scale.labelSelectorPath.replace(/^\./, '')) : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: Number(getPath(obj, scale.specReplicasPath.replace(/^\./, '')) ?? 0) },
      status: {
        replicas: Number(getPath(obj, scale.statusReplicasPath.replace(/^\./, '')) ?? 0),
        ...(typeof selector === 'string' ? { selector } : {}),
      },
    };
  }

  /** PUT or PATCH …/scale: changes spec.replicas (with the Scale's resourceVersion as precondition). */
  writeScale(r: Resolved, ns: string | undefined, name: string, contentType: string | undefined, body: unknown, options: WriteOptions): WriteResult {
    if (!r.def.scale) throw notFound(this.name(r), name);
    const current = this.lookup(r, ns, name);
    const versioned = this.present(r, current);
    const scale = this.scaleOf(r, versioned);
    const next = contentType ? this.applyPatchToScale(scale, contentType, body) : body;
    if (!isObject(next)) throw badRequest('the body of the request was in an unknown format');
    const unknown = validateObject(next, scaleSchema).unknown;
    if (unknown.length > 0 && options.fieldValidation === 'Strict') {
      throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
    }
    const replicas = getPath(next, 'spec.replicas');
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      // Worded with the specReplicasPath, leading dot included, as kube-apiserver's scale handler does.
      throw invalid(this.name(r), name, [{ reason: 'FieldValueInvalid', field: r.def.scale.specReplicasPath, message: `Invalid value: ${JSON.stringify(replicas)}: should be a non-negative integer` }]);
    }
    const rv = getPath(next, 'metadata.resourceVersion');
    if (typeof rv === 'string' && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(this.name(r), name);
    const updated = clone(versioned);
    setPath(updated, r.def.scale.specReplicasPath.replace(/^\./, ''), replicas);
    const result = this.commit(r, current, { ...updated, metadata: { ...updated.metadata, resourceVersion: undefined } }, undefined, { ...options, fieldValidation: 'Ignore' }, false, 'patch');
    return { object: this.scaleOf(r, result.object), warnings: result.warnings };
  }

  private applyPatchToScale(scale: KubeObject, contentType: string, body: unknown): unknown {
    const type = contentType.split(';')[0]!.trim();
    if (type === patchTypes.merge) return mergePatch(scale, body);
    if (type === patchTypes.json) return jsonPatch(scale, body);
    if (type === patchTypes.strategic) return strategicMergePatch(scale, body);
    throw unsupportedMediaType([patchTypes.json, patchTypes.merge, patchTypes.strategic]);
  }

  /**
   * DELETE: with finalizers the object only gets a deletionTimestamp (and, like any graceful deletion, a new
   * generation); preconditions on uid/resourceVersion give 409. Pods bound to a node are deleted gracefully (the
   * kubelet finishes the deletion), as the pod strategy does. An object removed at once is answered with a Success
   * Status naming it, not with the object.
   * @see k8s.io/apiserver pkg/registry/rest/delete.go (BeforeDelete), pkg/registry/generic/registry/store.go (Delete)
   */
  delete(r: Resolved, ns: string | undefined, name: string, body: unknown, query: URLSearchParams, options: WriteOptions): WriteResult {
    const current = this.lookup(r, ns, name);
    const pre = isObject(body) && isObject(body.preconditions) ? body.preconditions : {};
    if (typeof pre.uid === 'string' && pre.uid !== current.metadata.uid) {
      throw preconditionFailed(this.name(r), name, 'UID', pre.uid, String(current.metadata.uid));
    }
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw preconditionFailed(this.name(r), name, 'ResourceVersion', pre.resourceVersion, String(current.metadata.resourceVersion));
    }
    const graceParam = query.get('gracePeriodSeconds') ?? (isObject(body) && typeof body.gracePeriodSeconds === 'number' ? String(body.gracePeriodSeconds) : null);
    const grace = graceParam === null ? undefined : Number(graceParam);
    const finalizers = current.metadata.finalizers ?? [];
    const graceful = r.def.plural === 'pods' && r.def.group === '' && typeof getPath(current, 'spec.nodeName') === 'string' && grace !== 0 && !isFinished(current);
    if (finalizers.length === 0 && !graceful) {
      if (!options.dryRun) this.store.remove(r.key, current);
      return { object: this.deleted(r, current), warnings: [] };
    }
    if (current.metadata.deletionTimestamp) return { object: this.present(r, current), warnings: [] };
    const seconds = graceful ? (grace ?? (Number(getPath(current, 'spec.terminationGracePeriodSeconds') ?? 30))) : 0;
    const generation = current.metadata.generation;
    const next: KubeObject = {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: timestamp(this.now() + seconds * 1000),
        deletionGracePeriodSeconds: seconds,
        ...(typeof generation === 'number' && generation > 0 ? { generation: generation + 1 } : {}),
      },
    };
    if (options.dryRun) return { object: this.present(r, next), warnings: [] };
    return { object: this.present(r, this.store.put(r.key, next)), warnings: [] };
  }

  /** The Status a DELETE answers when the object is gone at once (registry Store.Delete, returnDeletedObject off). */
  private deleted(r: Resolved, obj: KubeObject): KubeObject {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...detailsOf(obj.metadata.name, r.def.group, r.def.plural), uid: obj.metadata.uid } } as unknown as KubeObject;
  }

  /**
   * POST pods/{name}/eviction, decided from the PodDisruptionBudget's status as kube-apiserver does (./eviction.ts):
   * an allowance spent is stored in the budget's status before the pod is deleted (gracefully, when bound).
   */
  evict(r: Resolved, ns: string, name: string, options: WriteOptions): KubeObject {
    const pod = this.lookup(r, ns, name);
    const pdbDef = this.registry.resolve('policy', 'v1', 'poddisruptionbudgets');
    const { pdb } = decideEviction(pod, pdbDef ? this.store.list(pdbDef.key, ns) : [], timestamp(this.now()));
    if (pdb && pdbDef && !options.dryRun) this.store.put(pdbDef.key, pdb);
    this.delete(r, ns, name, undefined, new URLSearchParams(), options);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
  }

  /** POST pods/{name}/binding: the scheduler's way to set spec.nodeName (./admission.ts bindPod). */
  bind(r: Resolved, ns: string, name: string, body: unknown, options: WriteOptions): KubeObject {
    const current = this.lookup(r, ns, name);
    const bound = bindPod(this.present(r, current), body, timestamp(this.now()));
    if (!options.dryRun) this.store.put(r.key, this.toStorage(r, bound));
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
  }

  /** Direct write for bulk seeding of large scenarios (skips validation, as a loader writing etcd would). */
  seed(r: Resolved, obj: KubeObject): KubeObject {
    const meta = obj.metadata;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= timestamp(this.now());
    if (tracksGeneration(r.def)) meta.generation ??= 1;
    return this.store.put(r.key, this.toStorage(r, obj));
  }
}

/** Kinds that declare no generation keys have no metadata.generation at all. */
function tracksGeneration(def: ResourceDef): boolean {
  return def.generationKeys === undefined || def.generationKeys.length > 0;
}

function isPod(r: Resolved): boolean {
  return r.def.group === '' && r.def.kind === 'Pod';
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function isFinished(pod: KubeObject): boolean {
  const phase = getPath(pod, 'status.phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

const scaleSchema = {
  type: 'object' as const,
  properties: {
    spec: { type: 'object' as const, properties: { replicas: { type: 'integer' as const } } },
    status: { type: 'object' as const, properties: { replicas: { type: 'integer' as const }, selector: { type: 'string' as const } } },
  },
};

/** The storage version of a resource, re-exported for the server. */
export { storageVersion };
/** Used by the HTTP layer to tell kinds apart. */
export type { ResourceDef };

// Changes in two halves. plan*() is read-only and returns the exact request (method, path, query, body) with a
// resourceVersion precondition, fieldValidation=Strict and optional dryRun=All; applyPlan() sends exactly that.
// A stale plan fails with a 409 KubeError (kind 'conflict'), which runbooks treat as "preview again".
// @see /work/shared/reference/cluster-apis.md §5.5 (field validation), §5.6 (optimistic concurrency), §1.9 (scale)
import type { KubeClient, KubeRequest } from './client.js';
import type { Discovery } from './discovery.js';
import { KubeError } from './errors.js';
import { collectionPath, kinds, resolveKind, type KindSpec } from './kinds.js';
import { isJson, text, type Json } from './read.js';
import type { KindId, ViewsByKind } from './types.js';

/** A resource instance by API coordinates. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name: string;
}

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
}

/** A patch body: JSON merge patch (lists replaced whole, null deletes) or JSON patch. */
export type PatchBody = { type: 'merge'; patch: Json } | { type: 'json'; ops: JsonPatchOp[] };

/** What a plan will send, and what it is for. */
export interface ActionPlan {
  action: 'patch' | 'scale' | 'delete' | 'annotate';
  /** e.g. "patch machines.cluster.x-k8s.io default/prow-md-0-x8k7 (dry run)". */
  summary: string;
  target: ResourceRef;
  request: KubeRequest;
  dryRun: boolean;
}

/** What the server answered. */
export interface ActionResult {
  object: unknown;
  resourceVersion?: string;
  warnings: string[];
  dryRun: boolean;
}

/** Write options: the precondition and whether the server only validates (dryRun=All). */
export interface WriteOptions {
  resourceVersion?: string;
  uid?: string;
  dryRun?: boolean;
}

/** The path of one object (and optional subresource). */
export function objectPath(ref: ResourceRef, subresource?: string): string {
  return `${collectionPath(ref.group, ref.version, ref.plural, ref.namespace)}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ''}`;
}

/** The ref of a watched kind's object, at the version discovery chose; throws when the kind is not installed. */
export function resourceRef(kind: KindId, discovery: Discovery, namespace: string | undefined, name: string): ResourceRef {
  const resolved = resolveKind(kinds[kind] as KindSpec, discovery);
  if (!resolved.installed) throw new KubeError('not-found', resolved.reason);
  return { group: resolved.group, version: resolved.version, plural: resolved.spec.plural, ...(namespace ? { namespace } : {}), name };
}

const label = (ref: ResourceRef) => `${ref.plural}${ref.group ? `.${ref.group}` : ''} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

function writeQuery(dryRun: boolean | undefined): KubeRequest['query'] {
  return { fieldValidation: 'Strict', ...(dryRun ? { dryRun: 'All' } : {}) };
}

/** Adds the resourceVersion precondition to a merge patch (the API server answers 409 when it moved on). */
function withResourceVersion(patch: Json, resourceVersion: string | undefined): Json {
  if (!resourceVersion) return patch;
  const metadata = isJson(patch.metadata) ? patch.metadata : {};
  return { ...patch, metadata: { ...metadata, resourceVersion } };
}

/** Plans a merge or JSON patch with a resourceVersion precondition (required: a patch must not be blind). */
export function planPatch(ref: ResourceRef, body: PatchBody, options: WriteOptions & { resourceVersion: string }, action: ActionPlan['action'] = 'patch'): ActionPlan {
  const request: KubeRequest =
    body.type === 'merge'
      ? { method: 'PATCH', path: objectPath(ref), query: writeQuery(options.dryRun), contentType: 'application/merge-patch+json', body: withResourceVersion(body.patch, options.resourceVersion) }
      : {
          method: 'PATCH',
          path: objectPath(ref),
          query: writeQuery(options.dryRun),
          contentType: 'application/json-patch+json',
          // Setting metadata.resourceVersion makes the update conditional, exactly as in a merge patch.
          body: [{ op: 'replace', path: '/metadata/resourceVersion', value: options.resourceVersion }, ...body.ops],
        };
  return { action, summary: `${action} ${label(ref)}${options.dryRun ? ' (dry run)' : ''}`, target: ref, request, dryRun: options.dryRun ?? false };
}

/** Plans setting (string) or removing (null) annotations, conditional on the resourceVersion. */
export function planAnnotate(ref: ResourceRef, annotations: Record<string, string | null>, options: WriteOptions & { resourceVersion: string }): ActionPlan {
  return planPatch(ref, { type: 'merge', patch: { metadata: { annotations } } }, options, 'annotate');
}

/**
 * Plans `kubectl scale`: a merge patch on the /scale subresource; with a resourceVersion it is conditional.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/scale/scale.go (ScaleSimple)
 */
export function planScale(ref: ResourceRef, replicas: number, options: WriteOptions = {}): ActionPlan {
  if (!Number.isInteger(replicas) || replicas < 0) throw new KubeError('invalid', `replicas must be a whole number ≥ 0, got ${replicas}`);
  return {
    action: 'scale',
    summary: `scale ${label(ref)} to ${replicas}${options.dryRun ? ' (dry run)' : ''}`,
    target: ref,
    request: {
      method: 'PATCH',
      path: objectPath(ref, 'scale'),
      query: writeQuery(options.dryRun),
      contentType: 'application/merge-patch+json',
      body: withResourceVersion({ spec: { replicas } }, options.resourceVersion),
    },
    dryRun: options.dryRun ?? false,
  };
}

/** Plans a delete with uid/resourceVersion preconditions (background propagation, as kubectl does). */
export function planDelete(ref: ResourceRef, options: WriteOptions = {}): ActionPlan {
  const preconditions = { ...(options.uid ? { uid: options.uid } : {}), ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}) };
  return {
    action: 'delete',
    summary: `delete ${label(ref)}${options.dryRun ? ' (dry run)' : ''}`,
    target: ref,
    request: {
      method: 'DELETE',
      path: objectPath(ref),
      query: options.dryRun ? { dryRun: 'All' } : {},
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', ...(Object.keys(preconditions).length ? { preconditions } : {}) },
    },
    dryRun: options.dryRun ?? false,
  };
}

/** Sends exactly the planned request. */
export async function applyPlan(client: KubeClient, plan: ActionPlan): Promise<ActionResult> {
  const { body, warnings } = await client.request(plan.request);
  const resourceVersion = text(body, 'metadata.resourceVersion');
  return { object: body, warnings, dryRun: plan.dryRun, ...(resourceVersion ? { resourceVersion } : {}) };
}

/** Reads one object as the server has it now; undefined when it does not exist (verification steps). */
export async function getObject(client: KubeClient, ref: ResourceRef): Promise<unknown> {
  try {
    return (await client.request({ method: 'GET', path: objectPath(ref) })).body;
  } catch (err) {
    if (err instanceof KubeError && err.kind === 'not-found') return undefined;
    throw err;
  }
}

/** Reads one object of a watched kind and projects it to its view (version-neutral); undefined when absent. */
export async function getView<K extends KindId>(client: KubeClient, discovery: Discovery, kind: K, namespace: string | undefined, name: string): Promise<ViewsByKind[K] | undefined> {
  const resolved = resolveKind(kinds[kind] as KindSpec<K>, discovery);
  if (!resolved.installed) throw new KubeError('not-found', resolved.reason);
  const raw = await getObject(client, resourceRef(kind, discovery, namespace, name));
  return raw === undefined ? undefined : resolved.project(raw);
}

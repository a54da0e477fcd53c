// The three patch types of the Kubernetes API.
// @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
// @see k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyPatch, interpretPatchError)
import fastJsonPatch from 'fast-json-patch';
import { ApiError, badRequest } from './errors.js';
import { clone, isObject } from './objects.js';

/** The media types of PATCH requests. */
export const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** JSON merge patch (RFC 7386): objects merge, null deletes, everything else (lists too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/**
 * JSON patch (RFC 6902). A failed operation, including a failed `test`, is 422 as kube-apiserver answers
 * (NewGenericServerResponse(422) in applyPatch).
 */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const ops = patch as fastJsonPatch.Operation[];
  const invalidOp = fastJsonPatch.validate(ops, undefined);
  if (invalidOp) {
    throw badRequest(`unexpected kind of operation or malformed path: ${invalidOp.message.split('\n')[0]}`);
  }
  try {
    return fastJsonPatch.applyPatch(clone(target), ops, false, true).newDocument;
  } catch {
    // kube-apiserver answers a failed `test` op or a missing path with a bare 422 and no detail at all.
    throw new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  }
}

/** patchMergeKey of the built-in lists the simulator's kinds have (k8s.io/api core/v1 types' struct tags). */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  ownerReferences: 'uid',
  addresses: 'type',
  containerStatuses: 'name',
  imagePullSecrets: 'name',
};
/** Lists of primitives with patchStrategy=merge (union of elements). */
const setLists = new Set(['finalizers']);

/**
 * Strategic merge patch for built-in kinds: like a merge patch, but lists with a patchMergeKey merge element by
 * element and `$patch: delete` removes one. Only the directives kubectl sends for these kinds are supported.
 * @see k8s.io/apimachinery/pkg/util/strategicpatch/patch.go
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const mergeKey = mergeKeys[key];
    if (Array.isArray(value) && mergeKey && Array.isArray(out[key])) {
      out[key] = mergeList(out[key] as unknown[], value, mergeKey);
    } else if (Array.isArray(value) && setLists.has(key) && Array.isArray(out[key])) {
      const union = [...(out[key] as unknown[])];
      for (const v of value) if (!union.includes(v)) union.push(v);
      out[key] = union;
    } else {
      out[key] = strategicMergePatch(out[key], value);
    }
  }
  return out;
}

function mergeList(current: unknown[], patch: unknown[], key: string): unknown[] {
  const out = current.map((x) => x);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((x) => isObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = strategicMergePatch(out[index], item);
    } else {
      out.push(clone(item));
    }
  }
  return out;
}

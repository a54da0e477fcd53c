// Errors as the API server returns them: a metav1.Status body with code, reason and details.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#status-objects
// Message shapes mirror k8s.io/apimachinery/pkg/api/errors/errors.go (NewNotFound, NewConflict, NewInvalid, ...).

/** The wire shape of metav1.Status. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** One cause of an Invalid or BadRequest error. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** An error that the API answers with a Status body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusBody['details'],
  ) {
    super(message);
  }

  /** The Status body for this error. */
  body(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      // An internal error has no reason (metav1.StatusReasonUnknown is "", omitempty).
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** Identifies a resource in error messages: "machines.cluster.x-k8s.io" or "pods". */
export interface ResourceName {
  group: string;
  resource: string;
  kind: string;
}

const qualified = (r: ResourceName) => (r.group ? `${r.resource}.${r.group}` : r.resource);

/** StatusDetails: `group` is omitempty, so the core group has none (k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
export function detailsOf(name: string | undefined, group: string, kind: string): { name?: string; group?: string; kind: string } {
  return { ...(name !== undefined ? { name } : {}), ...(group ? { group } : {}), kind };
}

/** 404 NotFound: `machines.cluster.x-k8s.io "m1" not found`. */
export function notFound(r: ResourceName, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, detailsOf(name, r.group, r.resource));
}

/** 409 AlreadyExists. */
export function alreadyExists(r: ResourceName, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, detailsOf(name, r.group, r.resource));
}

/** 409 Conflict on a stale resourceVersion, worded as the registry's optimistic-concurrency error. */
export function conflict(r: ResourceName, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(name, r.group, r.resource),
  );
}

/**
 * 409 Conflict for a delete whose uid or resourceVersion precondition does not hold. rest.BeforeDelete names the
 * Kind (with its group), not the resource: `Operation cannot be fulfilled on Machine.cluster.x-k8s.io "m1": …`.
 * @see k8s.io/apiserver pkg/registry/rest/delete.go (BeforeDelete); test/k8s/OBSERVED.md
 */
export function preconditionFailed(r: ResourceName, name: string, field: 'UID' | 'ResourceVersion', wanted: string, actual: string): ApiError {
  const kindGroup = r.group ? `${r.kind}.${r.group}` : r.kind;
  const why = field === 'UID' ? 'The object might have been deleted and then recreated' : 'The object might have been modified';
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${kindGroup} "${name}": the ${field} in the precondition (${wanted}) does not match the ${field} in record (${actual}). ${why}`,
    detailsOf(name, r.group, r.kind),
  );
}

/** 422 Invalid with field causes: `Machine.cluster.x-k8s.io "m1" is invalid: spec.x: Invalid value: ...`. */
export function invalid(r: ResourceName, name: string, causes: StatusCause[]): ApiError {
  const kindGroup = r.group ? `${r.kind}.${r.group}` : r.kind;
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kindGroup} "${name}" is invalid: ${joined}`, { ...detailsOf(name, r.group, r.kind), causes });
}

/** 400 BadRequest. */
export function badRequest(message: string, causes?: StatusCause[]): ApiError {
  return new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined);
}

/** 410 Gone for an expired resourceVersion, as the watch cache answers. */
export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

/** 403 Forbidden, worded as the RBAC authorizer does (with the object's name when the request names one). */
export function forbidden(user: string, verb: string, r: ResourceName, namespace?: string, name?: string): ApiError {
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const what = `${qualified(r)}${name ? ` "${name}"` : ''}`;
  return new ApiError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${user}" cannot ${verb} resource "${r.resource}" in API group "${r.group}" ${scope}`,
    { ...(name ? { name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.resource },
  );
}

/** 405 MethodNotAllowed, with empty details as the API server's handler writes it. */
export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** 404 for a resource or subresource a served group/version does not have (a Status, unlike an unknown group). */
export function noSuchResource(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 422 for request options (ListOptions, CreateOptions…) that do not validate. */
export function invalidOptions(kind: string, field: string, reason: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io', kind, causes: [{ reason, message, field }],
  });
}

/** 415 UnsupportedMediaType for a patch type the resource does not accept: no details (test/k8s/OBSERVED.md). */
export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** 500 InternalError. */
export function internal(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
}

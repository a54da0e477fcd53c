// Errors as values at the edge: every failure of the kube layer becomes a KubeError whose message says what
// was tried, against what, and why it failed, in one line an on-call person can act on.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris (the paths parsed here)

/** What went wrong, coarsely; screens colour by it and retries depend on it. */
export type KubeErrorKind =
  | 'kubeconfig'
  | 'context'
  | 'unreachable'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'gone'
  | 'timeout'
  | 'server';

/** A failure of the kube layer with a specific, one-line message. */
export class KubeError extends Error {
  override name = 'KubeError';

  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status?: number,
    /** The Status reason from the server (Forbidden, Conflict, Expired, …). */
    readonly reason?: string,
  ) {
    super(message);
  }

  /** Whether trying again later can help (network, server errors), as opposed to a refusal or a bad request. */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout' || this.kind === 'server' || this.kind === 'gone';
  }
}

/** The request a failure belongs to, in Kubernetes terms. */
export interface RequestDescription {
  verb: string;
  /** "nodes", "machines.cluster.x-k8s.io", "machinedeployments.cluster.x-k8s.io/scale". */
  resource: string;
  namespace?: string;
  name?: string;
}

/** Maps an HTTP method and API path to a verb and resource, as the API server's RequestInfo resolver does. */
export function describeRequest(method: string, path: string, watching = false): RequestDescription {
  const segments = path.split('?')[0]!.split('/').filter(Boolean);
  let group = '';
  let rest: string[];
  if (segments[0] === 'api') rest = segments.slice(2);
  else {
    group = segments[1] ?? '';
    rest = segments.slice(3);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural = path, name, sub] = rest;
  const resource = `${plural}${group ? `.${group}` : ''}${sub ? `/${sub}` : ''}`;
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const verb = method === 'GET' ? (watching ? 'watch' : name ? 'get' : 'list') : (verbs[method] ?? method.toLowerCase());
  return { verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}

/** "list machines.cluster.x-k8s.io in namespace default" / "get nodes prow-md-0-abc". */
export function formatRequest(r: RequestDescription): string {
  const where = r.namespace ? ` in namespace ${r.namespace}` : r.name ? '' : ' (all namespaces)';
  return `${r.verb} ${r.resource}${r.name ? ` ${r.name}` : ''}${where}`;
}

const kindByStatus: Record<number, KubeErrorKind> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  400: 'invalid',
  415: 'invalid',
  422: 'invalid',
  429: 'server',
  504: 'timeout',
};

/** A non-2xx answer: the server's Status message, prefixed with what was refused. */
export function statusError(code: number, body: unknown, request: RequestDescription, server: string): KubeError {
  const status = typeof body === 'object' && body !== null ? (body as { message?: unknown; reason?: unknown }) : {};
  const serverMessage = typeof status.message === 'string' && status.message ? status.message : undefined;
  const reason = typeof status.reason === 'string' ? status.reason : undefined;
  const kind = kindByStatus[code] ?? (code >= 500 ? 'server' : 'invalid');
  const what = formatRequest(request);
  const text: Partial<Record<KubeErrorKind, string>> = {
    unauthorized: `401 Unauthorized from ${server}: the credentials in the kubeconfig were rejected (expired token or certificate?)`,
    forbidden: `403 Forbidden: not allowed to ${what}${serverMessage ? ` — ${serverMessage}` : ''}`,
    'not-found': `404 Not Found: ${what}${serverMessage ? ` — ${serverMessage}` : ''}`,
    conflict: `409 Conflict: ${what} — ${serverMessage ?? 'the object changed since it was read; read it again'}`,
    gone: `410 Gone: ${what} — ${serverMessage ?? 'resourceVersion too old'}`,
  };
  const message = text[kind] ?? `${code}${reason ? ` ${reason}` : ''}: ${what}${serverMessage ? ` — ${serverMessage}` : ''}`;
  return new KubeError(kind, message, code, reason);
}

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

/** Where requests go: the API server and, when tunnelled, the SOCKS proxy in front of it. */
export interface Target {
  server: string;
  proxyUrl?: string;
}

/** A failure before any HTTP answer: refused, reset, DNS, SOCKS, TLS or a timeout. */
export function networkError(err: unknown, request: RequestDescription, target: Target): KubeError {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  const detail = (e.message ?? String(err)).replace(/^request to \S+ failed, reason: /, '');
  const via = target.proxyUrl ? ` through the tunnel ${target.proxyUrl}` : ' directly (no tunnel)';
  if (e.name === 'AbortError' || code === 'ETIMEDOUT' || e.name === 'TimeoutError') {
    return new KubeError('timeout', `timed out: ${formatRequest(request)} at ${target.server}${via}`);
  }
  if (tlsCodes.has(code) || /certificate|SSL|TLS/i.test(detail)) {
    return new KubeError('tls', `TLS error talking to ${target.server}${via}: ${code ? `${code}: ` : ''}${detail} (check certificate-authority-data and the server name)`);
  }
  return new KubeError('unreachable', `API server ${target.server} unreachable${via}: ${detail}`);
}

// The HTTPS front of the simulated API server: routing of /api and /apis paths, authentication with a bearer
// token, per-scenario authorization denials, content negotiation (JSON, YAML bodies, Table responses) and
// chunked watch streams with bookmarks.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { Api, type WriteOptions } from './api.js';
import { ApiError, badRequest, forbidden, invalid, invalidOptions, methodNotAllowed, noSuchResource, notFound } from './errors.js';
import { coreVersions, group, groupList, resourceList, versionInfo } from './discovery.js';
import type { KubeObject } from './objects.js';
import type { Registry, Resolved } from './registry.js';
import type { ObjectStore } from './store.js';
import { toTable, type IncludeObject } from './table.js';
import { watch } from './watch.js';

/** A kind the scenario refuses, e.g. `{ resource: 'openstackclusters', verbs: ['list', 'watch'] }`. */
export interface Denial {
  resource: string;
  group?: string;
  verbs?: string[];
}

/** Options of the API server. */
export interface ApiServerOptions {
  host: string;
  port: number;
  cert: string;
  key: string;
  /** Bearer token that authenticates as `user`; a request without a token is anonymous (401 unless allowed). */
  token: string;
  user?: string;
  deny?: Denial[];
  /** Interval between BOOKMARK events of watches that asked for them. */
  bookmarkIntervalMs?: number;
  now?: () => number;
}

/** A running API server. */
export interface ApiServer {
  url: string;
  host: string;
  port: number;
  api: Api;
  server: Server;
  /** Drops every open connection (watches included), like an API server restart or a network cut. */
  dropConnections(): void;
  close(): Promise<void>;
}

interface Route {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

/** Parses /api/v1/... and /apis/{g}/{v}/... resource paths. */
function parseResourcePath(segments: string[], registry: Registry): Route | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    version = segments[1]!;
    rest = segments.slice(2);
  } else {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  }
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = registry.resolve(group, version, rest[2]!);
    if (inner && inner.def.namespaced) {
      return { kind: 'resource', group, version, namespace: rest[1], plural: rest[2]!, name: rest[3], subresource: rest[4] };
    }
  }
  return { kind: 'resource', group, version, plural: rest[0]!, name: rest[1], subresource: rest[2] };
}

async function readBody(req: IncomingMessage, limit = 32 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string, patch: boolean, kind: string): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    if (contentType.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (err) {
    const detail = goJsonError((err as Error).message.split('\n')[0] ?? '', text);
    // The create/update decoder names the kind it wanted and quotes the body (k8s.io/apiserver handlers).
    throw badRequest(patch ? `error decoding patch: ${detail}` : `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${detail} (${text})`);
  }
}

/** A JSON.parse error in the words of Go's encoding/json, which is what kube-apiserver's messages quote. */
function goJsonError(message: string, text: string): string {
  if (/end of JSON input|Unterminated/i.test(message)) return 'unexpected end of JSON input';
  const at = /position (\d+)/.exec(message);
  const ch = at ? text[Number(at[1])] : undefined;
  if (ch !== undefined && /property name/i.test(message)) return `invalid character '${ch}' looking for beginning of object key string`;
  return ch !== undefined ? `invalid character '${ch}' looking for beginning of value` : message;
}

/**
 * Query parameters kube-apiserver refuses before doing anything: a limit that is no integer, resourceVersionMatch
 * without a resourceVersion, a watch resourceVersion that is no number (a storage error: 500 without reason) and
 * dryRun values other than All.
 */
function checkQuery(query: URLSearchParams, method: string, watching: boolean): void {
  const limit = query.get('limit');
  if (limit !== null && !/^-?\d+$/.test(limit)) throw badRequest(`strconv.ParseInt: parsing "${limit}": invalid syntax`);
  if (method === 'GET' && query.get('resourceVersionMatch') && !query.get('resourceVersion')) {
    throw invalidOptions('ListOptions', 'resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  const rv = query.get('resourceVersion');
  if (watching && rv && !/^\d+$/.test(rv)) {
    throw new ApiError(500, '', `resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
  }
  const dryRun = query.getAll('dryRun');
  if (method !== 'GET' && dryRun.some((d) => d !== 'All')) {
    const kind = method === 'POST' ? 'CreateOptions' : method === 'PUT' ? 'UpdateOptions' : method === 'PATCH' ? 'PatchOptions' : 'DeleteOptions';
    throw invalidOptions(kind, 'dryRun', 'FieldValueNotSupported', `Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"`);
  }
}

function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

const verbOf = (method: string, route: Route, watching: boolean): string => {
  if (method === 'GET') return watching ? 'watch' : route.name ? 'get' : 'list';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return route.name ? 'delete' : 'deletecollection';
  return method.toLowerCase();
};

/** Starts the simulated API server. */
export async function startApiServer(registry: Registry, store: ObjectStore, options: ApiServerOptions): Promise<ApiServer> {
  const now = options.now ?? Date.now;
  const api = new Api(registry, store, now);
  const user = options.user ?? 'kubernetes-admin';
  const sockets = new Set<Duplex>();
  let url = '';

  const send = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
    res.end(text);
  };
  const fail = (res: ServerResponse, err: unknown) => {
    if (err instanceof PageNotFound) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('404 page not found\n');
      return;
    }
    const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
    if (!(err instanceof ApiError)) console.error('sim: internal error', err);
    if (!res.headersSent) send(res, apiErr.code, apiErr.body());
    else res.destroy();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', 'https://sim');
    const path = parsed.pathname.replace(/\/+$/, '') || '/';
    const query = parsed.searchParams;
    const method = req.method ?? 'GET';
    const accept = String(req.headers.accept ?? 'application/json');

    const auth = req.headers.authorization;
    if (auth !== `Bearer ${options.token}`) {
      send(res, 401, new ApiError(401, 'Unauthorized', 'Unauthorized').body());
      return;
    }
    if (path === '/version') return send(res, 200, versionInfo());
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (path === '/api') return send(res, 200, coreVersions(new URL(url).host));
    if (path === '/apis') return send(res, 200, groupList(registry));
    const segments = path.split('/').filter(Boolean);
    if (segments[0] === 'api' && segments.length === 2) {
      if (segments[1] !== 'v1') throw notFoundPage();
      return send(res, 200, resourceList(registry, '', 'v1'));
    }
    if (segments[0] === 'apis' && segments.length === 2) {
      const doc = group(registry, segments[1]!);
      if (!doc) throw notFoundPage();
      return send(res, 200, doc);
    }
    if (segments[0] === 'apis' && segments.length === 3) {
      if (!registry.servesGroupVersion(segments[1]!, segments[2]!)) throw notFoundPage();
      return send(res, 200, resourceList(registry, segments[1]!, segments[2]!));
    }
    if (segments[0] !== 'api' && segments[0] !== 'apis') throw notFoundPage();
    const route = parseResourcePath(segments, registry);
    if (!route) throw notFoundPage();
    const resolved = registry.resolve(route.group, route.version, route.plural);
    // A group/version that is served answers for its unknown resources with a Status; an unknown one with the
    // mux's plain-text page (test/k8s/OBSERVED.md).
    if (!resolved) throw route.group === '' ? (route.version === 'v1' ? noSuchResource() : notFoundPage()) : registry.servesGroupVersion(route.group, route.version) ? noSuchResource() : notFoundPage();
    const watching = query.get('watch') === 'true' || query.get('watch') === '1';
    const verb = verbOf(method, route, watching);
    const denied = (options.deny ?? []).find(
      (d) => d.resource === route.plural && (d.group === undefined || d.group === route.group) && (!d.verbs || d.verbs.includes(verb)),
    );
    if (denied) throw forbidden(user, verb, { group: route.group, resource: route.plural, kind: resolved.def.kind }, route.namespace, route.name);
    await serveResource(req, res, resolved, route, query, method, accept, watching);
  };

  const serveResource = async (
    req: IncomingMessage, res: ServerResponse, r: Resolved, route: Route, query: URLSearchParams, method: string, accept: string, watching: boolean,
  ) => {
    const ns = r.def.namespaced ? route.namespace : undefined;
    checkQuery(query, method, watching);
    const writeOptions: WriteOptions = {
      dryRun: query.getAll('dryRun').includes('All'),
      fieldValidation: (query.get('fieldValidation') as WriteOptions['fieldValidation']) ?? 'Warn',
    };
    if (writeOptions.fieldValidation && !['Strict', 'Warn', 'Ignore'].includes(writeOptions.fieldValidation)) {
      const kind = method === 'PATCH' ? 'PatchOptions' : method === 'PUT' ? 'UpdateOptions' : 'CreateOptions';
      throw invalid({ group: 'meta.k8s.io', resource: kind, kind }, '', [{
        reason: 'FieldValueNotSupported', field: 'fieldValidation',
        message: `Unsupported value: "${writeOptions.fieldValidation}": supported values: "", "Ignore", "Strict", "Warn"`,
      }]);
    }
    const include = (query.get('includeObject') as IncludeObject | null) ?? 'Metadata';
    const contentType = String(req.headers['content-type'] ?? 'application/json');
    const sub = route.subresource;
    const warningHeaders = (warnings: string[]): Record<string, string[]> =>
      warnings.length ? { Warning: warnings.map((w) => `299 - "${w.replace(/"/g, '\\"')}"`) } : {};
    const isVirtual = registry.virtual(r.key) !== undefined;
    if (isVirtual && method !== 'GET') throw methodNotAllowed();

    if (method === 'GET') {
      if (route.name) {
        if (sub === 'scale' && r.def.scale) return send(res, 200, api.getScale(r, ns, route.name));
        if (sub && (sub !== 'status' || !r.def.status)) throw unknownSubresource(r, route.name);
        const obj = api.get(r, ns, route.name);
        if (wantsTable(accept)) return send(res, 200, toTable(r.version, [obj], now(), include, { resourceVersion: obj.metadata.resourceVersion }));
        return send(res, 200, obj);
      }
      if (watching) {
        if (isVirtual) throw methodNotAllowed();
        return watch(req, res, { api, r, ns, query, table: wantsTable(accept), include, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000, now });
      }
      const page = api.list(r, ns, query);
      const listMeta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
      if (page.continue) listMeta.continue = page.continue;
      if (page.remainingItemCount !== undefined) listMeta.remainingItemCount = page.remainingItemCount;
      if (wantsTable(accept)) return send(res, 200, toTable(r.version, page.items, now(), include, listMeta));
      return send(res, 200, listBody(r, page.items, listMeta, store));
    }
    const raw = await readBody(req);
    const body = parseBody(raw, contentType, method === 'PATCH', r.def.kind);
    if (method === 'POST') {
      if (route.name && sub === 'eviction' && r.def.eviction) return send(res, 201, api.evict(r, ns!, route.name, writeOptions));
      if (route.name && sub === 'binding' && r.def.eviction) return send(res, 201, api.bind(r, ns!, route.name, body, writeOptions));
      if (route.name) throw methodNotAllowed();
      const result = api.create(r, ns, body, writeOptions);
      return send(res, 201, result.object, warningHeaders(result.warnings));
    }
    if (!route.name) {
      if (method === 'DELETE') {
        const page = api.list(r, ns, query);
        for (const item of page.items) api.delete(r, ns ?? item.metadata.namespace, item.metadata.name!, body, query, writeOptions);
        return send(res, 200, listBody(r, page.items, { resourceVersion: String(store.currentRv) }, store));
      }
      throw methodNotAllowed();
    }
    if ((sub && sub !== 'status' && sub !== 'scale') || (sub === 'status' && !r.def.status) || (sub === 'scale' && !r.def.scale)) {
      throw unknownSubresource(r, route.name);
    }
    if (method === 'PUT') {
      if (sub === 'scale') return send(res, 200, api.writeScale(r, ns, route.name, undefined, body, writeOptions).object);
      const result = api.update(r, ns, route.name, body, sub, writeOptions);
      return send(res, 200, result.object, warningHeaders(result.warnings));
    }
    if (method === 'PATCH') {
      if (sub === 'scale') return send(res, 200, api.writeScale(r, ns, route.name, contentType, body, writeOptions).object);
      const result = api.patch(r, ns, route.name, contentType, body, sub, writeOptions);
      return send(res, 200, result.object, warningHeaders(result.warnings));
    }
    if (method === 'DELETE') {
      if (sub) throw methodNotAllowed();
      const result = api.delete(r, ns, route.name, body, new URLSearchParams(reqQuery(req)), writeOptions);
      return send(res, 200, result.object);
    }
    throw methodNotAllowed();
  };

  const server = createServer({ cert: options.cert, key: options.key }, (req, res) => {
    handle(req, res).catch((err) => fail(res, err));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.keepAliveTimeout = 90_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `https://${address.address}:${address.port}`;
  return {
    url,
    host: address.address,
    port: address.port,
    api,
    server,
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function reqQuery(req: IncomingMessage): string {
  const i = (req.url ?? '').indexOf('?');
  return i >= 0 ? (req.url ?? '').slice(i + 1) : '';
}

/**
 * A subresource a resource does not have: the custom resource handler answers as if the object were missing
 * (`machines.cluster.x-k8s.io "m1" not found`), the built-in mux with a bare 404 Status (test/k8s/OBSERVED.md).
 */
function unknownSubresource(r: Resolved, name: string): ApiError {
  return r.def.builtin ? noSuchResource() : notFound({ group: r.def.group, resource: r.def.plural, kind: r.def.kind }, name);
}

/** A path that names no served group, version or resource: the mux answers in plain text, not with a Status. */
class PageNotFound extends Error {}

function notFoundPage(): Error {
  return new PageNotFound('404 page not found');
}

/**
 * A List body; items of the storage version are spliced in from the store's cached JSON. A built-in kind's list is
 * typed (PodList…), whose items are encoded without apiVersion and kind; a custom resource's list is unstructured:
 * its items keep them and its metadata always has `continue`, empty on the last page (test/k8s/OBSERVED.md).
 */
function listBody(r: Resolved, items: KubeObject[], metadata: Record<string, unknown>, store: ObjectStore): string {
  const apiVersion = r.def.group ? `${r.def.group}/${r.version.name}` : r.version.name;
  const meta = r.def.builtin ? metadata : { continue: '', ...metadata };
  const head = `{"kind":"${r.def.kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
  const parts = items.map((item) => {
    if (r.def.builtin) return store.serializedUntyped(item);
    return r.version.storage || r.def.versions.length === 1 ? store.serialized(item) : JSON.stringify(item);
  });
  return `${head}${parts.join(',')}]}`;
}

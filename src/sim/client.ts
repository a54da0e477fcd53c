// A small Kubernetes REST client for the simulator's controllers, over node:https with a keep-alive agent that trusts
// the cluster CA and sends a bearer token. The controllers use nothing else to reach the API, so they can drive a
// real kube-apiserver the same way. Informers (list, then watch with bookmarks, resume, relist on 410) mirror
// client-go's reflector: k8s.io/client-go/tools/cache/reflector.go (ListAndWatch, watchHandler).
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from './objects.js';

/** Which resource a call addresses: group ('' for core), version, plural, and whether it is namespaced. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** Connection settings. */
export interface ClientOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  token: string;
  userAgent?: string;
  /** Sent on every write (tests use Strict so a field the CRD schema lacks fails loudly instead of being pruned). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  requestTimeoutMs?: number;
}

/** A Status answer from the server, as a typed error. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';

  constructor(
    /** HTTP status (404, 409, 410, 422, 429, …). */
    readonly code: number,
    /** Status.reason: NotFound, Conflict, AlreadyExists, Expired, Invalid, TooManyRequests, … */
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

/** Whether an error is a Status with this HTTP code. */
export function isStatus(err: unknown, code: number): err is KubeApiError {
  return err instanceof KubeApiError && err.code === code;
}

/** 404. */
export const isNotFound = (err: unknown): err is KubeApiError => isStatus(err, 404);
/** 409 Conflict (stale resourceVersion or failed precondition), not AlreadyExists. */
export const isConflict = (err: unknown): err is KubeApiError => isStatus(err, 409) && err.reason === 'Conflict';
/** 409 AlreadyExists. */
export const isAlreadyExists = (err: unknown): err is KubeApiError => isStatus(err, 409) && err.reason === 'AlreadyExists';

/** Patch flavours and their content types. */
export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** Options of a list call. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; every page is fetched (default 500, as client-go's pager). */
  limit?: number;
}

/** Options of writes. */
export interface WriteOptions {
  namespace?: string;
  subresource?: 'status' | 'scale';
  dryRun?: boolean;
}

/** Options of a delete. */
export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

/** One event of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/** Why a watch ended: the server closed it (resume), the version expired (relist), or the caller stopped it. */
export type WatchEnd = 'closed' | 'expired' | 'stopped';

/** An open watch. */
export interface WatchHandle {
  stop(): void;
  done: Promise<WatchEnd>;
}

/** Options of a watch. */
export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

interface Response {
  status: number;
  body: unknown;
  headers: IncomingMessage['headers'];
}

/** The REST client. */
export class SimClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(readonly options: ClientOptions) {
    this.base = new URL(options.server);
    this.agent = new Agent({ keepAlive: true, ca: options.caPem, maxFreeSockets: 16 });
  }

  /** The URL path of a resource, an object or a subresource. */
  path(type: ResourceType, namespace?: string, name?: string, subresource?: string): string {
    const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const tail = name ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
    return `${root}${ns}/${type.plural}${tail}`;
  }

  private requestOptions(method: string, path: string, query: URLSearchParams | undefined, headers: Record<string, string>): RequestOptions {
    const qs = query && [...query.keys()].length ? `?${query.toString()}` : '';
    return {
      method,
      host: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port || 443,
      path: `${path}${qs}`,
      agent: this.agent,
      headers: {
        Authorization: `Bearer ${this.options.token}`,
        Accept: 'application/json',
        'User-Agent': this.options.userAgent ?? 'deckhand-sim-controllers',
        ...headers,
      },
    };
  }

  /** One HTTP exchange; a Status error body becomes a KubeApiError. Retries once on a reset keep-alive socket. */
  async request(method: string, path: string, opts: { query?: URLSearchParams; body?: unknown; contentType?: string } = {}): Promise<Response> {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = payload ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': String(payload.length) } : {};
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.exchange(this.requestOptions(method, path, opts.query, headers), payload);
      } catch (err) {
        const retryable = (err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
        if (!retryable || attempt > 0) throw err;
      }
    }
  }

  private exchange(options: RequestOptions, payload: Buffer | undefined): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (e.g. a plain-text health answer): keep the text
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) reject(toApiError(status, body));
          else resolve({ status, body, headers: res.headers });
        });
      });
      req.setTimeout(this.options.requestTimeoutMs ?? 30_000, () => req.destroy(new Error(`request timed out: ${options.method} ${options.path}`)));
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  private writeQuery(opts: { dryRun?: boolean } = {}): URLSearchParams {
    const q = new URLSearchParams();
    if (this.options.fieldValidation) q.set('fieldValidation', this.options.fieldValidation);
    if (opts.dryRun) q.set('dryRun', 'All');
    return q;
  }

  /** GET one object. */
  async get<T extends KubeObject = KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T> {
    return (await this.request('GET', this.path(type, namespace, name))).body as T;
  }

  /** GET one object, or undefined on 404. */
  async find<T extends KubeObject = KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined> {
    try {
      return await this.get<T>(type, name, namespace);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** LIST every page (limit/continue); restarts from the first page if a continue token expires (410). */
  async list<T extends KubeObject = KubeObject>(type: ResourceType, opts: ListOptions = {}): Promise<{ items: T[]; resourceVersion: string }> {
    for (;;) {
      const items: T[] = [];
      let token: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const q = new URLSearchParams({ limit: String(opts.limit ?? 500) });
          if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
          if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
          if (token) q.set('continue', token);
          const body = (await this.request('GET', this.path(type, opts.namespace), { query: q })).body as { items?: T[]; metadata?: { continue?: string; resourceVersion?: string } };
          // A typed list (PodList…) carries no apiVersion/kind per item; set them from the list, as client-go's
          // UnstructuredList decoding does (k8s.io/apimachinery pkg/apis/meta/v1/unstructured), so an owner
          // reference built from a listed object is complete.
          for (const item of body.items ?? []) items.push(item.kind ? item : ({ ...item, apiVersion: apiVersionOf(type), kind: type.kind } as T));
          token = body.metadata?.continue || undefined;
          resourceVersion ||= body.metadata?.resourceVersion ?? '';
        } while (token);
        return { items, resourceVersion };
      } catch (err) {
        if (!(token && isStatus(err, 410))) throw err;
      }
    }
  }

  /** POST a new object. */
  async create<T extends KubeObject = KubeObject>(type: ResourceType, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const ns = opts.namespace ?? obj.metadata.namespace;
    return (await this.request('POST', this.path(type, ns), { query: this.writeQuery(opts), body: obj })).body as T;
  }

  /** PUT an object (its metadata.resourceVersion is the precondition), optionally to /status. */
  async update<T extends KubeObject = KubeObject>(type: ResourceType, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const ns = opts.namespace ?? obj.metadata.namespace;
    const path = this.path(type, ns, obj.metadata.name, opts.subresource);
    return (await this.request('PUT', path, { query: this.writeQuery(opts), body: obj })).body as T;
  }

  /** PATCH with a merge, JSON or strategic patch, on the object, /status or /scale. */
  async patch<T extends KubeObject = KubeObject>(type: ResourceType, name: string, patch: unknown, opts: WriteOptions & { type?: PatchType } = {}): Promise<T> {
    const path = this.path(type, opts.namespace, name, opts.subresource);
    const contentType = patchContentTypes[opts.type ?? 'merge'];
    return (await this.request('PATCH', path, { query: this.writeQuery(opts), body: patch, contentType })).body as T;
  }

  /** DELETE with optional preconditions and grace period; resolves with the server's answer (the object or a Status). */
  async delete(type: ResourceType, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    return (await this.request('DELETE', this.path(type, opts.namespace, name), { body })).body as KubeObject;
  }

  /**
   * POST a policy/v1 Eviction for a pod. A PodDisruptionBudget that allows no disruption answers 429.
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
   */
  async evict(namespace: string, name: string, opts: { gracePeriodSeconds?: number } = {}): Promise<void> {
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace },
      ...(opts.gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds: opts.gracePeriodSeconds } } : {}),
    };
    await this.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`, { body });
  }

  /**
   * POST a v1 Binding: assigns a pod to a node, as kube-scheduler does; a pod that has a node answers 409.
   * @see k8s.io/kubernetes pkg/registry/core/pod/storage/storage.go (BindingREST)
   */
  async bind(namespace: string, name: string, node: string): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    await this.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`, { body });
  }

  /**
   * Read-modify-write with retry on 409, like client-go's retry.RetryOnConflict: `mutate` gets a fresh copy and
   * returns the object to PUT, or undefined when nothing needs to change.
   */
  async modify<T extends KubeObject = KubeObject>(type: ResourceType, name: string, namespace: string | undefined, mutate: (obj: T) => T | undefined, opts: WriteOptions = {}, attempts = 5): Promise<T | undefined> {
    for (let i = 0; ; i++) {
      const current = await this.find<T>(type, name, namespace);
      if (!current) return undefined;
      const next = mutate(current);
      if (!next) return current;
      try {
        return await this.update<T>(type, next, { ...opts, namespace });
      } catch (err) {
        if (!isConflict(err) || i + 1 >= attempts) throw err;
      }
    }
  }

  /** Opens a watch; events go to `onEvent` until the stream ends. A 410 (as HTTP status or ERROR event) ends it with 'expired'. */
  watch(type: ResourceType, opts: WatchOptions, onEvent: (event: WatchEvent) => void): WatchHandle {
    const q = new URLSearchParams({ watch: '1' });
    if (opts.resourceVersion) q.set('resourceVersion', opts.resourceVersion);
    if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
    if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
    if (opts.timeoutSeconds) q.set('timeoutSeconds', String(opts.timeoutSeconds));
    let stopped = false;
    let req: ReturnType<typeof request> | undefined;
    const done = new Promise<WatchEnd>((resolve, reject) => {
      req = request(this.requestOptions('GET', this.path(type, opts.namespace), q, {}), (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const err = toApiError(res.statusCode ?? 0, safeJson(Buffer.concat(chunks).toString('utf8')));
            if (err.code === 410) resolve('expired');
            else reject(err);
          });
          return;
        }
        let buffer = '';
        let expired = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line || stopped) continue;
            const event = safeJson(line) as WatchEvent | undefined;
            if (!event || typeof event !== 'object') continue;
            if (event.type === 'ERROR') {
              const status = event.object as unknown as { code?: number };
              if (status.code === 410) expired = true;
              else reject(toApiError(status.code ?? 500, status));
              req?.destroy();
              continue;
            }
            onEvent(event);
          }
        });
        res.on('end', () => resolve(stopped ? 'stopped' : expired ? 'expired' : 'closed'));
        res.on('error', (err) => (stopped ? resolve('stopped') : expired ? resolve('expired') : reject(err)));
        res.on('close', () => resolve(stopped ? 'stopped' : expired ? 'expired' : 'closed'));
      });
      req.on('error', (err) => (stopped ? resolve('stopped') : reject(err)));
      req.end();
    });
    return {
      stop: () => {
        stopped = true;
        req?.destroy();
      },
      done,
    };
  }

  /** A list-then-watch cache of one resource (see Informer). */
  informer<T extends KubeObject = KubeObject>(type: ResourceType, opts: InformerOptions = {}): Informer<T> {
    return new Informer<T>(this, type, opts);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

/** `group/version`, or `version` for the core group. */
function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A KubeApiError from a response status and body (a metav1.Status when the server sent one). */
function toApiError(status: number, body: unknown): KubeApiError {
  const s = (typeof body === 'object' && body !== null ? body : {}) as { kind?: string; reason?: string; message?: string; details?: KubeApiError['details'] };
  const message = s.message ?? (typeof body === 'string' && body ? body : `HTTP ${status}`);
  return new KubeApiError(status, s.reason ?? (status === 404 ? 'NotFound' : 'Unknown'), message, s.details);
}

/** Callbacks of an informer; they run synchronously, in event order. */
export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void;
  update?(obj: T, old: T): void;
  delete?(obj: T): void;
}

/** Options of an informer. */
export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  pageSize?: number;
  /** Backoff after a failed list or watch: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

const cacheKey = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata.name));

/**
 * A list-then-watch cache of one resource, as client-go's reflector + store: list (paged), watch from the list's
 * resourceVersion with bookmarks, resume from the last seen version when the stream closes, relist on 410 Gone, and
 * restart with capped exponential backoff on any other error.
 * @see k8s.io/client-go/tools/cache/reflector.go
 */
export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  /** 5–10 minutes, spread per resource (deterministically: no Math.random in the simulator). */
  private readonly watchTimeout: number;
  private readonly handlers = new Set<InformerHandlers<T>>();
  private resourceVersion = '';
  private stopped = false;
  private current: WatchHandle | undefined;
  private loop: Promise<void> | undefined;
  private syncedOnce: Promise<void>;
  private markSynced!: () => void;
  private wake: (() => void) | undefined;
  /** True once the first list has been applied. */
  synced = false;
  /** Number of full lists done (1 after start; more after 410s). */
  lists = 0;

  constructor(
    private readonly client: SimClient,
    readonly type: ResourceType,
    private readonly options: InformerOptions = {},
  ) {
    this.syncedOnce = new Promise((resolve) => (this.markSynced = resolve));
    this.watchTimeout = 300 + ([...type.plural].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7) % 300);
  }

  /** Registers handlers; existing cache entries are replayed as adds. Returns the unregister function. */
  addHandler(h: InformerHandlers<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.cache.values()) h.add?.(obj);
    return () => this.handlers.delete(h);
  }

  /** Starts the list/watch loop; resolves once the first list is in the cache. */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.syncedOnce;
  }

  /** Stops watching; the cache stays readable. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.stop();
    this.wake?.();
    await this.loop;
  }

  /** An object from the cache. */
  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Objects from the cache, optionally of one namespace, optionally filtered. */
  list(namespace?: string, filter?: (obj: T) => boolean): T[] {
    const out: T[] = [];
    for (const obj of this.cache.values()) {
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      if (filter && !filter(obj)) continue;
      out.push(obj);
    }
    return out;
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(obj);
        else if (kind === 'update') h.update?.(obj, old!);
        else h.delete?.(obj);
      } catch (err) {
        this.options.log?.(`informer ${this.type.plural}: handler failed: ${(err as Error).message}`);
      }
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.client.list<T>(this.type, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      limit: this.options.pageSize ?? 500,
    });
    const seen = new Set<string>();
    for (const obj of items) {
      const key = cacheKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('add', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.emit('delete', old);
    }
    this.resourceVersion = resourceVersion;
    this.lists += 1;
    if (!this.synced) {
      this.synced = true;
      this.markSynced();
    }
  }

  private apply(event: WatchEvent): void {
    const obj = event.object as T;
    if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    const key = cacheKey(obj);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      this.cache.delete(key);
      this.emit('delete', old ?? obj);
      return;
    }
    this.cache.set(key, obj);
    if (old) this.emit('update', obj, old);
    else this.emit('add', obj);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 10_000;
    let backoff = min;
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        // Like the reflector, a random timeout spreads re-watches; the stream closing just resumes.
        this.current = this.client.watch(this.type, {
          namespace: this.options.namespace,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.watchTimeout,
        }, (e) => this.apply(e));
        const end = await this.current.done;
        this.current = undefined;
        if (end === 'expired') needList = true;
        backoff = min;
      } catch (err) {
        this.current = undefined;
        if (this.stopped) break;
        if (isStatus(err, 410)) {
          needList = true;
          continue;
        }
        // Any other answer from the server (an in-stream ERROR, a refused list) lists again after the backoff, as
        // the reflector does: resuming from the same resourceVersion can fail the same way forever (an etcd
        // "PrevKv=nil" 500 below a compaction; test/k8s/OBSERVED.md). A network error only resumes.
        if (err instanceof KubeApiError) needList = true;
        this.options.log?.(`informer ${this.type.plural}: ${(err as Error).message}; retrying in ${backoff}ms`);
        await this.pause(backoff);
        backoff = Math.min(max, backoff * 2);
      }
    }
  }
}

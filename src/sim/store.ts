// The simulated etcd: objects per resource in their storage version, one global resourceVersion counter, and a
// bounded event log per resource so watches can resume from a resourceVersion (older ones get 410 Gone, as the
// watch cache answers once its window has moved on).
import type { KubeObject } from './objects.js';

/** A change to a stored object. */
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One entry of the event log; `object` is in the storage version and never mutated afterwards. */
export interface StoredEvent {
  rv: number;
  type: EventType;
  object: KubeObject;
}

type Listener = (event: StoredEvent) => void;

/** Options of the store. */
export interface StoreOptions {
  /** Events kept per resource for watch resumption (the watch cache's window). */
  historyLimit?: number;
  /** First resourceVersion handed out. */
  startRv?: number;
}

const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

/** In-memory object storage with resourceVersions and watch fan-out. */
export class ObjectStore {
  private rv: number;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly logs = new Map<string, StoredEvent[]>();
  /** Per resource: the oldest resourceVersion a watch may still resume from. */
  private readonly horizon = new Map<string, number>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly json = new WeakMap<KubeObject, string>();
  private readonly untypedJson = new WeakMap<KubeObject, string>();
  readonly historyLimit: number;

  constructor(options: StoreOptions = {}) {
    this.rv = options.startRv ?? 1000;
    this.historyLimit = options.historyLimit ?? 20_000;
  }

  /** The newest resourceVersion handed out. */
  get currentRv(): number {
    return this.rv;
  }

  private table(resource: string): Map<string, KubeObject> {
    let t = this.tables.get(resource);
    if (!t) {
      t = new Map();
      this.tables.set(resource, t);
      this.horizon.set(resource, this.rv);
    }
    return t;
  }

  /** One object, or undefined. */
  get(resource: string, ns: string | undefined, name: string): KubeObject | undefined {
    return this.table(resource).get(keyOf(ns, name));
  }

  /** All objects of a resource (optionally of one namespace), in etcd key order (namespace, then name). */
  list(resource: string, ns?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.table(resource).values()) {
      if (ns === undefined || obj.metadata.namespace === ns) out.push(obj);
    }
    return out.sort((a, b) => compareKeys(a, b));
  }

  /** Number of objects of a resource. */
  count(resource: string): number {
    return this.table(resource).size;
  }

  /** Stores a new or changed object under a fresh resourceVersion and notifies watchers. */
  put(resource: string, obj: KubeObject): KubeObject {
    const table = this.table(resource);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const type: EventType = table.has(key) ? 'MODIFIED' : 'ADDED';
    this.rv += 1;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    table.set(key, stored);
    this.emit(resource, { rv: this.rv, type, object: stored });
    return stored;
  }

  /** Removes an object; the DELETED event carries it with the deletion's resourceVersion, as etcd's does. */
  remove(resource: string, obj: KubeObject): KubeObject | undefined {
    const table = this.table(resource);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const current = table.get(key);
    if (!current) return undefined;
    table.delete(key);
    this.rv += 1;
    const gone: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.rv) } };
    this.emit(resource, { rv: this.rv, type: 'DELETED', object: gone });
    return gone;
  }

  private emit(resource: string, event: StoredEvent): void {
    let log = this.logs.get(resource);
    if (!log) {
      log = [];
      this.logs.set(resource, log);
    }
    log.push(event);
    if (log.length > this.historyLimit * 1.25) {
      const dropped = log.splice(0, log.length - this.historyLimit);
      this.horizon.set(resource, dropped[dropped.length - 1]!.rv);
    }
    for (const listener of this.listeners.get(resource) ?? []) listener(event);
  }

  /**
   * Events after `rv` for a resource, or 'expired' when the window no longer reaches back that far.
   * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
   */
  eventsSince(resource: string, rv: number): StoredEvent[] | 'expired' {
    this.table(resource);
    if (rv < (this.horizon.get(resource) ?? 0)) return 'expired';
    const log = this.logs.get(resource) ?? [];
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return log.slice(lo);
  }

  /** Oldest resourceVersion a watch on this resource can resume from. */
  oldestRv(resource: string): number {
    this.table(resource);
    return this.horizon.get(resource) ?? 0;
  }

  /** Forgets every logged event, like an etcd compaction: watches from older versions then get 410. */
  compact(): void {
    for (const resource of this.tables.keys()) {
      this.logs.set(resource, []);
      this.horizon.set(resource, this.rv);
    }
  }

  /** Calls `listener` for every later event of a resource; returns the unsubscribe function. */
  subscribe(resource: string, listener: Listener): () => void {
    let set = this.listeners.get(resource);
    if (!set) {
      set = new Set();
      this.listeners.set(resource, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The JSON text of a stored object, cached: large lists are served by joining these. */
  serialized(obj: KubeObject): string {
    let text = this.json.get(obj);
    if (text === undefined) {
      text = JSON.stringify(obj);
      this.json.set(obj, text);
    }
    return text;
  }

  /** The JSON text without apiVersion and kind, cached: how a typed (built-in) list encodes its items. */
  serializedUntyped(obj: KubeObject): string {
    let text = this.untypedJson.get(obj);
    if (text === undefined) {
      text = JSON.stringify({ ...obj, apiVersion: undefined, kind: undefined });
      this.untypedJson.set(obj, text);
    }
    return text;
  }
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name ?? '';
  const mb = b.metadata.name ?? '';
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

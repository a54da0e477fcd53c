// The small controller runtime the simulated controllers share, shaped after controller-runtime / client-go:
// shared informers (one list+watch per resource), a work queue per controller that never runs one key twice at
// once, requeue-after in simulated seconds, and per-key exponential backoff on errors (409 Conflicts retried fast).
// @see k8s.io/client-go/util/workqueue (rate_limiting_queue.go), sigs.k8s.io/controller-runtime pkg/internal/controller
import { isConflict, isNotFound, type Informer, type ResourceType, type SimClient } from '../client.js';
import type { SimClock, Timer } from '../clock.js';
import type { KubeObject } from '../objects.js';

/** What a reconcile asks for next. */
export interface ReconcileResult {
  /** Run again after this many simulated seconds. */
  requeueAfter?: number;
}

/** A reconcile function for one key (`namespace/name` or `name`). */
export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

/** Where controllers log, and when they may start working. */
export interface RuntimeEnv {
  clock: SimClock;
  log(line: string): void;
  /**
   * Resolves once every informer has listed. Workers wait for it, as controller-runtime's do (WaitForCacheSync):
   * a reconcile on half-filled caches takes missing objects for absent ones (e.g. a MachineSet whose Machines are
   * not listed yet would create new ones). Without it, workers start at once.
   */
  cachesSynced?: Promise<void>;
}

/** `namespace/name` or `name`. */
export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata.name);
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** A work queue with workers running one reconcile function. */
export class Controller {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: Timer | NodeJS.Timeout }>();
  private running = 0;
  private stopped = false;
  private open: boolean;
  private idle: (() => void) | undefined;
  private markStopping!: () => void;
  /** Resolves when stop() is called, so a reconcile waiting on simulated time can give up early. */
  readonly stopping = new Promise<void>((resolve) => (this.markStopping = resolve));

  constructor(
    readonly name: string,
    private readonly reconcile: Reconcile,
    private readonly env: RuntimeEnv,
    private readonly workers = 1,
  ) {
    this.open = !env.cachesSynced;
    void env.cachesSynced?.then(() => {
      this.open = true;
      this.pump();
    });
  }

  /** Adds a key; a key being processed is run once more afterwards. */
  enqueue(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds a key after a number of simulated seconds (the earliest pending request wins). */
  enqueueAfter(key: string, simSeconds: number): void {
    this.schedule(key, this.env.clock.realMs(simSeconds), () => this.env.clock.after(simSeconds, () => this.fire(key)));
  }

  private enqueueAfterRealMs(key: string, ms: number): void {
    this.schedule(key, ms, () => setTimeout(() => this.fire(key), ms));
  }

  private schedule(key: string, ms: number, make: () => Timer | NodeJS.Timeout): void {
    if (this.stopped) return;
    const at = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) cancel(existing.timer);
    this.timers.set(key, { at, timer: make() });
  }

  private fire(key: string): void {
    this.timers.delete(key);
    this.enqueue(key);
  }

  private pump(): void {
    while (this.open && !this.stopped && this.running < this.workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.running += 1;
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result?.requeueAfter !== undefined) this.enqueueAfter(key, result.requeueAfter);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      if (isConflict(err) || isNotFound(err)) {
        // Stale cache or a concurrent writer: try again soon, as controller-runtime does after a conflict.
        this.enqueueAfterRealMs(key, Math.min(1000, 20 * n));
      } else if (!this.stopped) {
        const delay = Math.min(10_000, 50 * 2 ** Math.min(n, 10));
        this.env.log(`${this.name}: ${key}: ${(err as Error).message} (retry in ${delay}ms)`);
        this.enqueueAfterRealMs(key, delay);
      }
    } finally {
      this.processing.delete(key);
      this.running -= 1;
      if (this.dirty.delete(key)) this.enqueue(key);
      this.pump();
      if (this.running === 0) this.idle?.();
    }
  }

  /** Stops taking work and waits for running reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.markStopping();
    for (const { timer } of this.timers.values()) cancel(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }
}

function cancel(timer: Timer | NodeJS.Timeout): void {
  if (typeof (timer as Timer).cancel === 'function') (timer as Timer).cancel();
  else clearTimeout(timer as NodeJS.Timeout);
}

/** One informer per resource, shared by every controller (controller-runtime's cache). */
export class Informers {
  private readonly byType = new Map<string, Informer<KubeObject>>();

  constructor(
    private readonly client: SimClient,
    private readonly log: (line: string) => void,
  ) {}

  /** The informer of a resource (created on first use, started by startAll). */
  of<T extends KubeObject = KubeObject>(type: ResourceType): Informer<T> {
    const key = `${type.group}/${type.version}/${type.plural}`;
    let informer = this.byType.get(key);
    if (!informer) {
      informer = this.client.informer(type, { log: this.log });
      this.byType.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer and waits until all have listed. */
  async startAll(): Promise<void> {
    await Promise.all([...this.byType.values()].map((i) => i.start()));
  }

  /** Stops every informer. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.byType.values()].map((i) => i.stop()));
  }
}

/** Calls `enqueue` with the key of each object an informer reports, and of the old one on updates. */
export function watchKeys(informer: Informer<KubeObject>, map: (obj: KubeObject) => string | string[] | undefined, enqueue: (key: string) => void): void {
  const push = (obj: KubeObject) => {
    const keys = map(obj);
    if (keys === undefined) return;
    for (const k of Array.isArray(keys) ? keys : [keys]) enqueue(k);
  };
  informer.addHandler({ add: push, update: (obj, old) => { push(obj); push(old); }, delete: push });
}

/** Waits (real time) until a condition on the caches holds, like CAPI's waitForMachineCreation; false on timeout. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000, stepMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return condition();
}

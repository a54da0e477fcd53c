// Watch churn, driven straight into the simulated cluster's store (as etcd would see writes): a set of ProwJobs
// and pods of realistic size (copies of seeded ones, so each event carries a whole ProwJob with its pod_spec) is
// modified round-robin at a given rate, half ProwJob events, half pod events.
import type { Sim } from '../../src/sim/index.js';
import type { KubeObject } from '../../src/sim/objects.js';

const prowJobs = 'prowjobs.prow.k8s.io';
const pods = 'pods';

const text = (o: unknown, ...path: string[]): string => {
  let v: unknown = o;
  for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
  return typeof v === 'string' ? v : '';
};

/**
 * Copies of the newest finished objects (so no controller acts on them), under new names; where none has finished
 * yet (the demo removes finished pods quickly), of any, marked finished by `finish`.
 */
function copies(sim: Sim, resource: string, finished: (o: KubeObject) => boolean, newest: (o: KubeObject) => string, count: number, prefix: string, finish: (o: KubeObject) => KubeObject): KubeObject[] {
  const all = sim.store.list(resource);
  const done = all.filter(finished);
  const templates = (done.length ? done : all.map(finish)).sort((a, b) => newest(b).localeCompare(newest(a))).slice(0, 50);
  if (templates.length === 0) throw new Error(`no ${resource} to copy`);
  return Array.from({ length: count }, (_, i) => {
    const t = templates[i % templates.length]!;
    const metadata: Record<string, unknown> = { ...t.metadata, name: `${prefix}-${i}` };
    delete metadata.uid;
    delete metadata.resourceVersion;
    if (resource === pods) {
      // Plank names a job's pod after its ProwJob and labels it with that id, one pod per id: a copy keeping its
      // template's id would give that job two pods, which no cluster has (and the jobs table rebuilds for).
      const labels = { ...(metadata.labels as Record<string, string> | undefined) };
      if (labels['prow.k8s.io/id'] !== undefined) labels['prow.k8s.io/id'] = `${prefix}-${i}`;
      metadata.labels = labels;
    }
    return { ...t, metadata: { ...metadata, uid: `bench-${prefix}-${i}` } } as KubeObject;
  });
}

/** Adds `count` copies of finished ProwJobs and pods; returns them (not yet stored). */
export function finishedCopies(sim: Sim, kind: 'prowjobs' | 'pods', count: number, prefix: string): KubeObject[] {
  return kind === 'prowjobs'
    ? copies(sim, prowJobs, (o) => ['success', 'failure', 'aborted'].includes(text(o, 'status', 'state')), (o) => text(o, 'status', 'completionTime'), count, prefix,
      (o) => ({ ...o, status: { ...(o.status as object), state: 'success', completionTime: new Date().toISOString() } }) as KubeObject)
    : copies(sim, pods, (o) => ['Succeeded', 'Failed'].includes(text(o, 'status', 'phase')), (o) => text(o, 'metadata', 'creationTimestamp'), count, prefix,
      (o) => ({ ...o, status: { ...(o.status as object), phase: 'Succeeded' } }) as KubeObject);
}

/** Writes objects into the store in chunks, yielding between them so the API server keeps serving watches. */
export async function store(sim: Sim, kind: 'prowjobs' | 'pods', objects: KubeObject[]): Promise<void> {
  const resource = kind === 'prowjobs' ? prowJobs : pods;
  for (let i = 0; i < objects.length; i += 250) {
    for (const o of objects.slice(i, i + 250)) sim.store.put(resource, o);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A churn set: its objects and a rate-controlled writer. */
export class Churn {
  /** Events generated so far. */
  total = 0;
  private readonly jobs: KubeObject[];
  private readonly pods: KubeObject[];

  private constructor(private readonly sim: Sim, size: number) {
    this.jobs = finishedCopies(sim, 'prowjobs', size / 2, 'bench-churn-job');
    this.pods = finishedCopies(sim, 'pods', size / 2, 'bench-churn-pod');
  }

  /** Creates the set in the store. */
  static async create(sim: Sim, size: number): Promise<Churn> {
    const churn = new Churn(sim, size);
    await store(sim, 'prowjobs', churn.jobs);
    await store(sim, 'pods', churn.pods);
    return churn;
  }

  /** `namespace/name` of every object of the set (how the probe recognises their events). */
  names(): string[] {
    return [...this.jobs, ...this.pods].map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  }

  /**
   * One modification, as a controller's status update writes it: a new description or message, and a state that
   * flips between two finished ones (visible in the STATE column of the jobs screen; no controller acts on it).
   */
  private emit(): void {
    const n = this.total++;
    const list = n % 2 ? this.pods : this.jobs;
    const i = Math.floor(n / 2) % list.length;
    const o = list[i]!;
    const flip = Math.floor(n / 2 / list.length) % 2 === 0;
    const change = list === this.jobs
      ? { description: `bench update ${n}`, state: flip ? 'failure' : 'success' }
      : { message: `bench update ${n}`, phase: flip ? 'Failed' : 'Succeeded' };
    const status = { ...(o.status as Record<string, unknown> | undefined), ...change };
    list[i] = this.sim.store.put(list === this.jobs ? prowJobs : pods, { ...o, status } as KubeObject);
  }

  /** Writes at `rate` events per second for `ms`; returns how many were written and over how long. */
  async run(rate: number, ms: number): Promise<{ generated: number; elapsedMs: number }> {
    const start = performance.now();
    const first = this.total;
    let done = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= ms) break;
      // Catch up on what is due, but never more than 50 ms worth at once: a stalled loop must not turn into a burst.
      const due = Math.min(Math.floor((rate * elapsed) / 1000) - done, Math.ceil(rate / 20));
      for (let i = 0; i < due; i++) this.emit();
      done += Math.max(0, due);
      await new Promise((r) => setTimeout(r, 4));
    }
    return { generated: this.total - first, elapsedMs: performance.now() - start };
  }

  /** Removes the set from the store. */
  async remove(): Promise<void> {
    for (const o of this.jobs) this.sim.store.remove(prowJobs, o);
    for (const o of this.pods) this.sim.store.remove(pods, o);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Helpers for integration tests against the simulated cluster over HTTPS: a sim with its kubeconfig on disk, an
// independent view of the server's state (plain HTTPS, not the code under test), a model collector, and polling.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type KubeClient } from '../../src/kube/client.js';
import { kinds, resolveKind, collectionPath, viewKey, type KindSpec } from '../../src/kube/kinds.js';
import type { Discovery } from '../../src/kube/discovery.js';
import type { MetricsPoll } from '../../src/kube/metrics.js';
import { applyEvents, emptyModel, type SourceEvent } from '../../src/kube/model.js';
import type { SessionListener, SourceInfo, SourceState } from '../../src/kube/session.js';
import type { ClusterModel, KindId } from '../../src/kube/types.js';
import { startSim, type Sim, type SimOptions } from '../../src/sim/index.js';
import { call, type Target as HttpTarget } from '../helpers/http.js';

/** A running sim plus a kubeconfig file for it. */
export interface SimFixture {
  sim: Sim;
  dir: string;
  kubeconfig: string;
  client(options?: Parameters<typeof createClient>[0]): KubeClient;
  stop(): Promise<void>;
}

/** Starts a sim and writes its kubeconfig to a temporary directory. */
export async function simFixture(options: SimOptions): Promise<SimFixture> {
  const sim = await startSim(options);
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  const clients: KubeClient[] = [];
  return {
    sim,
    dir,
    kubeconfig,
    client: (o = {}) => {
      const c = createClient({ kubeconfig, ...o });
      clients.push(c);
      return c;
    },
    stop: async () => {
      for (const c of clients) c.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The URL, CA and token of a sim, or of any server given as such. */
const accessOf = (server: Sim | HttpTarget): HttpTarget => ('info' in server ? { url: server.info.api, caPem: server.caPem, token: server.token } : server);

/** Lists a kind on the server with the independent HTTPS helper and projects it like the watch does. */
export async function serverState(server: Sim | HttpTarget, discovery: Discovery, kind: KindId): Promise<Map<string, { resourceVersion: string }>> {
  const resolved = resolveKind(kinds[kind] as KindSpec, discovery);
  if (!resolved.installed) return new Map();
  const spec = resolved.spec;
  const namespace = spec.scope === 'prow-namespace' ? 'prow' : undefined;
  const field = spec.fieldSelector ? `?fieldSelector=${encodeURIComponent(spec.fieldSelector)}` : '';
  const res = await call(accessOf(server), 'GET', collectionPath(resolved.group, resolved.version, spec.plural, namespace) + field);
  if (res.status !== 200) throw new Error(`list ${kind}: ${res.status} ${res.text}`);
  const views = (res.body.items as unknown[]).map((raw) => resolved.project(raw) as { namespace?: string; name: string; resourceVersion: string });
  return new Map(views.map((v) => [viewKey(v), { resourceVersion: v.resourceVersion }]));
}

/** Differences between the model and the server for some kinds ("" when equal): keys and resourceVersions. */
export async function modelDiff(server: Sim | HttpTarget, discovery: Discovery, model: ClusterModel, kindList: readonly KindId[]): Promise<string> {
  const out: string[] = [];
  for (const kind of kindList) {
    const listed = await serverState(server, discovery, kind);
    const local = model[kind] as ReadonlyMap<string, { resourceVersion: string }>;
    for (const [key, v] of listed) {
      const mine = local.get(key);
      if (!mine) out.push(`${kind} ${key}: missing`);
      else if (mine.resourceVersion !== v.resourceVersion) out.push(`${kind} ${key}: rv ${mine.resourceVersion} != ${v.resourceVersion}`);
    }
    for (const key of local.keys()) if (!listed.has(key)) out.push(`${kind} ${key}: not on the server`);
  }
  return out.join('\n');
}

/** A SessionListener that applies events at once to a model and remembers every state and poll. */
export class Collector implements SessionListener {
  model: ClusterModel = emptyModel();
  states: { source: SourceInfo; state: SourceState; at: number }[] = [];
  polls: MetricsPoll[] = [];
  metricsErrors: string[] = [];
  events = 0;
  onEvent(event: SourceEvent): void {
    this.events += 1;
    this.model = applyEvents(this.model, [event]);
  }
  onSourceState(source: SourceInfo, state: SourceState): void {
    this.states.push({ source, state, at: Date.now() });
  }
  onMetrics(poll: MetricsPoll): void {
    this.polls.push(poll);
  }
  onMetricsError(error: { message: string }): void {
    this.metricsErrors.push(error.message);
  }
  /** The latest state per source id. */
  latest(): Map<string, SourceState> {
    return new Map(this.states.map((s) => [s.source.id, s.state]));
  }
  /** Whether every source that is watched has listed once. */
  synced(): boolean {
    const latest = [...this.latest().values()];
    return latest.length > 0 && latest.every((s) => s.phase === 'not-installed' || s.synced);
  }
}

/** Tuning that makes retries and the watchdog fast enough for tests. */
export const fastTuning = { backoffInitialMs: 50, backoffMaxMs: 400, watchdogMs: 5000, timeoutSeconds: 60 };

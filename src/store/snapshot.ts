// The one-shot snapshot `deckhand status` prints (and --json emits): every derived table plus where the data came
// from and what could not be read. A pure function of the state, so it is tested like the tables themselves.
import type { FamilyId, FamilySupport } from '../kube/discovery.js';
import type { ComponentRow } from '../kube/summarize/components.js';
import type { JobUsageRow } from '../kube/summarize/job-usage.js';
import type { MachineRow } from '../kube/summarize/machines.js';
import type { NodeRow } from '../kube/summarize/nodes.js';
import type { ProwJobRow } from '../kube/summarize/prow-jobs.js';
import type { RolloutRow } from '../kube/summarize/rollouts.js';
import type { OpenStackClusterView } from '../kube/types.js';
import { selectComponents, selectJobUsage, selectMachineRows, selectNodeRows, selectProwJobs, selectRollouts } from './selectors.js';
import type { AppState, SourceStatus } from './state.js';
import { compareText } from '../kube/read.js';

/** An OpenStackCluster's bastion and allow-list, as the snapshot lists it. */
export interface OpenStackClusterRow {
  namespace: string;
  name: string;
  ready: boolean;
  bastion: OpenStackClusterView['bastion'];
  allowedCidrs?: string[];
  effectiveCidrs?: string[];
}

/** The `deckhand status --json` document. CPU is in millicores and memory in bytes throughout. */
export interface StatusSnapshot {
  generatedAt: string;
  context?: string;
  server?: string;
  /** The SOCKS proxy used, or null for a direct connection. */
  tunnel: string | null;
  serverVersion?: string;
  apis: Partial<Record<FamilyId, FamilySupport>>;
  sources: { id: string; kind: string; namespace?: string; state: SourceStatus['phase']; synced: boolean; error?: string; reason?: string }[];
  /** One line per part that could not be read (a refused kind, a failing metrics API). */
  problems: string[];
  nodes: NodeRow[];
  machines: MachineRow[];
  machineDeployments: RolloutRow[];
  controlPlanes: RolloutRow[];
  prowJobs: { total: number; counts: Record<string, number>; jobs: ProwJobRow[] };
  jobUsage: JobUsageRow[];
  components: ComponentRow[];
  openstackClusters: OpenStackClusterRow[];
}

/** Builds the snapshot from the state at `nowMs`. */
export function selectStatusSnapshot(state: AppState, nowMs: number): StatusSnapshot {
  const { connection, cluster, metrics } = state;
  const sources = Object.values(cluster.sources)
    .sort((a, b) => compareText(a.id, b.id))
    .map((s) => ({
      id: s.id, kind: s.kind, ...(s.namespace ? { namespace: s.namespace } : {}), state: s.phase, synced: s.synced,
      ...(s.error ? { error: s.error } : {}), ...(s.reason ? { reason: s.reason } : {}),
    }));
  const problems = sources.flatMap((s) => (s.error ? [`${s.id}: ${s.error}`] : s.state !== 'not-installed' && !s.synced ? [`${s.id}: not read yet (${s.state})`] : []));
  if (metrics.error) problems.push(`metrics: ${metrics.error}`);
  const jobs = selectProwJobs(state, nowMs);
  const rollouts = selectRollouts(state, nowMs);
  return {
    generatedAt: new Date(nowMs).toISOString(),
    ...(connection.target ? { context: connection.target.context, server: connection.target.server } : {}),
    tunnel: connection.target?.proxyUrl ?? null,
    ...(connection.discovery ? { serverVersion: connection.discovery.serverVersion } : {}),
    apis: connection.discovery?.families ?? {},
    sources,
    problems,
    nodes: selectNodeRows(state, nowMs),
    machines: selectMachineRows(state, nowMs),
    machineDeployments: rollouts.machineDeployments,
    controlPlanes: rollouts.controlPlanes,
    prowJobs: { total: jobs.total, counts: jobs.counts, jobs: jobs.rows },
    jobUsage: selectJobUsage(state),
    components: selectComponents(state, nowMs),
    openstackClusters: [...cluster.model.openstackClusters.values()].map((c) => ({
      namespace: c.namespace, name: c.name, ready: c.ready, bastion: c.bastion,
      ...(c.apiServerLoadBalancer.allowedCidrs ? { allowedCidrs: c.apiServerLoadBalancer.allowedCidrs } : {}),
      ...(c.apiServerLoadBalancer.effectiveCidrs ? { effectiveCidrs: c.apiServerLoadBalancer.effectiveCidrs } : {}),
    })),
  };
}

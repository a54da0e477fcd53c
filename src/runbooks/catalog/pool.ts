// Reads about a worker pool shared by scale-md and recover-node: a MachineDeployment, its Machines with their
// nodes, what runs on those nodes (requests, running Prow jobs), the test pods waiting for room, and how many
// nodes would fit them. One-shot reads through the kube layer; nothing here writes.
// @see /work/shared/reference/operations.md ("Temporary scale-out")
import { formatBytesHuman, formatCpuHuman } from '../../format/quantity.js';
import { capiLabels } from '../../kube/capi.js';
import { listViews } from '../../kube/runbook-reads.js';
import type { MachineView, NodeView, PodView, Resources, RolloutOwnerView } from '../../kube/types.js';
import type { RunContext } from '../types.js';

/** One machine of the pool with its node and load. */
export interface PoolMachine {
  machine: MachineView;
  node?: NodeView;
  requests: Resources;
  pods: number;
  /** Running Prow job pods on its node, by job name. */
  jobs: string[];
}

/** A MachineDeployment and its machines. */
export interface Pool {
  md: RolloutOwnerView;
  machines: PoolMachine[];
}

const add = (a: Resources, b: Resources): Resources => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes });
const zero: Resources = { cpuMilli: 0, memoryBytes: 0 };

/** "1.5 CPU / 3.2 GiB". */
export const resourcesText = (r: Resources) => `${formatCpuHuman(r.cpuMilli)} CPU / ${formatBytesHuman(r.memoryBytes)}`;

/** Reads a MachineDeployment by name; undefined when it does not exist. */
export async function readMachineDeployment(ctx: RunContext<unknown>, namespace: string, name: string): Promise<RolloutOwnerView | undefined> {
  const all = await listViews(ctx.client, ctx.discovery, 'machineDeployments', { namespace });
  return all.find((md) => md.name === name);
}

/** The pods of one node that still hold resources. */
export async function nodePods(ctx: RunContext<unknown>, node: string): Promise<PodView[]> {
  const pods = await listViews(ctx.client, ctx.discovery, 'pods', { fieldSelector: `spec.nodeName=${node}` });
  return pods.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed');
}

/** The machines of a MachineDeployment (by its deployment-name label), with node, requests and running jobs. */
export async function readPool(ctx: RunContext<unknown>, md: RolloutOwnerView): Promise<Pool> {
  const machines = await listViews(ctx.client, ctx.discovery, 'machines', { namespace: md.namespace, labelSelector: `${capiLabels.deploymentName}=${md.name}` });
  const nodes = new Map((await listViews(ctx.client, ctx.discovery, 'nodes')).map((n) => [n.name, n]));
  const out: PoolMachine[] = [];
  for (const machine of machines.sort((a, b) => a.name.localeCompare(b.name))) {
    const node = machine.nodeName ? nodes.get(machine.nodeName) : undefined;
    const pods = node ? await nodePods(ctx, node.name) : [];
    out.push({
      machine,
      ...(node ? { node } : {}),
      requests: pods.reduce((sum, p) => add(sum, p.requests), zero),
      pods: pods.length,
      jobs: pods.filter((p) => p.job && p.phase === 'Running').map((p) => p.job!.job).sort(),
    });
  }
  return { md, machines: out };
}

/** Test pods waiting for a node, with their requests. */
export async function pendingTestPods(ctx: RunContext<unknown>): Promise<PodView[]> {
  const pods = await listViews(ctx.client, ctx.discovery, 'pods', { namespace: ctx.profile.testPodsNamespace, fieldSelector: 'status.phase=Pending' });
  return pods.filter((p) => !p.nodeName);
}

/**
 * Replicas that would fit the pending pods: the current count plus the nodes needed for their summed requests
 * (by the tighter of CPU and memory), using one pool node's allocatable as the size of a new node.
 */
export function suggestReplicas(pool: Pool, pending: readonly PodView[]): { replicas: number; reason: string } {
  const current = pool.md.desired ?? pool.machines.length;
  const need = pending.reduce((sum, p) => add(sum, p.requests), zero);
  const size = pool.machines.find((m) => m.node)?.node?.allocatable;
  if (!pending.length) return { replicas: current, reason: 'no test pods are pending' };
  if (!size || size.cpuMilli === 0) return { replicas: current + 1, reason: `${pending.length} pods pending; node size unknown, one more node suggested` };
  const free = pool.machines.reduce((sum, m) => (m.node ? add(sum, { cpuMilli: Math.max(0, m.node.allocatable.cpuMilli - m.requests.cpuMilli), memoryBytes: Math.max(0, m.node.allocatable.memoryBytes - m.requests.memoryBytes) }) : sum), zero);
  const missing = { cpuMilli: Math.max(0, need.cpuMilli - free.cpuMilli), memoryBytes: Math.max(0, need.memoryBytes - free.memoryBytes) };
  const nodes = Math.max(Math.ceil(missing.cpuMilli / size.cpuMilli), Math.ceil(missing.memoryBytes / Math.max(1, size.memoryBytes)));
  return {
    replicas: current + nodes,
    reason: `${pending.length} pending pods request ${resourcesText(need)}; free on the pool's nodes ${resourcesText(free)}; a node has ${resourcesText(size)}`,
  };
}

/** One line per machine: name, phase, node readiness, requests and running jobs. */
export function poolLines(pool: Pool): string[] {
  return pool.machines.map(({ machine, node, requests, pods, jobs }) => {
    const ready = node ? (node.ready === 'True' ? 'Ready' : `NotReady(${node.ready})`) : 'no node';
    const deleting = machine.deleting ? ' deleting' : '';
    return `  ${machine.name}  ${machine.phase}${deleting}  node ${ready}  requests ${resourcesText(requests)}  pods ${pods}  running jobs ${jobs.length}${jobs.length ? ` (${jobs.join(', ')})` : ''}`;
  });
}

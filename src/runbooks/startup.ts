// What deckhand says first when it starts and the journal holds unfinished runs: above all, an unfinished
// bastion-swap whose temporary allowlist entry is still in the OpenStackCluster (the API is open to that address
// until someone removes it), with how to resume or clean up.
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import { listViews } from '../kube/runbook-reads.js';
import type { ResumePoint } from './journal.js';

/** Where a bastion-swap keeps its temporary entry in its memory. */
export interface SwapMemory {
  cluster?: { namespace: string; name: string };
  tempCidr?: string;
}

/** Whether an unfinished bastion-swap's temporary CIDR is still in the cluster's allowed CIDRs (undefined: unknown). */
export async function temporaryEntryPresent(point: ResumePoint, client: KubeClient, discovery: Discovery): Promise<boolean | undefined> {
  const memory = point.memory as SwapMemory;
  if (point.runbook !== 'bastion-swap' || !memory.tempCidr || !memory.cluster) return false;
  try {
    const clusters = await listViews(client, discovery, 'openstackClusters', { namespace: memory.cluster.namespace });
    const cluster = clusters.find((c) => c.name === memory.cluster!.name);
    return cluster?.apiServerLoadBalancer.allowedCidrs?.includes(memory.tempCidr) ?? false;
  } catch {
    return undefined;
  }
}

/** One line per unfinished run, the bastion-swap warnings first. */
export async function unfinishedNotices(points: readonly ResumePoint[], client: KubeClient, discovery: Discovery): Promise<string[]> {
  const swaps: string[] = [];
  const others: string[] = [];
  for (const point of points) {
    const where = `stopped at step ${point.index + 1} (${point.lastPhase}) at ${new Date(point.lastAt).toISOString()}`;
    const present = await temporaryEntryPresent(point, client, discovery);
    const memory = point.memory as SwapMemory;
    if (point.runbook === 'bastion-swap' && present !== false) {
      swaps.push(`UNFINISHED BASTION SWAP ${point.runId} ${where}: the temporary allowlist entry ${memory.tempCidr ?? '?'} ` +
        `${present ? 'is still' : 'may still be'} in ${memory.cluster?.namespace ?? '?'}/${memory.cluster?.name ?? '?'}; ` +
        `resume it (deckhand runbook --resume --run ${point.runId}) or clean up (resume, then roll back)`);
    } else {
      others.push(`unfinished run ${point.runId} (${point.runbook}) ${where}: deckhand runbook --resume --run ${point.runId}, or --discard --run ${point.runId}`);
    }
  }
  return [...swaps, ...others];
}

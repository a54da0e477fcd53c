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

/** How to act on an unfinished run: the terminal's flags, or the dashboard's offer keys. */
export type NoticeStyle = 'cli' | 'tui';

/**
 * One unfinished run in one line; `swap` marks a bastion-swap whose temporary entry is (or may still be) there,
 * which must be said before anything else. `present` is undefined when the cluster could not be asked.
 */
export function unfinishedNotice(point: ResumePoint, present: boolean | undefined, style: NoticeStyle = 'cli'): { text: string; swap: boolean } {
  const where = `stopped at step ${point.index + 1} (${point.lastPhase}) at ${new Date(point.lastAt).toISOString()}`;
  const memory = point.memory as SwapMemory;
  if (point.runbook === 'bastion-swap' && present !== false && memory.tempCidr) {
    const act = style === 'cli' ? `resume it (deckhand runbook --resume --run ${point.runId}) or clean up (resume, then roll back)` : 'resume it or clean up';
    return {
      swap: true,
      text: `UNFINISHED BASTION SWAP ${point.runId} ${where}: the temporary allowlist entry ${memory.tempCidr} ` +
        `${present ? 'is still' : 'may still be'} in ${memory.cluster?.namespace ?? '?'}/${memory.cluster?.name ?? '?'}; ${act}`,
    };
  }
  const act = style === 'cli' ? `: deckhand runbook --resume --run ${point.runId}, or --discard --run ${point.runId}` : '';
  return { swap: false, text: `unfinished run ${point.runId} (${point.runbook}) ${where}${act}` };
}

/** The unfinished runs, bastion-swaps that may have left the API open first, each with what the cluster says. */
export async function checkUnfinished(points: readonly ResumePoint[], client: KubeClient, discovery: Discovery): Promise<{ point: ResumePoint; present: boolean | undefined }[]> {
  const checked = [];
  for (const point of points) checked.push({ point, present: await temporaryEntryPresent(point, client, discovery) });
  const first = (c: { point: ResumePoint; present: boolean | undefined }) => unfinishedNotice(c.point, c.present).swap;
  return [...checked.filter(first), ...checked.filter((c) => !first(c))];
}

/** One line per unfinished run, the bastion-swap warnings first. */
export async function unfinishedNotices(points: readonly ResumePoint[], client: KubeClient, discovery: Discovery): Promise<string[]> {
  return (await checkUnfinished(points, client, discovery)).map(({ point, present }) => unfinishedNotice(point, present).text);
}

// What the bastion-swap steps share: parameters, the OpenStackCluster (profile, named, or the only one), the
// temporary allowlist entry, the old and new bastion addresses as remembered, and the allowed-CIDRs change.
// @see /work/shared/reference/cluster-apis.md §2.1–§2.4
import { toCidr } from '../../format/cidr.js';
import { listViews, planAllowedCidrsTested } from '../../kube/runbook-reads.js';
import type { BastionImage, OpenStackClusterView } from '../../kube/types.js';
import type { BastionAddress } from '../../tunnel/types.js';
import { previewRequests, stepPlan } from '../preview.js';
import type { RunContext, StepPlan } from '../types.js';

/** Parameters of bastion-swap after validation. */
export interface SwapParams {
  cluster?: string;
  namespace?: string;
  image?: string;
  publicIp?: string;
}

/** A bastion-swap step's context. */
export type SwapCtx = RunContext<SwapParams>;

/** The cluster the run acts on: remembered, else --cluster, else the profile's, else the only one. */
export async function readCluster(ctx: SwapCtx): Promise<OpenStackClusterView> {
  const remembered = ctx.memory.cluster as { namespace: string; name: string } | undefined;
  const wanted = remembered ?? (ctx.params.cluster ? { name: ctx.params.cluster, namespace: ctx.params.namespace } : ctx.profile.openstackCluster);
  const all = await listViews(ctx.client, ctx.discovery, 'openstackClusters', wanted?.namespace ? { namespace: wanted.namespace } : {});
  if (wanted) {
    const found = all.find((c) => c.name === wanted.name);
    if (!found) throw new Error(`OpenStackCluster ${wanted.namespace ? `${wanted.namespace}/` : ''}${wanted.name} not found`);
    return found;
  }
  if (all.length !== 1) throw new Error(all.length ? `${all.length} OpenStackClusters: pass --cluster (${all.map((c) => c.name).join(', ')})` : 'no OpenStackCluster in the cluster');
  return all[0]!;
}

/** The temporary entry (a host CIDR), or a placeholder while planning. */
export const tempCidr = (ctx: SwapCtx): string | undefined => ctx.memory.tempCidr as string | undefined;

/** Remembered bastion addresses. */
export const oldBastion = (ctx: SwapCtx) => ctx.memory.oldBastion as BastionAddress | undefined;
/** The new bastion, once step 6 saw it. */
export const newBastion = (ctx: SwapCtx) => ctx.memory.newBastion as BastionAddress | undefined;

/** Whether the effective (status) list holds a CIDR, compared the way CAPO writes it. */
export function effectiveHas(cluster: OpenStackClusterView, cidr: string): boolean {
  return (cluster.apiServerLoadBalancer.effectiveCidrs ?? []).some((c) => {
    try {
      return toCidr(c) === toCidr(cidr);
    } catch {
      return false;
    }
  });
}

/** The plan of adding or removing the temporary entry: a JSON patch that tests the current list first. */
export async function cidrChange(ctx: SwapCtx, cluster: OpenStackClusterView, cidr: string, add: boolean): Promise<StepPlan> {
  const current = cluster.apiServerLoadBalancer.allowedCidrs ?? [];
  const has = current.includes(cidr);
  if (add && has) return stepPlan({ summary: `${cidr} is already allowed`, skip: `${cidr} is already in the allowed CIDRs` });
  if (!add && !has) return stepPlan({ summary: `${cidr} is not in the list`, skip: `${cidr} is not in the allowed CIDRs (already removed)` });
  const next = add ? [...current, cidr] : current.filter((c) => c !== cidr);
  const { requests, blockers } = await previewRequests(ctx.client, [planAllowedCidrsTested(ctx.discovery, cluster, next)]);
  return stepPlan({
    summary: `${add ? 'add' : 'remove'} ${cidr} ${add ? 'to' : 'from'} the API load balancer's allowed CIDRs of ${cluster.name}`,
    lines: [`spec now: ${current.join(', ') || '(empty)'}`, `spec after: ${next.join(', ') || '(empty)'}`, `effective (status): ${(cluster.apiServerLoadBalancer.effectiveCidrs ?? []).join(', ') || '(none)'}`],
    requests,
    blockers,
    data: { cidr },
  });
}

/** The image to run: --image (a UUID becomes an id, else a name/filter), else the current one. */
export function imageFrom(ctx: SwapCtx, current: BastionImage): Exclude<BastionImage, { kind: 'unset' }> | undefined {
  const text = ctx.params.image;
  if (text) return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? { kind: 'id', id: text } : current.kind === 'name' || ctx.discovery.families.capo.installed && ctx.discovery.families.capo.version !== 'v1beta1' ? { kind: 'name', name: text } : { kind: 'filter', name: text };
  return current.kind === 'unset' ? undefined : current;
}

/** An image in words. */
export function imageWords(image: BastionImage | undefined): string {
  if (!image) return 'unknown';
  switch (image.kind) {
    case 'name': case 'imageRef': return image.name;
    case 'id': return image.id;
    case 'filter': return image.name ?? `tags ${(image.tags ?? []).join(',')}`;
    case 'unset': return '(unset)';
  }
}

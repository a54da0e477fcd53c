// bastion-swap steps 8 and 9: remove the temporary allowlist entry (a JSON patch that tests the current list),
// verify status no longer has it and the API still answers through the new tunnel; then summarise, with a reminder
// to delete the old image.
// @see /work/shared/reference/operations.md ("Old images should be deleted afterwards")
import { apiAnswers } from '../../kube/runbook-reads.js';
import type { BastionImage } from '../../kube/types.js';
import { stepPlan } from '../preview.js';
import type { Step } from '../types.js';
import { cidrChange, effectiveHas, imageWords, newBastion, oldBastion, readCluster, tempCidr, type SwapParams } from './bastion-swap-common.js';

/** Step 8: remove the temporary entry. */
export const cleanup: Step<SwapParams> = {
  id: 'cleanup',
  title: 'Remove the temporary entry',
  async preview(ctx) {
    const cidr = tempCidr(ctx);
    const cluster = await readCluster(ctx);
    if (!cluster.apiServerLoadBalancer.allowedCidrs?.length && !cidr) return stepPlan({ summary: 'no allowlist', skip: 'no temporary entry was added' });
    if (ctx.planning && !ctx.params.publicIp) return stepPlan({ summary: `remove ${cidr ?? '<your public IP>/32'} (JSON patch testing the current list), then check status and the API through the new tunnel` });
    if (!cidr) return stepPlan({ summary: 'no temporary entry', skip: 'no temporary entry was added' });
    return cidrChange(ctx, cluster, cidr, false);
  },
  verify: {
    timeoutSeconds: () => 5 * 60,
    async check(ctx) {
      const cidr = tempCidr(ctx)!;
      const cluster = await readCluster(ctx);
      if (effectiveHas(cluster, cidr)) return { ok: false, text: `${cidr} still in status.apiServerLoadBalancer.allowedCIDRs` };
      const answer = await apiAnswers(ctx.client, 5000);
      return answer.ok ? { ok: true, text: `${cidr} removed; the API answers through the tunnel` } : { ok: false, text: `${cidr} removed, but the API does not answer through the tunnel: ${answer.reason}` };
    },
  },
};

/** Step 9: summary. */
export const summary: Step<SwapParams> = {
  id: 'summary',
  title: 'Summary',
  confirm: false,
  async preview(ctx) {
    if (ctx.planning) return stepPlan({ summary: 'old and new bastion, the new host key, and a reminder to delete the old image (known at the end)' });
    const cluster = await readCluster(ctx);
    const oldImage = ctx.memory.oldImage as BastionImage | undefined;
    const changed = imageWords(oldImage) !== imageWords(cluster.bastion.image);
    return stepPlan({
      summary: `bastion ${oldBastion(ctx)?.host ?? '?'} → ${newBastion(ctx)?.host ?? cluster.bastion.floatingIP ?? '?'}`,
      lines: [
        `image ${imageWords(oldImage)} → ${imageWords(cluster.bastion.image)}`,
        `allowed CIDRs (spec): ${cluster.apiServerLoadBalancer.allowedCidrs?.join(', ') || '(none)'}`,
        ...(ctx.memory.profileUpdate ? [String(ctx.memory.profileUpdate)] : []),
        changed ? `delete the old image once nothing uses it: openstack image delete ${imageWords(oldImage)}` : 'same image: nothing to delete',
      ],
    });
  },
};

// bastion-swap: replace (or just recreate) the bastion without losing the API. The operator's own address is added
// to the load balancer's allowlist first and the API must answer directly before the bastion is touched; only then
// is it disabled, recreated with the new image, its new host key shown and trusted, the tunnel reopened and the
// temporary entry removed. The last-resort recovery is on screen the whole time.
// @see /work/shared/reference/operations.md ("Replace (or reboot) the bastion"), cluster-apis.md §2.3, §2.4
import { canonicalIp, hostCidr } from '../../format/cidr.js';
import { apiAnswers } from '../../kube/runbook-reads.js';
import { stepPlan } from '../preview.js';
import type { Runbook, Step } from '../types.js';
import { cidrChange, effectiveHas, imageWords, readCluster, tempCidr, type SwapCtx, type SwapParams } from './bastion-swap-common.js';
import { disable, enable, openTunnel } from './bastion-swap-bastion.js';
import { cleanup, summary } from './bastion-swap-end.js';

const preconditions: Step<SwapParams> = {
  id: 'preconditions',
  title: 'Preconditions',
  async preview(ctx) {
    const cluster = await readCluster(ctx);
    const capo = ctx.discovery.families.capo;
    const { bastion, apiServerLoadBalancer: lb } = cluster;
    const blockers: string[] = [];
    const warnings: string[] = [];
    if (!lb.enabled || !lb.ip) blockers.push(`OpenStackCluster ${cluster.name} has no API load balancer: the allowlist method is impossible, so the bastion cannot be swapped without losing the API`);
    if (!lb.allowedCidrs?.length) warnings.push('the load balancer has no allowlist: it admits every address already, no temporary entry is needed');
    if (!bastion.enabled) warnings.push('the bastion is disabled now');
    const mode = ctx.connection?.mode();
    if (!ctx.connection) blockers.push('deckhand does not manage its own connection here: run bastion-swap from `deckhand runbook` or the dashboard, not through a foreign proxy');
    else if (mode !== 'tunnel') warnings.push(`deckhand is connected ${mode === 'direct' ? 'directly' : 'through a proxy it does not manage'}, not through its own tunnel`);
    const via = ctx.connection?.bastion();
    if (!ctx.planning && !ctx.memory.cluster) {
      await ctx.remember('cluster', { namespace: cluster.namespace, name: cluster.name });
      await ctx.remember('oldImage', bastion.image as never);
      if (bastion.floatingIP || via) await ctx.remember('oldBastion', { host: via?.host ?? bastion.floatingIP!, ...(via?.port ? { port: via.port } : {}), ...(via?.user ? { user: via.user } : {}) });
      if (bastion.floatingIP) await ctx.remember('oldFloatingIP', bastion.floatingIP);
    }
    return stepPlan({
      summary: `OpenStackCluster ${cluster.namespace}/${cluster.name} (${capo.installed ? capo.version : '?'})`,
      lines: [
        `bastion: ${bastion.enabled ? 'enabled' : 'disabled'}, state ${bastion.state ?? '-'}, floating IP ${bastion.floatingIP ?? '-'}, image ${imageWords(bastion.image)}${bastion.pinnedFloatingIP ? ` (pinned floating IP ${bastion.pinnedFloatingIP})` : ''}`,
        `API load balancer: ${lb.enabled ? `at ${lb.ip ?? '?'}` : 'none'}`,
        `allowed CIDRs (spec): ${lb.allowedCidrs?.join(', ') || '(none)'}`,
        `allowed CIDRs (status, effective): ${lb.effectiveCidrs?.join(', ') || '(none)'}`,
        `deckhand's connection: ${mode ?? 'unmanaged'}${via ? ` through ${via.user ? `${via.user}@` : ''}${via.host}${via.port ? `:${via.port}` : ''}` : ''}`,
        `new image: ${ctx.params.image ?? `${imageWords(bastion.image)} (the same: a recreate)`}`,
      ],
      blockers,
      warnings,
    });
  },
};

/** Reads the caller's public address from an echo-IP service, directly (never through the tunnel). */
async function echoIp(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return canonicalIp((await response.text()).trim());
}

const publicIp: Step<SwapParams> = {
  id: 'public-ip',
  title: 'Your public IP',
  async preview(ctx) {
    const typed = ctx.inputs.ip ?? ctx.params.publicIp;
    let ip: string | undefined;
    const blockers: string[] = [];
    let source = typed ? 'typed' : '';
    try {
      if (typed) ip = canonicalIp(typed);
      else if (ctx.planning) ip = undefined;
      else if (ctx.profile.echoIpUrl) {
        ip = await echoIp(ctx.profile.echoIpUrl);
        source = `from ${ctx.profile.echoIpUrl}`;
      } else blockers.push('no echo-IP URL in the profile: type your public IP (--public-ip)');
    } catch (err) {
      blockers.push(`public IP: ${(err as Error).message}`);
    }
    const cidr = ip ? hostCidr(ip) : '<your public IP>/32';
    if (ip && !ctx.planning) await ctx.remember('tempCidr', cidr);
    if (ctx.planning) await ctx.remember('tempCidr', cidr);
    return stepPlan({
      summary: `temporary allowlist entry ${cidr}`,
      lines: [`public IP ${ip ?? '(asked when the run starts)'}${source ? ` (${source})` : ''}`, `entry to add: ${cidr}`],
      inputs: [{ id: 'ip', label: 'public IP', value: ip ?? '', hint: 'IPv4 or IPv6' }],
      blockers,
    });
  },
};

const allow: Step<SwapParams> = {
  id: 'allow',
  title: 'Allow your IP and check the API directly',
  async preview(ctx) {
    const cluster = await readCluster(ctx);
    const cidr = tempCidr(ctx) ?? '<your public IP>/32';
    if (!cluster.apiServerLoadBalancer.allowedCidrs?.length) return stepPlan({ summary: 'no allowlist', skip: 'the load balancer has no allowlist: it admits every address' });
    if (ctx.planning && !ctx.params.publicIp) return stepPlan({ summary: `add ${cidr} (a JSON patch that tests the current list first), then wait until status lists it and the API answers directly` });
    return cidrChange(ctx, cluster, cidr, true);
  },
  verify: {
    timeoutSeconds: () => 5 * 60,
    async check(ctx) {
      const cidr = tempCidr(ctx)!;
      const cluster = await readCluster(ctx);
      if (!effectiveHas(cluster, cidr)) return { ok: false, text: `waiting for ${cidr} in status.apiServerLoadBalancer.allowedCIDRs` };
      const direct = ctx.connection ? await apiAnswers(ctx.connection.directClient(), 3000) : { ok: false as const, reason: 'no connection control' };
      return direct.ok ? { ok: true, text: `${cidr} is effective and the API answers directly (${direct.version})` } : { ok: false, text: `${cidr} is in status, but the API does not answer directly yet: ${direct.reason}` };
    },
  },
  rollback: {
    id: 'allow',
    title: 'Remove the temporary entry',
    async preview(ctx) {
      const cidr = tempCidr(ctx);
      if (!cidr) return stepPlan({ summary: 'no temporary entry', skip: 'no temporary entry was chosen' });
      return cidrChange(ctx, await readCluster(ctx), cidr, false);
    },
    verify: {
      timeoutSeconds: () => 5 * 60,
      async check(ctx) {
        const cluster = await readCluster(ctx);
        const cidr = tempCidr(ctx)!;
        return { ok: !effectiveHas(cluster, cidr) && !cluster.apiServerLoadBalancer.allowedCidrs?.includes(cidr), text: `status: ${(cluster.apiServerLoadBalancer.effectiveCidrs ?? []).join(', ')}` };
      },
    },
  },
};

const direct: Step<SwapParams> = {
  id: 'direct',
  title: "Switch deckhand's connection to direct",
  async preview(ctx: SwapCtx) {
    if (ctx.planning) return stepPlan({ summary: 'use the direct path (checked in step 3) and close the tunnel', actions: ['switch to direct', 'close the tunnel'] });
    if (!ctx.connection) return stepPlan({ summary: 'no connection control', blockers: ['deckhand does not manage its connection here'] });
    if (ctx.connection.mode() === 'direct') return stepPlan({ summary: 'already direct', skip: 'deckhand is already connected directly' });
    const check = await apiAnswers(ctx.connection.directClient(), 3000);
    return stepPlan({
      summary: 'use the direct path and close the tunnel to the old bastion',
      actions: ['switch deckhand\'s API connection to direct (no proxy)', 'close the tunnel to the old bastion'],
      blockers: check.ok ? [] : [`the API does not answer directly: ${check.reason} — never go on without a verified direct path`],
    });
  },
  async apply(ctx) {
    await ctx.connection!.useDirect();
  },
  verify: {
    timeoutSeconds: () => 60,
    async check(ctx) {
      const answer = await apiAnswers(ctx.client, 3000);
      return answer.ok ? { ok: true, text: `connected directly (${answer.version})` } : { ok: false, text: answer.reason };
    },
  },
};

/** The bastion-swap runbook. */
export const bastionSwap: Runbook<SwapParams> = {
  id: 'bastion-swap',
  title: 'Swap (or recreate) the bastion',
  summary: 'replace or reboot the bastion without losing the API: temporary allowlist entry, direct access, new bastion, new host key',
  params: [
    { name: 'cluster', flag: 'cluster', kind: 'name', description: "the OpenStackCluster (else the profile's, else the only one)" },
    { name: 'namespace', flag: 'namespace', kind: 'name', description: 'its namespace' },
    { name: 'image', flag: 'image', kind: 'image', description: 'the new bastion image (default: the current one)' },
    { name: 'publicIp', flag: 'public-ip', kind: 'ip', description: 'your public IP (else from the echo-IP URL)' },
  ],
  steps: [preconditions, publicIp, allow, direct, disable, enable, openTunnel, cleanup, summary],
  recovery: ({ memory }) => {
    const c = memory.cluster as { namespace: string; name: string } | undefined;
    const lb = c ? `k8s-clusterapi-cluster-${c.namespace}-${c.name}-kubeapi` : '<load balancer>';
    return `if the API is lost: openstack loadbalancer listener list --loadbalancer ${lb}; openstack loadbalancer listener unset --allowed-cidrs <listener-id>`;
  },
};

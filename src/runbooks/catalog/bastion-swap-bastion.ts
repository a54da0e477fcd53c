// bastion-swap steps 5–7: disable the bastion (dangerous: the tunnel's only way in goes away), recreate it with the
// new (or the same) image and wait until it is ACTIVE with a floating IP, then show its new host key, trust it only
// once the operator confirmed, reopen the tunnel through it and record the new address for the profile.
// @see /work/shared/reference/cluster-apis.md §2.2 (bastion status), §2.3 (recreate on disable/enable or image change)
import { planBastionEnabled } from '../../kube/operations.js';
import { apiAnswers, planBastionRecreate } from '../../kube/runbook-reads.js';
import type { BastionImage } from '../../kube/types.js';
import type { BastionAddress } from '../../tunnel/types.js';
import type { HostKeyProbe } from '../connection-types.js';
import { previewRequests, stepPlan } from '../preview.js';
import type { JsonValue, Step } from '../types.js';
import { imageFrom, imageWords, newBastion, oldBastion, readCluster, type SwapParams } from './bastion-swap-common.js';

const addressText = (a: BastionAddress | undefined) => (a ? `${a.user ? `${a.user}@` : ''}${a.host}${a.port ? `:${a.port}` : ''}` : '<new bastion floating IP>');

/** Step 5: disable the bastion. */
export const disable: Step<SwapParams> = {
  id: 'disable',
  title: 'Disable the bastion',
  async preview(ctx) {
    const cluster = await readCluster(ctx);
    if (!cluster.bastion.enabled && !cluster.bastion.id) return stepPlan({ summary: 'already disabled and gone', skip: 'the bastion is already disabled and gone' });
    if (!ctx.planning && ctx.connection && ctx.connection.mode() === 'tunnel') {
      return stepPlan({ summary: 'still tunnelled', blockers: ['deckhand still uses the tunnel: step 4 must switch to direct first'] });
    }
    const { requests, blockers } = await previewRequests(ctx.client, [planBastionEnabled(ctx.discovery, cluster, false)]);
    return stepPlan({
      summary: `disable the bastion of ${cluster.name} (CAPO deletes the server${cluster.bastion.pinnedFloatingIP ? '' : ' and releases its floating IP'})`,
      requests, blockers,
      danger: { target: cluster.name, what: 'disable the bastion' },
    });
  },
  verify: {
    timeoutSeconds: () => 10 * 60,
    async check(ctx) {
      const { bastion } = await readCluster(ctx);
      const gone = !bastion.id && !bastion.state && !bastion.floatingIP;
      return { ok: gone, text: gone ? 'status.bastion is gone' : `status.bastion still there: ${bastion.state ?? '?'} ${bastion.floatingIP ?? ''}` };
    },
  },
};

/** Step 6: set the image and enable. */
export const enable: Step<SwapParams> = {
  id: 'enable',
  title: 'Set the image and enable the bastion',
  async preview(ctx) {
    const cluster = await readCluster(ctx);
    const current = (ctx.memory.oldImage as BastionImage | undefined) ?? cluster.bastion.image;
    const image = imageFrom(ctx, current);
    if (!image) return stepPlan({ summary: 'no image', blockers: ['the bastion has no image to recreate it with: pass --image'] });
    if (cluster.bastion.enabled && cluster.bastion.id && ctx.memory.newBastion) return stepPlan({ summary: 'already enabled', skip: 'the new bastion already exists' });
    const { requests, blockers } = await previewRequests(ctx.client, [planBastionRecreate(ctx.discovery, cluster, image)]);
    const same = imageWords(image) === imageWords(current);
    return stepPlan({
      summary: `enable the bastion with image ${imageWords(image)}${same ? ' (the same image: a recreate)' : ` (was ${imageWords(current)})`}`,
      lines: ['CAPO creates a new server: new floating IP (unless pinned) and a new SSH host key'],
      requests, blockers,
      data: { image: image as unknown as JsonValue },
    });
  },
  verify: {
    timeoutSeconds: () => 10 * 60,
    async check(ctx) {
      const { bastion } = await readCluster(ctx);
      if (bastion.state === 'ACTIVE' && bastion.floatingIP) {
        const old = oldBastion(ctx);
        if (!newBastion(ctx)) await ctx.remember('newBastion', { host: bastion.floatingIP, ...(old?.port ? { port: old.port } : {}), ...(old?.user ? { user: old.user } : {}) });
        return { ok: true, text: `new bastion ACTIVE at ${bastion.floatingIP}` };
      }
      return { ok: false, text: `bastion ${bastion.state ?? 'not created yet'}${bastion.floatingIP ? ` at ${bastion.floatingIP}` : ''}` };
    },
  },
};

/** Step 7: trust the new host key (shown first) and tunnel through the new bastion. */
export const openTunnel: Step<SwapParams> = {
  id: 'tunnel',
  title: 'Trust the new host key and reopen the tunnel',
  async preview(ctx) {
    const address = newBastion(ctx);
    if (ctx.planning || !address) return stepPlan({ summary: `probe ${addressText(address)}: show its new host key fingerprint and ask before trusting it, then tunnel through it and update the profile` });
    if (!ctx.connection) return stepPlan({ summary: 'no connection control', blockers: ['deckhand does not manage its connection here'] });
    if (ctx.connection.mode() === 'tunnel' && ctx.connection.bastion()?.host === address.host) return stepPlan({ summary: 'already tunnelled', skip: `already tunnelled through ${address.host}` });
    const probe = await ctx.connection.probeHostKey(address);
    const old = oldBastion(ctx);
    const oldEntries = old ? await ctx.connection.knownHostsEntries(old) : [];
    const blockers = probe.status === 'changed' ? [`host key of ${probe.name} does not match known_hosts: ${probe.message ?? ''} — refusing (never accepted from here)`] : [];
    const actions = [
      ...(probe.status === 'unknown' ? [`trust ${probe.type} ${probe.fingerprint} for ${probe.name} (appended to deckhand's known_hosts)`] : []),
      `open the tunnel through ${addressText(address)} and use it`,
      'record the new bastion address for the profile',
    ];
    return stepPlan({
      summary: probe.status === 'unknown' ? `new host key of ${probe.name}: ${probe.type} ${probe.fingerprint} — compare it with the bastion's console log before confirming` : `host key of ${probe.name} already known (${probe.fingerprint})`,
      lines: [
        `new bastion ${addressText(address)}: ${probe.type} ${probe.fingerprint}`,
        oldEntries.length ? `the old bastion's known_hosts entries stay (remove them with ssh-keygen -R): ${oldEntries.join(', ')}` : 'no known_hosts entry for the old address',
      ],
      actions, blockers,
      data: { probe: probe as unknown as JsonValue },
    });
  },
  async apply(ctx, plan) {
    const probe = plan.data?.probe as unknown as HostKeyProbe;
    const address = newBastion(ctx)!;
    if (probe.status === 'unknown') await ctx.connection!.trustHostKey(probe);
    await ctx.connection!.useTunnel(address);
    const updated = await ctx.connection!.updateProfileBastion?.(address);
    if (updated) await ctx.remember('profileUpdate', updated);
  },
  verify: {
    timeoutSeconds: () => 60,
    async check(ctx) {
      const answer = await apiAnswers(ctx.client, 5000);
      return answer.ok ? { ok: true, text: `the API answers through the tunnel via ${ctx.connection?.bastion()?.host ?? '?'} (${answer.version})` } : { ok: false, text: answer.reason };
    },
  },
};

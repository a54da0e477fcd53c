// recover-node steps 4 and 5: follow the deletion (drain and volume-detach progress against their timeouts, the
// Node and Machine going away), the replacement Machine (its name, Provisioning → Running, its Node Ready), with
// what blocks when it stalls (conditions and events); then list the Prow jobs lost with the node for re-running.
// @see /work/shared/reference/cluster-apis.md §1.3 (Deleting reasons), §1.4 (events to show), §3 (ProwJob)
import { formatGoDuration, humanAge } from '../../format/duration.js';
import { getView } from '../../kube/actions.js';
import { eventsFor, listViews } from '../../kube/runbook-reads.js';
import { machineSummary } from '../../kube/summarize/machines.js';
import { stepPlan } from '../preview.js';
import type { Step } from '../types.js';
import { siblings, type RecoverCtx, type RecoverParams } from './recover-node-target.js';

type Ref = { namespace: string; name: string };
type OwnerRef = { kind: string; name: string } | null;

/** "drain 2m10s of 10m0s (7m50s left)", in cluster time. */
function timer(ctx: RecoverCtx, what: string, startedAt: string | undefined, limit: number | undefined): string | undefined {
  if (!startedAt) return undefined;
  const elapsed = Math.max(0, (ctx.now() - Date.parse(startedAt)) / ctx.clusterMs(1));
  if (!limit) return `${what} for ${humanAge(elapsed * 1000)} (no timeout: waits forever)`;
  return `${what} ${humanAge(elapsed * 1000)} of ${formatGoDuration(limit * 1000)} (${humanAge(Math.max(0, limit - elapsed) * 1000)} left)`;
}

/** Step 4: follow the deletion and the replacement. */
export const follow: Step<RecoverParams> = {
  id: 'follow',
  title: 'Follow the deletion and the replacement',
  confirm: false,
  async preview(ctx) {
    // A run journaled by an older deckhand, whose step 1 did not remember the siblings: remember them now, as it did.
    if (!ctx.planning && !ctx.memory.siblingsBefore) await ctx.remember('siblingsBefore', (await siblings(ctx)).map((s) => s.name));
    const owner = ctx.memory.owner as OwnerRef;
    return stepPlan({
      summary: owner ? `wait for the Machine and Node to go and ${owner.kind} ${owner.name}'s replacement to be Running with a Ready node` : 'wait for the Machine and Node to go (nothing replaces it)',
      lines: ['drain and volume-detach progress are shown with the time left until each timeout'],
    });
  },
  verify: {
    timeoutSeconds: (ctx) => ctx.params.drainTimeout + ctx.params.volumeTimeout + 30 * 60,
    intervalMs: 500,
    async check(ctx) {
      const m = ctx.memory.machine as Ref;
      const nodeName = ctx.memory.node as string | null;
      const old = await getView(ctx.client, ctx.discovery, 'machines', m.namespace, m.name);
      const node = nodeName ? await getView(ctx.client, ctx.discovery, 'nodes', undefined, nodeName) : undefined;
      const before = new Set((ctx.memory.siblingsBefore as string[] | undefined) ?? []);
      const replacement = (await siblings(ctx)).filter((s) => !before.has(s.name)).sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''))[0];
      if (replacement && ctx.memory.replacement !== replacement.name) await ctx.remember('replacement', replacement.name);
      const replacementNode = replacement?.nodeName ? await getView(ctx.client, ctx.discovery, 'nodes', undefined, replacement.nodeName) : undefined;
      const parts: string[] = [];
      const details: string[] = [];
      if (old) {
        parts.push(`Machine ${old.name} ${old.deleting ? machineSummary(old) : old.phase}`);
        const drain = timer(ctx, 'draining', old.drainStartedAt, old.nodeDrainSeconds);
        const volumes = timer(ctx, 'waiting for volume detach', old.volumeDetachStartedAt, old.nodeVolumeDetachSeconds);
        if (drain) parts.push(drain);
        if (volumes) parts.push(volumes);
        for (const c of [...old.conditions, ...old.legacyConditions].filter((c) => c.message && (c.type === 'Deleting' || c.status === 'False'))) details.push(`${c.type}: ${c.message!.split('\n').join(' | ')}`);
        const events = (await eventsFor(ctx.client, m.namespace, m.name)).filter((e) => e.type === 'Warning').slice(-3);
        for (const e of events) details.push(`event ${e.reason}: ${e.message}`);
      } else parts.push(`Machine ${m.name} gone`);
      parts.push(node ? `Node ${node.name} still there (Ready=${node.ready})` : `Node ${nodeName ?? '-'} gone`);
      const owner = ctx.memory.owner as OwnerRef;
      if (owner) parts.push(replacement ? `replacement ${replacement.name} ${replacement.phase}${replacementNode ? `, node ${replacementNode.ready === 'True' ? 'Ready' : 'not Ready'}` : ''}` : 'no replacement yet');
      const replaced = !owner || (replacement?.phase === 'Running' && replacementNode?.ready === 'True');
      return { ok: !old && !node && replaced, text: parts.join('; '), details };
    },
  },
};

/** Step 5: what was lost with the node. */
export const summary: Step<RecoverParams> = {
  id: 'summary',
  title: 'Summary: Prow jobs lost with the node',
  confirm: false,
  async preview(ctx) {
    const jobs = (ctx.memory.prowJobs as { job: string; id: string; pulls: string[]; url?: string }[] | undefined) ?? [];
    if (ctx.planning) return stepPlan({ summary: `the Prow jobs that were running on the node (${jobs.length} now) and the replacement's name (known after step 4)` });
    const states = new Map((await listViews(ctx.client, ctx.discovery, 'prowJobs', { namespace: ctx.profile.prowNamespace }).catch(() => [])).map((j) => [j.name, j.state]));
    const lines = [
      `lost node: ${String(ctx.memory.node ?? '-')}, replacement: ${String(ctx.memory.replacement ?? 'none')}`,
      `Prow jobs that were running there (${jobs.length}); they fail and are not restarted — re-run them (e.g. /retest on the PR):`,
      ...jobs.map((j) => `  ${j.job} ${j.id} ${j.pulls.join(' ') || '(no PR: periodic or postsubmit)'} state ${states.get(j.id) ?? 'gone'}${j.url ? ` ${j.url}` : ''}`),
    ];
    return stepPlan({ summary: `${jobs.length} Prow job(s) to re-run`, lines });
  },
};

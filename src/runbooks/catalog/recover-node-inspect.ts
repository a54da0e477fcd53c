// recover-node step 1, read-only: the node (conditions, last heartbeat, taints), its Machine and owner, the
// OpenStack server behind it, and what is still bound to it — Prow job pods by job name, DaemonSet pods (CAPI's
// drain skips them), and the risky ones, each of which must be acknowledged: telling CAPI to stop waiting for a
// drain is dangerous for workloads that must not run twice (the pod may still run on a node that stopped reporting).
// @see /work/shared/reference/operations.md ("Recover a failed node"), cluster-apis.md §1.4, §5.1
import { humanAge } from '../../format/duration.js';
import { serverIdFromProviderID } from '../../kube/capo.js';
import { listViews, podsOnNode, volumeAttachmentsOn } from '../../kube/runbook-reads.js';
import { stepPlan } from '../preview.js';
import type { Acknowledgement, JsonValue, Step } from '../types.js';
import { ownerText, resolveTarget, siblings, targetMemory, type RecoverParams } from './recover-node-target.js';

const riskText: Record<string, string> = {
  statefulset: 'a StatefulSet pod (must not run twice)',
  'single-replica': 'the only replica of its Deployment',
  volumes: 'has persistent volumes',
  'no-controller': 'has no controller (nothing recreates it)',
};

/** Step 1: inspect. */
export const inspect: Step<RecoverParams> = {
  id: 'inspect',
  title: 'Inspect the node, its Machine and what runs there',
  async preview(ctx) {
    const target = await resolveTarget(ctx);
    const { machine, node, owner } = target;
    if (!ctx.memory.machine) for (const [key, value] of Object.entries(targetMemory(target))) await ctx.remember(key, value);
    // The replacement is the sibling that was not there before anything changed: remembered here, not when step 4
    // starts, because the Machine may be gone and already replaced by then (a deletion that finished while step 2
    // was previewed again after a 409), and step 4 would then take the replacement for an old sibling.
    if (!ctx.planning && !ctx.memory.siblingsBefore) await ctx.remember('siblingsBefore', (await siblings(ctx)).map((s) => s.name));
    const lines: string[] = [];
    const warnings: string[] = [];
    const acknowledgements: Acknowledgement[] = [];
    const now = ctx.now();
    if (node) {
      const heartbeat = node.lastHeartbeat ? `${humanAge(now - Date.parse(node.lastHeartbeat))} ago` : 'never';
      lines.push(`Node ${node.name}: Ready=${node.ready}${node.readyReason ? ` (${node.readyReason}${node.readyMessage ? `: ${node.readyMessage}` : ''})` : ''}, last heartbeat ${heartbeat}`);
      lines.push(`  taints: ${node.taints.map((t) => `${t.key}:${t.effect}`).join(', ') || 'none'}${node.unschedulable ? ' (cordoned)' : ''}`);
      if (node.ready === 'True') warnings.push(`node ${node.name} is Ready: its kubelet still reports; deleting its Machine evicts its pods normally`);
    } else lines.push(`Node: ${machine.nodeName ?? 'none'} (no Node object: drain and volume wait are skipped by CAPI)`);
    lines.push(`Machine ${machine.namespace}/${machine.name}: phase ${machine.phase}${machine.deleting ? `, deleting since ${machine.deleting}` : ''}`);
    lines.push(`  owner: ${ownerText(owner)}`);
    if (owner.kind === 'none') acknowledgements.push({ id: 'no-owner', text: `Machine ${machine.name} has no owner: deleting it removes the node for good, nothing replaces it` });
    if (owner.kind === 'KubeadmControlPlane') {
      const replicas = owner.view.desired ?? 1;
      warnings.push(`control-plane machine of ${owner.view.name} (${replicas} replica${replicas > 1 ? 's' : ''}): ${replicas < 3 ? 'etcd has no quorum to spare — the API may be unavailable until the replacement joins' : 'etcd keeps quorum only while the other members are healthy'}`);
    }
    const uuid = serverIdFromProviderID(machine.providerID ?? node?.providerID);
    if (uuid) lines.push(`OpenStack server ${uuid}:`, `  openstack server show ${uuid}`, `  openstack server stop ${uuid}   # makes sure nothing on it still runs`);
    const nodeName = node?.name ?? machine.nodeName;
    const jobs: JsonValue[] = [];
    if (nodeName) {
      const pods = await podsOnNode(ctx.client, nodeName);
      const prowJobs = new Map((await listViews(ctx.client, ctx.discovery, 'prowJobs', { namespace: ctx.profile.prowNamespace }).catch(() => [])).map((j) => [j.name, j]));
      const byJob = new Map<string, string[]>();
      for (const { pod } of pods.filter((p) => p.pod.job)) {
        byJob.set(pod.job!.job, [...(byJob.get(pod.job!.job) ?? []), pod.name]);
        const pj = prowJobs.get(pod.job!.prowJobId);
        jobs.push({ job: pod.job!.job, id: pod.job!.prowJobId, pulls: (pj?.pulls ?? []).map((p) => `${pj?.org ?? '?'}/${pj?.repo ?? '?'}#${p.number}`), ...(pj?.url ? { url: pj.url } : {}) });
      }
      lines.push(`Prow job pods: ${byJob.size ? [...byJob].map(([job, names]) => `${job} ×${names.length}`).join(', ') : 'none'}`);
      lines.push(`DaemonSet pods (CAPI's drain skips them): ${pods.filter((p) => p.daemonSet).length}`);
      const risky = pods.filter((p) => p.risks.length);
      lines.push(`Risky pods: ${risky.length || 'none'}`);
      for (const { pod, risks, claims } of risky) {
        const text = `${pod.namespace}/${pod.name}: ${risks.map((r) => riskText[r]).join(', ')}${claims.length ? ` (claims ${claims.join(', ')})` : ''}`;
        lines.push(`  ${text}`);
        acknowledgements.push({ id: `pod:${pod.namespace}/${pod.name}`, text: `${text} — it may still run on the unreachable node while a replacement starts` });
      }
      const attachments = await volumeAttachmentsOn(ctx.client, nodeName);
      lines.push(`VolumeAttachments on the node: ${attachments.join(', ') || 'none'}`);
      for (const va of attachments) acknowledgements.push({ id: `volume:${va}`, text: `volume ${va} is attached to ${nodeName}: with the volume-detach timeout CAPI deletes the machine without waiting for it to detach` });
    }
    if (!ctx.memory.prowJobs) await ctx.remember('prowJobs', jobs);
    return stepPlan({ summary: `${nodeName ?? machine.name}: Machine ${machine.name}, owner ${owner.kind}`, lines, warnings, acknowledgements });
  },
};

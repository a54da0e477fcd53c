// What each runbook would act on right now, from the live model: the nodes that are not ready (recover-node), the
// worker pool against the jobs waiting for room (scale-md) and the bastion with its image (bastion-swap). Each
// target carries the request its key would make, or why there is nothing to do.
import type { BastionImage, ClusterModel } from '../../kube/types.js';
import type { RolloutRow } from '../../store/screen-data.js';
import type { RunbookId } from '../../store/shell-store.js';
import type { Tone } from '../theme.js';
import { bastionSwapRequest, recoverNodeRequest, scaleRequest, type NewRequest } from './requests.js';

/** One line of the Runbooks screen. */
export interface RunbookTarget {
  id: RunbookId;
  key: string;
  /** e.g. "1 node not ready: prow-md-0-xx8k7 — recover?" */
  text: string;
  tone: Tone;
  /** What the key requests; undefined when there is nothing to act on. */
  request?: NewRequest;
  /** scale-md: the MachineDeployment and its replicas now, so `-` can ask for one less. */
  scale?: { md: { namespace: string; name: string }; replicas: number };
}

/** What the targets are computed from. */
export interface TargetInput {
  model: ClusterModel;
  machineDeployments: readonly RolloutRow[];
  pendingJobs: number;
  /** Reasons for missing API families (Cluster API, CAPO), if missing. */
  missing: { capi?: string; capo?: string };
}

/** A bastion image in words: its name, id or filter. */
export function imageText(image: BastionImage): string | undefined {
  switch (image.kind) {
    case 'name':
    case 'imageRef':
      return image.name;
    case 'id':
      return image.id;
    case 'filter':
      return image.name ?? (image.tags?.length ? `tags ${image.tags.join(',')}` : undefined);
    case 'unset':
      return undefined;
  }
}

function recoverTarget({ model, missing }: TargetInput): RunbookTarget {
  const base = { id: 'recover-node' as const, key: 'R' };
  if (missing.capi) return { ...base, text: `no Machine can replace a node — ${missing.capi}`, tone: 'muted' };
  const notReady = [...model.nodes.values()].filter((n) => n.ready !== 'True').sort((a, b) => a.name.localeCompare(b.name));
  if (notReady.length === 0) return { ...base, text: `all ${model.nodes.size} nodes ready — nothing to recover`, tone: 'ok' };
  const first = notReady[0]!;
  const machine = [...model.machines.values()].find((m) => m.nodeName === first.name);
  const names = notReady.map((n) => n.name).join(', ');
  return {
    ...base,
    text: `${notReady.length} node${notReady.length > 1 ? 's' : ''} not ready: ${names} — recover${notReady.length > 1 ? ` ${first.name}` : ''}?`,
    tone: 'error',
    request: recoverNodeRequest(first.name, machine),
  };
}

function scaleTarget({ machineDeployments, pendingJobs, missing }: TargetInput): RunbookTarget {
  const base = { id: 'scale-md' as const, key: '+/-' };
  if (missing.capi) return { ...base, text: `no MachineDeployment to scale — ${missing.capi}`, tone: 'muted' };
  const md = machineDeployments[0];
  if (!md) return { ...base, text: 'no MachineDeployment in the cluster', tone: 'muted' };
  const desired = md.desired ?? md.replicas ?? 0;
  const more = machineDeployments.length > 1 ? ` (+${machineDeployments.length - 1} more on the Machines screen)` : '';
  const waiting = pendingJobs > 0 ? `${pendingJobs} job${pendingJobs > 1 ? 's' : ''} pending — scale?` : 'no jobs pending';
  return {
    ...base,
    text: `${md.name} at ${md.ready ?? 0}/${desired}, ${waiting}${more}`,
    tone: pendingJobs > 0 ? 'warn' : 'ok',
    request: scaleRequest(md, desired + 1),
    scale: { md: { namespace: md.namespace, name: md.name }, replicas: desired },
  };
}

function bastionTarget({ model, missing }: TargetInput): RunbookTarget {
  const base = { id: 'bastion-swap' as const, key: 'B' };
  if (missing.capo) return { ...base, text: `no bastion to swap — ${missing.capo}`, tone: 'muted' };
  const cluster = [...model.openstackClusters.values()].sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!cluster) return { ...base, text: 'no OpenStackCluster in the cluster', tone: 'muted' };
  const image = imageText(cluster.bastion.image);
  const request = bastionSwapRequest(cluster, image);
  if (!cluster.bastion.enabled) return { ...base, text: `bastion disabled on OpenStackCluster ${cluster.name}`, tone: 'warn', request };
  const address = cluster.bastion.floatingIP ?? 'without a floating IP yet';
  const state = cluster.bastion.state && cluster.bastion.state !== 'ACTIVE' ? ` (${cluster.bastion.state})` : '';
  return { ...base, text: `bastion ${address} running image ${image ?? '(unset)'}${state}`, tone: state ? 'warn' : 'normal', request };
}

/** The three runbooks' targets, in catalog order. */
export function runbookTargets(input: TargetInput): RunbookTarget[] {
  return [recoverTarget(input), scaleTarget(input), bastionTarget(input)];
}

/** What each runbook does, in steps, for the detail pane. */
export const runbookSteps: Record<RunbookId, string[]> = {
  'recover-node': [
    'inspect the node, its Machine and owner, and what still runs there (Prow job pods by job name)',
    'set the drain and volume-detach timeouts on the Machine (default 10m and 15m)',
    'delete the Machine (dangerous), then follow the drain and the replacement until the new node is Ready',
    'list the Prow jobs that ran on the lost node so they can be re-run',
  ],
  'scale-md': [
    'show desired/ready/available, node usage and the job pods waiting for room',
    'enter the new replica count (scale-in and scale to zero are dangerous)',
    'patch the /scale subresource with a precondition, then follow new nodes to Ready',
  ],
  'bastion-swap': [
    'add your public IP to the API load balancer allow-list and verify direct API access',
    'disable the bastion, then enable it again with the (new) image',
    'trust the new host key, reopen the tunnel, remove the temporary allow-list entry',
  ],
};

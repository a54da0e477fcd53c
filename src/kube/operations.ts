// The changes runbooks and screens make, planned through the adapters so that each patch has the shape the
// discovered API version expects. All are plan halves (read-only); applyPlan() in actions.ts sends them.
// @see /work/shared/reference/operations.md (recover a node, bastion swap, scale-out)
import { planAnnotate, planDelete, planPatch, planScale, resourceRef, type ActionPlan } from './actions.js';
import { capiLabels, capiPathsFor, timeoutsPatch } from './capi.js';
import { allowedCidrsPatch, bastionEnabledPatch, bastionImagePatch, capoPathsFor } from './capo.js';
import type { Discovery } from './discovery.js';
import { KubeError } from './errors.js';
import { abortPatch, finalStates } from './prow.js';
import type { BastionImage, DeletionTimeouts, MachineView, NodeView, OpenStackClusterView, ProwJobView, RolloutOwnerView } from './types.js';

/** Dry-run flag shared by every planner. */
export interface PlanOptions {
  dryRun?: boolean;
}

function version(discovery: Discovery, family: 'capi' | 'capo'): string {
  const support = discovery.families[family];
  if (!support.installed) throw new KubeError('not-found', support.reason);
  return support.version;
}

/** Sets a Machine's drain / volume-detach / node-deletion timeouts (before deleting an unreachable node's Machine). */
export function planMachineTimeouts(discovery: Discovery, machine: MachineView, timeouts: DeletionTimeouts, options: PlanOptions = {}): ActionPlan {
  const patch = timeoutsPatch(capiPathsFor(version(discovery, 'capi')).machineTimeouts, timeouts);
  return planPatch(resourceRef('machines', discovery, machine.namespace, machine.name), { type: 'merge', patch }, { ...options, resourceVersion: machine.resourceVersion });
}

/** Deletes a Machine, conditional on it being the one previewed (uid and resourceVersion). */
export function planDeleteMachine(discovery: Discovery, machine: MachineView, options: PlanOptions = {}): ActionPlan {
  return planDelete(resourceRef('machines', discovery, machine.namespace, machine.name), { ...options, uid: machine.uid, resourceVersion: machine.resourceVersion });
}

/** Marks a Machine as the one to remove on the next scale-down (presence-only annotation). */
export function planMarkMachineForDeletion(discovery: Discovery, machine: MachineView, options: PlanOptions = {}): ActionPlan {
  return planAnnotate(resourceRef('machines', discovery, machine.namespace, machine.name), { [capiLabels.deleteMachine]: 'yes' }, { ...options, resourceVersion: machine.resourceVersion });
}

/** Scales a MachineDeployment through /scale, conditional on the previewed resourceVersion. */
export function planScaleMachineDeployment(discovery: Discovery, md: RolloutOwnerView, replicas: number, options: PlanOptions = {}): ActionPlan {
  return planScale(resourceRef('machineDeployments', discovery, md.namespace, md.name), replicas, { ...options, resourceVersion: md.resourceVersion });
}

/** Replaces the API load balancer's allowed CIDRs (the user list; CAPO adds bastion and cluster addresses). */
export function planAllowedCidrs(discovery: Discovery, cluster: OpenStackClusterView, cidrs: readonly string[], options: PlanOptions = {}): ActionPlan {
  const patch = allowedCidrsPatch(capoPathsFor(version(discovery, 'capo')), cidrs);
  return planPatch(resourceRef('openstackClusters', discovery, cluster.namespace, cluster.name), { type: 'merge', patch }, { ...options, resourceVersion: cluster.resourceVersion });
}

/** Enables or disables the bastion. */
export function planBastionEnabled(discovery: Discovery, cluster: OpenStackClusterView, enabled: boolean, options: PlanOptions = {}): ActionPlan {
  return planPatch(resourceRef('openstackClusters', discovery, cluster.namespace, cluster.name), { type: 'merge', patch: bastionEnabledPatch(enabled) }, { ...options, resourceVersion: cluster.resourceVersion });
}

/** Sets the bastion image in the shape the CAPO version takes (string or ImageParam). */
export function planBastionImage(discovery: Discovery, cluster: OpenStackClusterView, image: Exclude<BastionImage, { kind: 'unset' }>, options: PlanOptions = {}): ActionPlan {
  const patch = bastionImagePatch(capoPathsFor(version(discovery, 'capo')), image);
  return planPatch(resourceRef('openstackClusters', discovery, cluster.namespace, cluster.name), { type: 'merge', patch }, { ...options, resourceVersion: cluster.resourceVersion });
}

/** Aborts a ProwJob as Deck does; refused for jobs that already finished. */
export function planAbortProwJob(discovery: Discovery, job: ProwJobView, description: string, options: PlanOptions = {}): ActionPlan {
  if (finalStates.has(job.state)) throw new KubeError('invalid', `ProwJob ${job.name} (${job.job}) already finished: ${job.state}`);
  return planPatch(resourceRef('prowJobs', discovery, job.namespace, job.name), { type: 'merge', patch: abortPatch(description) }, { ...options, resourceVersion: job.resourceVersion });
}

/** Cordons (true) or uncordons (false) a node. */
export function planCordon(discovery: Discovery, node: NodeView, unschedulable: boolean, options: PlanOptions = {}): ActionPlan {
  return planPatch(resourceRef('nodes', discovery, undefined, node.name), { type: 'merge', patch: { spec: { unschedulable } } }, { ...options, resourceVersion: node.resourceVersion });
}

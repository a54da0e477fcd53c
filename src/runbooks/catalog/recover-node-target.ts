// recover-node's target: the node and its Machine (by nodeRef, else by the OpenStack server UUID in providerID),
// and the Machine's owner — the MachineDeployment (through its MachineSet) or KubeadmControlPlane that replaces it,
// or none. Once resolved, the names are remembered so later steps follow them after they are gone.
// @see /work/shared/reference/cluster-apis.md §1.5 (labels linking objects), §2.6 (providerID formats)
import { getView } from '../../kube/actions.js';
import { capiLabels } from '../../kube/capi.js';
import { serverIdFromProviderID } from '../../kube/capo.js';
import { listViews, type TimeoutTarget } from '../../kube/runbook-reads.js';
import type { MachineView, NodeView, RolloutOwnerView } from '../../kube/types.js';
import type { JsonValue, RunContext } from '../types.js';

/** Parameters of recover-node after validation (drain/volume in seconds). */
export interface RecoverParams {
  node?: string;
  machine?: string;
  namespace?: string;
  drainTimeout: number;
  volumeTimeout: number;
}

/** A recover-node step's context. */
export type RecoverCtx = RunContext<RecoverParams>;

/** Who replaces the Machine when it is deleted. */
export type Owner =
  | { kind: 'MachineDeployment' | 'KubeadmControlPlane'; view: RolloutOwnerView; via?: string }
  | { kind: 'MachineSet'; name: string }
  | { kind: 'none' };

/** What the runbook acts on. */
export interface Target {
  machine: MachineView;
  node?: NodeView;
  owner: Owner;
}

/** The Machine of a node: nodeRef first, then the server UUID of providerID (the CCM writes the node's). */
function machineOfNode(node: string, providerID: string | undefined, machines: readonly MachineView[]): MachineView | undefined {
  const uuid = serverIdFromProviderID(providerID);
  return machines.find((m) => m.nodeName === node) ?? (uuid ? machines.find((m) => serverIdFromProviderID(m.providerID) === uuid) : undefined);
}

/** The owner that replaces a Machine. */
export async function ownerOf(ctx: RecoverCtx, machine: MachineView): Promise<Owner> {
  const ns = machine.namespace;
  const owner = machine.owner;
  if (owner?.kind === 'KubeadmControlPlane' || (!owner && machine.controlPlaneName)) {
    const name = owner?.name ?? machine.controlPlaneName!;
    const view = (await listViews(ctx.client, ctx.discovery, 'controlPlanes', { namespace: ns })).find((c) => c.name === name);
    return view ? { kind: 'KubeadmControlPlane', view } : { kind: 'none' };
  }
  if (owner?.kind === 'MachineSet') {
    const ms = (await listViews(ctx.client, ctx.discovery, 'machineSets', { namespace: ns })).find((s) => s.name === owner.name);
    const mdName = machine.deploymentName ?? ms?.deploymentName;
    const md = mdName ? (await listViews(ctx.client, ctx.discovery, 'machineDeployments', { namespace: ns })).find((d) => d.name === mdName) : undefined;
    return md ? { kind: 'MachineDeployment', view: md, via: owner.name } : { kind: 'MachineSet', name: owner.name };
  }
  return { kind: 'none' };
}

/**
 * The name of the Machine step 1 remembered when it is gone by the time a later step previews (its deletion
 * finished), else undefined; never while planning, where nothing is remembered from a live run.
 */
export async function rememberedMachineGone(ctx: RecoverCtx): Promise<string | undefined> {
  const remembered = ctx.memory.machine as { namespace: string; name: string } | undefined;
  if (!remembered || ctx.planning) return undefined;
  return (await getView(ctx.client, ctx.discovery, 'machines', remembered.namespace, remembered.name)) ? undefined : remembered.name;
}

/** Resolves the target from the parameters (or from what step 1 remembered); throws when it cannot be found. */
export async function resolveTarget(ctx: RecoverCtx): Promise<Target> {
  const remembered = ctx.memory.machine as { namespace: string; name: string } | undefined;
  let machine: MachineView | undefined;
  let node: NodeView | undefined;
  if (remembered) {
    machine = await getView(ctx.client, ctx.discovery, 'machines', remembered.namespace, remembered.name);
    if (!machine) throw new Error(`Machine ${remembered.namespace}/${remembered.name} is gone`);
  } else if (ctx.params.machine) {
    const all = await listViews(ctx.client, ctx.discovery, 'machines', ctx.params.namespace ? { namespace: ctx.params.namespace } : {});
    machine = all.find((m) => m.name === ctx.params.machine);
    if (!machine) throw new Error(`Machine ${ctx.params.machine} not found${ctx.params.namespace ? ` in ${ctx.params.namespace}` : ''}`);
  } else {
    node = await getView(ctx.client, ctx.discovery, 'nodes', undefined, ctx.params.node!);
    if (!node) throw new Error(`node ${ctx.params.node} not found`);
    machine = machineOfNode(node.name, node.providerID, await listViews(ctx.client, ctx.discovery, 'machines'));
    if (!machine) throw new Error(`no Machine found for node ${node.name} (by nodeRef or providerID): is it a CAPI node?`);
  }
  if (!node && machine.nodeName) node = await getView(ctx.client, ctx.discovery, 'nodes', undefined, machine.nodeName);
  return { machine, ...(node ? { node } : {}), owner: await ownerOf(ctx, machine) };
}

/** The owner's template as a timeouts target (MachineDeployment or KCP), if it has one. */
export function templateTarget(owner: Owner): TimeoutTarget | undefined {
  if (owner.kind !== 'MachineDeployment' && owner.kind !== 'KubeadmControlPlane') return undefined;
  return { kind: owner.kind, namespace: owner.view.namespace, name: owner.view.name, resourceVersion: owner.view.resourceVersion };
}

/** The owner in words. */
export function ownerText(owner: Owner): string {
  switch (owner.kind) {
    case 'MachineDeployment': return `MachineDeployment ${owner.view.name}${owner.via ? ` (through MachineSet ${owner.via})` : ''}: it will be replaced`;
    case 'KubeadmControlPlane': return `KubeadmControlPlane ${owner.view.name}: a control-plane machine, KCP replaces it`;
    case 'MachineSet': return `MachineSet ${owner.name} (no MachineDeployment): it will be replaced`;
    case 'none': return 'none: this Machine will NOT be replaced';
  }
}

/** The remembered identity of the target, for later steps. */
export function targetMemory(target: Target): Record<string, JsonValue> {
  return {
    machine: { namespace: target.machine.namespace, name: target.machine.name, uid: target.machine.uid },
    node: target.node?.name ?? target.machine.nodeName ?? null,
    owner: target.owner.kind === 'MachineDeployment' || target.owner.kind === 'KubeadmControlPlane' ? { kind: target.owner.kind, name: target.owner.view.name } : target.owner.kind === 'MachineSet' ? { kind: 'MachineSet', name: target.owner.name } : null,
  };
}

/** Machines of the same owner (by label), the remembered one excluded. */
export async function siblings(ctx: RecoverCtx): Promise<MachineView[]> {
  const m = ctx.memory.machine as { namespace: string; name: string };
  const owner = ctx.memory.owner as { kind: string; name: string } | null;
  if (!owner) return [];
  const label = owner.kind === 'KubeadmControlPlane' ? capiLabels.controlPlaneName : owner.kind === 'MachineSet' ? capiLabels.setName : capiLabels.deploymentName;
  const list = await listViews(ctx.client, ctx.discovery, 'machines', { namespace: m.namespace, labelSelector: `${label}=${owner.name}` });
  return list.filter((x) => x.name !== m.name);
}

// Questions several CAPI controllers ask about a Machine, answered from the shared caches: is its Node Ready (old
// v1beta1 "ready" semantics), is the Machine Ready (new v1beta2 semantics: provisioned, node healthy, not
// deleting), and is it up to date with its owner's template (MachineDeployment hash or KCP version + template).
import { capiAnnotations, capiLabels, controllerOf, kcpInfraRefPath, nodeRefName, templateForHash } from '../content/capi.js';
import { templateHash } from '../content/names.js';
import { getPath, isObject, type KubeObject } from '../objects.js';
import type { ControllerEnv } from './env.js';

/** The status of a condition of a Node (`Ready`, `MemoryPressure`, …). */
export function nodeCondition(node: KubeObject | undefined, type: string): { status?: string; reason?: string; message?: string } | undefined {
  const list = getPath(node, 'status.conditions');
  const found = Array.isArray(list) ? list.find((c) => isObject(c) && c.type === type) : undefined;
  return isObject(found) ? (found as { status?: string; reason?: string; message?: string }) : undefined;
}

/** Node Ready=True. */
export function isNodeReady(node: KubeObject | undefined): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** Node Ready=True and no memory, disk or PID pressure (CAPI's NodeHealthy). */
export function isNodeHealthy(node: KubeObject | undefined): boolean {
  return isNodeReady(node) && ['MemoryPressure', 'DiskPressure', 'PIDPressure'].every((t) => nodeCondition(node, t)?.status !== 'True');
}

/** The Node of a Machine, from the cache. */
export function nodeOf(env: ControllerEnv, machine: KubeObject): KubeObject | undefined {
  const name = nodeRefName(machine);
  return name ? env.informers.of(env.kinds.nodes).get(name) : undefined;
}

/** Old-semantics readiness: the Machine's Node is Ready (v1beta1 readyReplicas). */
export function machineNodeReady(env: ControllerEnv, machine: KubeObject): boolean {
  return isNodeReady(nodeOf(env, machine));
}

/** New-semantics readiness (v1beta2 Ready condition): infrastructure provisioned, Node healthy, not being deleted. */
export function machineReady(env: ControllerEnv, machine: KubeObject): boolean {
  if (machine.metadata.deletionTimestamp) return false;
  return isNodeHealthy(nodeOf(env, machine));
}

/**
 * Availability as the Machine itself reports it: its (new-style) Available condition, which the Machine controller
 * writes from the Node. Rollouts count this, as CAPI ≥ 1.11 does, so a rollout never runs ahead of what the
 * Machines show.
 */
export function machineAvailable(env: ControllerEnv, machine: KubeObject): boolean {
  if (machine.metadata.deletionTimestamp) return false;
  const list = getPath(machine, env.scenario.capi === 'v1beta2' ? 'status.conditions' : 'status.v1beta2.conditions');
  return Array.isArray(list) && list.some((c) => isObject(c) && c.type === 'Available' && c.status === 'True');
}

/** The template hash a MachineDeployment's current template has. */
export function machineDeploymentHash(env: ControllerEnv, md: KubeObject): string {
  return templateHash(templateForHash(env.scenario.capi, getPath(md, 'spec.template.spec')));
}

/** The OpenStackMachineTemplate a Machine's infra machine was cloned from. */
export function clonedFrom(env: ControllerEnv, machine: KubeObject): string | undefined {
  const infra = env.informers.of(env.kinds.openStackMachines).get(String(getPath(machine, 'spec.infrastructureRef.name')), machine.metadata.namespace);
  return infra?.metadata.annotations?.[capiAnnotations.clonedFromName];
}

/** Whether a Machine matches its owner's desired template (MachineDeployment → MachineSet hash; KCP version + template). */
export function machineUpToDate(env: ControllerEnv, machine: KubeObject): boolean {
  const owner = controllerOf(machine);
  const ns = machine.metadata.namespace;
  if (owner?.kind === 'MachineSet') {
    const ms = env.informers.of(env.kinds.machineSets).get(owner.name, ns);
    const mdRef = ms ? controllerOf(ms) : undefined;
    const md = mdRef ? env.informers.of(env.kinds.machineDeployments).get(mdRef.name, ns) : undefined;
    if (!ms || !md) return true;
    return ms.metadata.labels?.[capiLabels.templateHash] === machineDeploymentHash(env, md);
  }
  if (owner?.kind === 'KubeadmControlPlane') {
    const kcp = env.informers.of(env.kinds.kubeadmControlPlanes).get(owner.name, ns);
    if (!kcp) return true;
    const template = getPath(kcp, `${kcpInfraRefPath(env.scenario.capi)}.name`);
    return getPath(machine, 'spec.version') === getPath(kcp, 'spec.version') && clonedFrom(env, machine) === template;
  }
  return true;
}

/** `a=b,c=d` with sorted keys, as labels.SelectorFromSet(...).String() prints a selector. */
export function selectorString(matchLabels: unknown): string {
  if (!isObject(matchLabels)) return '';
  return Object.keys(matchLabels).sort().map((k) => `${k}=${String(matchLabels[k])}`).join(',');
}

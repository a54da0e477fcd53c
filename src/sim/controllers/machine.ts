// The Machine controller: finalizer, bootstrap and infrastructure readiness, providerID from the OpenStackMachine,
// the Node found by providerID (annotated with its Machine, CAPI's uninitialized taint removed), status and
// conditions in the scenario's API version; deletion in machine-deletion.ts.
// @see kubernetes-sigs/cluster-api internal/controllers/machine/machine_controller.go,
//      machine_controller_noderef.go (reconcileNode), machine_controller_phases.go @v1.11.0
import { capiAnnotations, capiFinalizers, capiLabels, controllerOf, uninitializedTaint } from '../content/capi.js';
import { getPath, type KubeObject } from '../objects.js';
import { addFinalizer, removeFinalizer, writeStatus, type ControllerEnv } from './env.js';
import { reconcileMachineDeletion } from './machine-deletion.js';
import { machineUpToDate } from './machine-health.js';
import { machineStatus } from './machine-status.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';

/** The Node of a Machine: by nodeRef, else the Node whose spec.providerID equals the Machine's. */
function findNode(env: ControllerEnv, m: KubeObject): KubeObject | undefined {
  const nodes = env.informers.of(env.kinds.nodes);
  const ref = getPath(m, 'status.nodeRef.name');
  if (typeof ref === 'string') return nodes.get(ref);
  const providerID = getPath(m, 'spec.providerID');
  if (typeof providerID !== 'string' || !providerID) return undefined;
  return nodes.list(undefined, (n) => getPath(n, 'spec.providerID') === providerID)[0];
}

/** Annotates the Node with its Machine and removes the uninitialized taint (reconcileNode). */
async function syncNode(env: ControllerEnv, m: KubeObject, node: KubeObject): Promise<void> {
  const owner = controllerOf(m);
  const wanted: Record<string, string> = {
    [capiAnnotations.nodeMachine]: m.metadata.name!,
    [capiAnnotations.nodeClusterName]: String(getPath(m, 'spec.clusterName')),
    [capiAnnotations.nodeClusterNamespace]: m.metadata.namespace!,
    ...(owner ? { [capiAnnotations.nodeOwnerKind]: owner.kind, [capiAnnotations.nodeOwnerName]: owner.name } : {}),
  };
  const taints = (getPath(node, 'spec.taints') as { key: string }[] | undefined) ?? [];
  const annotationsOk = Object.entries(wanted).every(([k, v]) => node.metadata.annotations?.[k] === v);
  const tainted = taints.some((t) => t.key === uninitializedTaint.key);
  if (annotationsOk && !tainted) return;
  await env.client.modify(env.kinds.nodes, node.metadata.name!, undefined, (n) => {
    n.metadata.annotations = { ...(n.metadata.annotations ?? {}), ...wanted };
    const spec = (n.spec ?? {}) as Record<string, unknown>;
    const rest = ((spec.taints as { key: string }[] | undefined) ?? []).filter((t) => t.key !== uninitializedTaint.key);
    if (rest.length) spec.taints = rest;
    else delete spec.taints;
    n.spec = spec;
    return n;
  });
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const m = env.informers.of(env.kinds.machines).get(name, namespace);
  if (!m) return;
  const v = env.scenario.capi;
  const infra = env.informers.of(env.kinds.openStackMachines).get(String(getPath(m, 'spec.infrastructureRef.name') ?? ''), namespace);
  const node = findNode(env, m);
  const facts = {
    infra,
    node,
    nodeExpected: getPath(m, 'status.nodeRef.name') !== undefined,
    bootstrapReady: typeof getPath(m, 'spec.bootstrap.dataSecretName') === 'string',
    // Once the infra machine is deleted (during Machine deletion) the last known state is kept.
    infraReady: getPath(infra, 'status.ready') === true || (!infra && (getPath(m, 'status.infrastructureReady') === true || getPath(m, 'status.initialization.infrastructureProvisioned') === true)),
    upToDate: machineUpToDate(env, m),
    nowMs: env.clock.now(),
  };
  if (m.metadata.deletionTimestamp) {
    if (!(m.metadata.finalizers ?? []).includes(capiFinalizers.machine)) return;
    const step = await reconcileMachineDeletion(env, m, node);
    const stored = await writeStatus(env, env.kinds.machines, m, machineStatus(v, m, { ...facts, deletion: step.state }), ['lastUpdated']);
    if (step.finished && stored) await removeFinalizer(env, env.kinds.machines, stored, capiFinalizers.machine);
    return step.requeueAfter !== undefined ? { requeueAfter: step.requeueAfter } : undefined;
  }
  if (!(m.metadata.finalizers ?? []).includes(capiFinalizers.machine)) {
    await addFinalizer(env, env.kinds.machines, m, capiFinalizers.machine);
    return;
  }
  const providerID = getPath(infra, 'spec.providerID');
  if (facts.infraReady && typeof providerID === 'string' && getPath(m, 'spec.providerID') !== providerID) {
    await env.client.patch(env.kinds.machines, name, { spec: { providerID } }, { namespace });
    return;
  }
  if (node) await syncNode(env, m, node);
  await writeStatus(env, env.kinds.machines, m, machineStatus(v, m, facts), ['lastUpdated']);
}

/** Starts the Machine controller. */
export function startMachineController(env: ControllerEnv): Controller {
  const c = new Controller('machine', (key) => reconcile(env, key), env, 4);
  const machines = env.informers.of(env.kinds.machines);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(machines, keyOf, enqueue);
  watchKeys(env.informers.of(env.kinds.openStackMachines), (o) => {
    const owner = controllerOf(o);
    return owner?.kind === 'Machine' ? `${o.metadata.namespace}/${owner.name}` : undefined;
  }, enqueue);
  const machinesOfNode = (nodeName: string, providerID?: unknown) =>
    machines.list(undefined, (m) => getPath(m, 'status.nodeRef.name') === nodeName || (typeof providerID === 'string' && getPath(m, 'spec.providerID') === providerID)).map(keyOf);
  watchKeys(env.informers.of(env.kinds.nodes), (n) => machinesOfNode(n.metadata.name!, getPath(n, 'spec.providerID')), enqueue);
  // A deleting Machine re-checks as soon as a pod leaves or a volume detaches, not only every 20 s.
  const deletingOnNode = (nodeName: unknown) =>
    typeof nodeName === 'string' ? machines.list(undefined, (m) => !!m.metadata.deletionTimestamp && getPath(m, 'status.nodeRef.name') === nodeName).map(keyOf) : [];
  env.informers.of(env.kinds.pods).addHandler({ delete: (p) => deletingOnNode(getPath(p, 'spec.nodeName')).forEach(enqueue) });
  watchKeys(env.informers.of(env.kinds.volumeAttachments), (va) => deletingOnNode(getPath(va, 'spec.nodeName')), enqueue);
  // Owners' templates decide the UpToDate condition.
  watchKeys(env.informers.of(env.kinds.machineDeployments), (md) => machines.list(md.metadata.namespace, (m) => m.metadata.labels?.[capiLabels.deploymentName] === md.metadata.name).map(keyOf), enqueue);
  watchKeys(env.informers.of(env.kinds.kubeadmControlPlanes), (kcp) => machines.list(kcp.metadata.namespace, (m) => m.metadata.labels?.[capiLabels.controlPlaneName] === kcp.metadata.name).map(keyOf), enqueue);
  return c;
}

// The MachineDeployment controller: one MachineSet per template revision (`machine-template-hash`), a rolling update
// with maxSurge/maxUnavailable (default 1/0: one new Machine at a time, an old one removed once the new one is
// available), in-place propagation of deletion timeouts, clean-up of emptied old MachineSets (v1beta2 controllers
// delete them; CAPI 1.10 keeps revisionHistoryLimit=1), and status in the scenario's API version.
// @see kubernetes-sigs/cluster-api internal/controllers/machinedeployment/machinedeployment_rolling.go
//      (reconcileNewMachineSet, reconcileOldMachineSets), machinedeployment_sync.go @v1.11.0
import { capiAnnotations, controllerOf, inPlaceFields, isControlledBy, rolloutOf } from '../content/capi.js';
import { machineSetObject } from '../content/capi-objects.js';
import { nameSuffix } from '../content/names.js';
import { getPath, jsonEqual, type KubeObject } from '../objects.js';
import { deleteIfExists, writeStatus, type ControllerEnv } from './env.js';
import { machineAvailable, machineDeploymentHash, machineNodeReady, machineReady, machineUpToDate, selectorString } from './machine-health.js';
import { replicaStatus } from './replica-status.js';
import { Controller, keyOf, splitKey, waitUntil, watchKeys, type ReconcileResult } from './runtime.js';

const revisionOf = (ms: KubeObject) => Number(ms.metadata.annotations?.[capiAnnotations.revision] ?? 0);
const replicasOf = (ms: KubeObject) => Number(getPath(ms, 'spec.replicas') ?? 0);

async function scale(env: ControllerEnv, ms: KubeObject, replicas: number): Promise<void> {
  if (replicasOf(ms) === replicas) return;
  env.log(`machinedeployment: scaling machineset ${ms.metadata.name} ${replicasOf(ms)} → ${replicas}`);
  await env.client.patch(env.kinds.machineSets, ms.metadata.name!, { spec: { replicas } }, { namespace: ms.metadata.namespace });
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const md = env.informers.of(env.kinds.machineDeployments).get(name, namespace);
  if (!md || md.metadata.deletionTimestamp) return;
  const v = env.scenario.capi;
  const setsCache = env.informers.of(env.kinds.machineSets);
  const sets = setsCache.list(namespace, (ms) => isControlledBy(ms, md) && !ms.metadata.deletionTimestamp);
  const desired = Number(getPath(md, 'spec.replicas') ?? 1);
  const hash = machineDeploymentHash(env, md);
  let newMs = sets.find((ms) => ms.metadata.labels?.['machine-template-hash'] === hash);
  const old = sets.filter((ms) => ms !== newMs).sort((a, b) => revisionOf(a) - revisionOf(b));
  const machines = env.informers.of(env.kinds.machines);
  const machinesOf = (ms: KubeObject) => machines.list(namespace, (m) => isControlledBy(m, ms));
  const available = (ms: KubeObject) => machinesOf(ms).filter((m) => machineAvailable(env, m)).length;

  if (!newMs) {
    const revision = Math.max(0, ...sets.map(revisionOf)) + 1;
    const msName = `${name}-${nameSuffix(env.random)}`;
    const rollout = rolloutOf(v, md, desired);
    const total = old.reduce((n, ms) => n + Math.max(replicasOf(ms), machinesOf(ms).length), 0);
    // The first MachineSet gets everything; a rollout's new one starts within the surge budget.
    const replicas = old.length === 0 ? desired : Math.max(0, Math.min(desired, desired + rollout.maxSurge - total));
    env.log(`machinedeployment ${name}: new machineset ${msName} (revision ${revision}, hash ${hash}, replicas ${replicas})`);
    await env.client.create(env.kinds.machineSets, machineSetObject(v, md, { name: msName, hash, replicas, revision }));
    await env.client.patch(env.kinds.machineDeployments, name, { metadata: { annotations: { [capiAnnotations.revision]: String(revision) } } }, { namespace });
    await waitUntil(() => !!setsCache.get(msName, namespace));
    return;
  }

  // In-place propagation: the deletion timeouts and minReadySeconds go to every MachineSet without a rollout.
  const wanted = inPlaceFields(v, getPath(md, 'spec.template.spec'));
  for (const ms of sets) {
    if (jsonEqual(inPlaceFields(v, getPath(ms, 'spec.template.spec')), wanted)) continue;
    const patch = Object.fromEntries(Object.entries(wanted).map(([k, val]) => [k, val === undefined ? null : val]));
    await env.client.patch(env.kinds.machineSets, ms.metadata.name!, { spec: { template: { spec: patch } } }, { namespace });
  }

  if (old.length === 0) {
    await scale(env, newMs, desired);
  } else {
    const { maxSurge, maxUnavailable } = rolloutOf(v, md, desired);
    // reconcileNewMachineSet: grow the new set within desired + maxSurge, counting machines still being deleted
    // (mdutil.TotalMachineSetsReplicaSum takes max(spec.replicas, status.replicas) per MachineSet).
    const all = sets.reduce((n, ms) => n + Math.max(replicasOf(ms), machinesOf(ms).length), 0);
    if (replicasOf(newMs) > desired) await scale(env, newMs, desired);
    else if (replicasOf(newMs) < desired) {
      const up = Math.min(desired + maxSurge - all, desired - replicasOf(newMs));
      if (up > 0) await scale(env, newMs, replicasOf(newMs) + up);
    }
    newMs = setsCache.get(newMs.metadata.name!, namespace) ?? newMs;
    // reconcileOldMachineSets: shrink old sets while at least desired - maxUnavailable machines stay available.
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = replicasOf(newMs) - available(newMs);
    const maxScaledDown = sets.reduce((n, ms) => n + replicasOf(ms), 0) - minAvailable - newUnavailable;
    if (maxScaledDown > 0) {
      const totalAvailable = sets.reduce((n, ms) => n + available(ms), 0);
      let budget = Math.min(maxScaledDown, totalAvailable - minAvailable);
      for (const ms of old) {
        if (budget <= 0) break;
        const down = Math.min(replicasOf(ms), budget);
        if (down > 0) await scale(env, ms, replicasOf(ms) - down);
        budget -= down;
      }
    }
    // Clean up emptied old MachineSets: CAPI ≥ 1.11 deletes them all; 1.10 keeps revisionHistoryLimit (1).
    const emptied = old.filter((ms) => replicasOf(ms) === 0 && machinesOf(ms).length === 0);
    const keep = v === 'v1beta1' ? Number(getPath(md, 'spec.revisionHistoryLimit') ?? 1) : 0;
    for (const ms of emptied.slice(0, Math.max(0, emptied.length - keep))) {
      env.log(`machinedeployment ${name}: deleting emptied machineset ${ms.metadata.name}`);
      await deleteIfExists(env, env.kinds.machineSets, ms.metadata.name!, namespace);
    }
  }

  const all = sets.flatMap(machinesOf);
  const counts = {
    desired,
    replicas: all.length,
    nodeReady: all.filter((m) => machineNodeReady(env, m)).length,
    ready: all.filter((m) => machineReady(env, m)).length,
    upToDate: all.filter((m) => machineUpToDate(env, m)).length,
    notUpToDate: all.filter((m) => !machineUpToDate(env, m)).map((m) => m.metadata.name!),
    notReady: all.filter((m) => !machineReady(env, m)).map((m) => m.metadata.name!),
    deleting: all.filter((m) => m.metadata.deletionTimestamp).map((m) => m.metadata.name!),
    minAvailable: desired - rolloutOf(v, md, desired).maxUnavailable,
  };
  const phase = counts.replicas < desired ? 'ScalingUp' : counts.replicas > desired ? 'ScalingDown' : counts.nodeReady === desired ? 'Running' : 'ScalingUp';
  const selector = selectorString(getPath(md, 'spec.selector.matchLabels'));
  await writeStatus(env, env.kinds.machineDeployments, md, replicaStatus(v, 'MachineDeployment', md, counts, env.clock.now(), { selector, phase }));
}

/** Starts the MachineDeployment controller. */
export function startMachineDeploymentController(env: ControllerEnv): Controller {
  const c = new Controller('machinedeployment', (key) => reconcile(env, key), env, 1);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.machineDeployments), keyOf, enqueue);
  const mdOfSet = (ms: KubeObject | undefined) => {
    const ref = ms ? controllerOf(ms) : undefined;
    return ref?.kind === 'MachineDeployment' ? `${ms!.metadata.namespace}/${ref.name}` : undefined;
  };
  watchKeys(env.informers.of(env.kinds.machineSets), mdOfSet, enqueue);
  const sets = env.informers.of(env.kinds.machineSets);
  const mdOfMachine = (m: KubeObject) => {
    const ref = controllerOf(m);
    return ref?.kind === 'MachineSet' ? mdOfSet(sets.get(ref.name, m.metadata.namespace)) : undefined;
  };
  watchKeys(env.informers.of(env.kinds.machines), mdOfMachine, enqueue);
  const machines = env.informers.of(env.kinds.machines);
  watchKeys(env.informers.of(env.kinds.nodes), (n) => {
    const m = machines.list(undefined, (x) => getPath(x, 'status.nodeRef.name') === n.metadata.name)[0];
    return m ? mdOfMachine(m) : undefined;
  }, enqueue);
  return c;
}

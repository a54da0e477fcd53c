// The MachineSet controller: keeps `spec.replicas` Machines (deleting ones count, so a replacement appears once a
// deleted Machine is gone, as upstream since PR #3434), creating each Machine with its OpenStackMachine cloned from
// the template and its bootstrap data secret, picking scale-down victims by the deletion order, propagating the
// in-place fields (deletion timeouts) to its Machines, and writing replica counters in the scenario's API version.
// @see kubernetes-sigs/cluster-api internal/controllers/machineset/machineset_controller.go (syncReplicas) @v1.11.0
import { capiLabels, controllerRef, inPlaceFields, isControlledBy, machineSetDeletePolicy, namingTemplate, renderMachineName } from '../content/capi.js';
import { machineObject } from '../content/capi-objects.js';
import { openStackMachineObject } from '../content/capo.js';
import { conditionOf } from '../content/conditions.js';
import { nameSuffix } from '../content/names.js';
import { getPath, jsonEqual, type KubeObject } from '../objects.js';
import { deleteIfExists, writeStatus, type ControllerEnv } from './env.js';
import { machinesToDelete } from './deletion-order.js';
import { machineNodeReady, machineReady, machineUpToDate, selectorString } from './machine-health.js';
import { replicaStatus } from './replica-status.js';
import { Controller, keyOf, splitKey, waitUntil, watchKeys, type ReconcileResult } from './runtime.js';

/** The bootstrap data secret the kubeadm bootstrap provider would write for a Machine. */
function bootstrapSecret(machine: KubeObject, clusterName: string): KubeObject {
  const cloudInit = `## template: jinja\n#cloud-config\nwrite_files: []\nruncmd:\n  - kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml\n`;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: machine.metadata.name, namespace: machine.metadata.namespace, labels: { [capiLabels.clusterName]: clusterName }, ownerReferences: [controllerRef(machine)] },
    type: 'cluster.x-k8s.io/secret',
    data: { value: Buffer.from(cloudInit).toString('base64'), format: Buffer.from('cloud-config').toString('base64') },
  };
}

/** Creates a Machine, its OpenStackMachine and bootstrap secret from an owner's machine template (MachineSet or KCP). */
export async function createMachine(env: ControllerEnv, owner: KubeObject, opts: { name: string; labels: Record<string, string>; annotations?: Record<string, string>; spec: Record<string, unknown> }): Promise<KubeObject> {
  const ns = owner.metadata.namespace!;
  const templateName = String(getPath(opts.spec, 'infrastructureRef.name'));
  const template = env.informers.of(env.kinds.openStackMachineTemplates).get(templateName, ns) ?? (await env.client.get(env.kinds.openStackMachineTemplates, templateName, ns));
  const clusterName = String(getPath(opts.spec, 'clusterName'));
  const machine = machineObject(env.scenario.capi, {
    name: opts.name, namespace: ns, owner, labels: opts.labels, annotations: opts.annotations, spec: opts.spec,
    infraApiVersion: template.apiVersion, bootstrapSecret: opts.name,
  });
  const created = await env.client.create(env.kinds.machines, machine);
  await env.client.create(env.kinds.openStackMachines, openStackMachineObject(template, created, clusterName));
  await env.client.create(env.kinds.secrets, bootstrapSecret(created, clusterName));
  env.log(`${owner.kind.toLowerCase()} ${owner.metadata.name}: created machine ${opts.name}`);
  return created;
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const ms = env.informers.of(env.kinds.machineSets).get(name, namespace);
  if (!ms || ms.metadata.deletionTimestamp) return;
  const v = env.scenario.capi;
  const machinesCache = env.informers.of(env.kinds.machines);
  const machines = machinesCache.list(namespace, (m) => isControlledBy(m, ms));
  const desired = Number(getPath(ms, 'spec.replicas') ?? 1);
  const templateSpec = (getPath(ms, 'spec.template.spec') ?? {}) as Record<string, unknown>;

  // In-place propagation of the deletion timeouts and minReadySeconds to existing Machines.
  const wanted = inPlaceFields(v, templateSpec);
  for (const m of machines) {
    if (m.metadata.deletionTimestamp || jsonEqual(inPlaceFields(v, m.spec), wanted)) continue;
    const patch = Object.fromEntries(Object.entries(wanted).map(([k, val]) => [k, val === undefined ? null : val]));
    await env.client.patch(env.kinds.machines, m.metadata.name!, { spec: patch }, { namespace });
  }

  const diff = machines.length - desired;
  if (diff < 0) {
    const clusterName = String(getPath(ms, 'spec.clusterName'));
    const template = namingTemplate(v, ms) ?? '{{ .machineSet.name }}-{{ .random }}';
    const created: string[] = [];
    for (let i = 0; i < -diff; i++) {
      const machineName = renderMachineName(template, { cluster: clusterName, machineSet: ms.metadata.name!, random: nameSuffix(env.random) });
      const labels = {
        ...((getPath(ms, 'spec.template.metadata.labels') as Record<string, string>) ?? {}),
        [capiLabels.clusterName]: clusterName,
        [capiLabels.setName]: ms.metadata.name!,
        ...(ms.metadata.labels?.[capiLabels.deploymentName] ? { [capiLabels.deploymentName]: ms.metadata.labels[capiLabels.deploymentName]! } : {}),
      };
      const annotations = (getPath(ms, 'spec.template.metadata.annotations') as Record<string, string>) ?? undefined;
      await createMachine(env, ms, { name: machineName, labels, annotations, spec: templateSpec });
      created.push(machineName);
    }
    // waitForMachineCreation: do not act on a cache that has not seen our own writes yet.
    await waitUntil(() => created.every((n) => machinesCache.get(n, namespace)));
    return;
  }
  if (diff > 0) {
    const policy = machineSetDeletePolicy(v, ms);
    const nodeHealthyFalse = (m: KubeObject) => conditionOf(v === 'v1beta2' ? getPath(m, 'status.conditions') : getPath(m, 'status.v1beta2.conditions'), 'NodeHealthy')?.status === 'False';
    const victims = machinesToDelete(machines, diff, policy, (m) => !nodeHealthyFalse(m), env.clock.now());
    for (const m of victims) {
      if (m.metadata.deletionTimestamp) continue;
      env.log(`machineset ${name}: deleting machine ${m.metadata.name} (scale down to ${desired}, policy ${policy})`);
      await deleteIfExists(env, env.kinds.machines, m.metadata.name!, namespace);
    }
  }

  const counts = {
    desired,
    replicas: machines.length,
    nodeReady: machines.filter((m) => machineNodeReady(env, m)).length,
    ready: machines.filter((m) => machineReady(env, m)).length,
    upToDate: machines.filter((m) => machineUpToDate(env, m)).length,
    notUpToDate: machines.filter((m) => !machineUpToDate(env, m)).map((m) => m.metadata.name!),
    notReady: machines.filter((m) => !machineReady(env, m)).map((m) => m.metadata.name!),
    deleting: machines.filter((m) => m.metadata.deletionTimestamp).map((m) => m.metadata.name!),
    minAvailable: desired,
  };
  const selector = selectorString(getPath(ms, 'spec.selector.matchLabels'));
  await writeStatus(env, env.kinds.machineSets, ms, replicaStatus(v, 'MachineSet', ms, counts, env.clock.now(), { selector }));
}

/** Starts the MachineSet controller. */
export function startMachineSetController(env: ControllerEnv): Controller {
  const c = new Controller('machineset', (key) => reconcile(env, key), env, 2);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.machineSets), keyOf, enqueue);
  const ownerKey = (o: KubeObject) => {
    const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'MachineSet');
    return ref ? `${o.metadata.namespace}/${ref.name}` : undefined;
  };
  watchKeys(env.informers.of(env.kinds.machines), ownerKey, enqueue);
  const machines = env.informers.of(env.kinds.machines);
  watchKeys(env.informers.of(env.kinds.nodes), (n) => {
    const m = machines.list(undefined, (x) => getPath(x, 'status.nodeRef.name') === n.metadata.name)[0];
    return m ? ownerKey(m) : undefined;
  }, enqueue);
  return c;
}

// The KubeadmControlPlane controller: control-plane Machines named `prow-control-plane-xxxxx`, one operation at a
// time — scale up (one machine, waiting for the previous to be Ready), scale down, and a rolling update when a
// machine's version or infrastructure template differs from the KCP (surge 1: create an up-to-date machine, then
// delete the oldest outdated one once every machine is Ready). It puts its pre-terminate hook on each machine and
// lifts it once the machine is drained (after "removing the etcd member"), as KCP does.
// @see kubernetes-sigs/cluster-api controlplane/kubeadm/internal/controllers/controller.go, scale.go, upgrade.go @v1.11.0
import { capiAnnotations, capiLabels, inPlaceFields, isControlledBy, kcpInfraRefPath, kcpMachineSpecPath, namingTemplate, renderMachineName } from '../content/capi.js';
import { conditionOf } from '../content/conditions.js';
import { nameSuffix } from '../content/names.js';
import { clone, getPath, jsonEqual, type KubeObject } from '../objects.js';
import { deleteIfExists, writeStatus, type ControllerEnv } from './env.js';
import { createMachine } from './machine-set.js';
import { machineNodeReady, machineReady, machineUpToDate, selectorString } from './machine-health.js';
import { replicaStatus } from './replica-status.js';
import { Controller, keyOf, splitKey, waitUntil, watchKeys, type ReconcileResult } from './runtime.js';

/** The Machine spec KCP stamps out: version, infrastructure template, bootstrap reference and the in-place fields. */
function machineSpec(env: ControllerEnv, kcp: KubeObject): Record<string, unknown> {
  const v = env.scenario.capi;
  const clusterName = kcp.metadata.labels?.[capiLabels.clusterName] ?? env.scenario.clusterName;
  const inPlace = inPlaceFields(v, getPath(kcp, kcpMachineSpecPath(v)));
  const spec: Record<string, unknown> = {
    clusterName,
    version: getPath(kcp, 'spec.version'),
    // machineObject points configRef at the machine's own KubeadmConfig (same name as the Machine).
    bootstrap: { configRef: v === 'v1beta1' ? { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1', kind: 'KubeadmConfig', name: kcp.metadata.name, namespace: kcp.metadata.namespace } : { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: kcp.metadata.name } },
    infrastructureRef: clone(getPath(kcp, kcpInfraRefPath(v))),
    failureDomain: 'nova',
  };
  for (const [k, val] of Object.entries(inPlace)) if (val !== undefined) spec[k] = val;
  return spec;
}

/** A deleting machine whose drain and volume wait are done is left only with KCP's hook: lift it (etcd member removed). */
function waitsOnlyForHook(m: KubeObject): boolean {
  const list = getPath(m, 'status.conditions') ?? [];
  const nested = getPath(m, 'status.v1beta2.conditions');
  const deleting = conditionOf(Array.isArray(nested) ? nested : list, 'Deleting');
  return deleting?.reason === 'WaitingForPreTerminateHook';
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const kcp = env.informers.of(env.kinds.kubeadmControlPlanes).get(name, namespace);
  if (!kcp || kcp.metadata.deletionTimestamp) return;
  const v = env.scenario.capi;
  const machinesCache = env.informers.of(env.kinds.machines);
  const machines = machinesCache.list(namespace, (m) => isControlledBy(m, kcp));
  const desired = Number(getPath(kcp, 'spec.replicas') ?? 1);
  const active = machines.filter((m) => !m.metadata.deletionTimestamp);
  const deleting = machines.filter((m) => m.metadata.deletionTimestamp);

  for (const m of deleting) {
    if (capiAnnotations.kcpCleanupHook in (m.metadata.annotations ?? {}) && waitsOnlyForHook(m)) {
      env.log(`kcp ${name}: etcd member of ${m.metadata.name} removed; lifting the pre-terminate hook`);
      await env.client.patch(env.kinds.machines, m.metadata.name!, { metadata: { annotations: { [capiAnnotations.kcpCleanupHook]: null } } }, { namespace });
    }
  }
  const wanted = inPlaceFields(v, getPath(kcp, kcpMachineSpecPath(v)));
  for (const m of active) {
    if (jsonEqual(inPlaceFields(v, m.spec), wanted)) continue;
    const patch = Object.fromEntries(Object.entries(wanted).map(([k, val]) => [k, val === undefined ? null : val]));
    await env.client.patch(env.kinds.machines, m.metadata.name!, { spec: patch }, { namespace });
  }

  const outdated = active.filter((m) => !machineUpToDate(env, m)).sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
  const allReady = active.every((m) => machineNodeReady(env, m));
  let requeue: number | undefined;
  // KCP does one thing at a time: nothing new while a machine is being deleted or is not yet Ready.
  if (deleting.length === 0 && allReady) {
    const createOne = async () => {
      const clusterName = kcp.metadata.labels?.[capiLabels.clusterName] ?? env.scenario.clusterName;
      const template = namingTemplate(v, kcp) ?? '{{ .kubeadmControlPlane.name }}-{{ .random }}';
      const machineName = renderMachineName(template, { cluster: clusterName, kubeadmControlPlane: name, random: nameSuffix(env.random) });
      const spec = machineSpec(env, kcp);
      const labels = { [capiLabels.clusterName]: clusterName, [capiLabels.controlPlane]: '', [capiLabels.controlPlaneName]: name };
      await createMachine(env, kcp, { name: machineName, labels, annotations: { [capiAnnotations.kcpCleanupHook]: '' }, spec });
      await waitUntil(() => !!machinesCache.get(machineName, namespace));
    };
    const remove = async (m: KubeObject, why: string) => {
      env.log(`kcp ${name}: deleting machine ${m.metadata.name} (${why})`);
      await deleteIfExists(env, env.kinds.machines, m.metadata.name!, namespace);
    };
    if (outdated.length > 0) {
      if (active.length <= desired) await createOne();
      else await remove(outdated[0]!, 'rollout: outdated version or template');
    } else if (active.length < desired) {
      await createOne();
    } else if (active.length > desired) {
      const marked = active.find((m) => capiAnnotations.deleteMachine in (m.metadata.annotations ?? {}));
      const oldest = [...active].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0]!;
      await remove(marked ?? oldest, 'scale down');
    }
  } else {
    requeue = 5;
  }

  const fresh = machinesCache.list(namespace, (m) => isControlledBy(m, kcp));
  const versions = fresh.map((m) => String(getPath(m, 'spec.version') ?? '')).filter(Boolean).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const nodeReady = fresh.filter((m) => machineNodeReady(env, m)).length;
  const counts = {
    desired,
    replicas: fresh.length,
    nodeReady,
    ready: fresh.filter((m) => machineReady(env, m)).length,
    upToDate: fresh.filter((m) => machineUpToDate(env, m)).length,
    notUpToDate: fresh.filter((m) => !machineUpToDate(env, m)).map((m) => m.metadata.name!),
    notReady: fresh.filter((m) => !machineReady(env, m)).map((m) => m.metadata.name!),
    deleting: fresh.filter((m) => m.metadata.deletionTimestamp).map((m) => m.metadata.name!),
    minAvailable: Math.floor(desired / 2) + 1,
  };
  const initialized = nodeReady > 0 || getPath(kcp, v === 'v1beta1' ? 'status.initialized' : 'status.initialization.controlPlaneInitialized') === true;
  // The control-plane label has an empty value and is selected by existence (cluster-apis.md gotcha 4).
  const extra: Record<string, unknown> = { selector: `${selectorString({ [capiLabels.clusterName]: kcp.metadata.labels?.[capiLabels.clusterName] ?? env.scenario.clusterName })},${capiLabels.controlPlane}` };
  if (versions[0]) extra.version = versions[0];
  if (v === 'v1beta1') Object.assign(extra, { initialized, ready: nodeReady > 0 });
  else extra.initialization = { controlPlaneInitialized: initialized };
  await writeStatus(env, env.kinds.kubeadmControlPlanes, kcp, replicaStatus(v, 'KubeadmControlPlane', kcp, counts, env.clock.now(), extra));
  return requeue !== undefined ? { requeueAfter: requeue } : undefined;
}

/** Starts the KubeadmControlPlane controller. */
export function startKubeadmControlPlaneController(env: ControllerEnv): Controller {
  const c = new Controller('kubeadmcontrolplane', (key) => reconcile(env, key), env, 1);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.kubeadmControlPlanes), keyOf, enqueue);
  const ownerKey = (m: KubeObject) => {
    const ref = (m.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'KubeadmControlPlane');
    return ref ? `${m.metadata.namespace}/${ref.name}` : undefined;
  };
  watchKeys(env.informers.of(env.kinds.machines), ownerKey, enqueue);
  const machines = env.informers.of(env.kinds.machines);
  watchKeys(env.informers.of(env.kinds.nodes), (n) => {
    const m = machines.list(undefined, (x) => getPath(x, 'status.nodeRef.name') === n.metadata.name)[0];
    return m ? ownerKey(m) : undefined;
  }, enqueue);
  return c;
}

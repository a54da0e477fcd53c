// The Cluster controller's status: phase, infrastructure and control-plane readiness (v1beta1 flags, v1beta2
// `initialization`), control-plane and worker counters (`status.v1beta2.*` in v1beta1, top level in v1beta2) and
// conditions in both styles.
// @see kubernetes-sigs/cluster-api internal/controllers/cluster/cluster_controller_status.go @v1.11.0
import { capiLabels } from '../content/capi.js';
import { newConditions, oldConditions, type Condition } from '../content/conditions.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import { writeStatus, type ControllerEnv } from './env.js';
import { machineReady, machineUpToDate } from './machine-health.js';
import { Controller, keyOf, splitKey, watchKeys, type ReconcileResult } from './runtime.js';

function counters(env: ControllerEnv, machines: KubeObject[], desired: number): Record<string, number> {
  const ready = machines.filter((m) => machineReady(env, m)).length;
  return { desiredReplicas: desired, replicas: machines.length, readyReplicas: ready, availableReplicas: ready, upToDateReplicas: machines.filter((m) => machineUpToDate(env, m)).length };
}

async function reconcile(env: ControllerEnv, key: string): Promise<ReconcileResult | void> {
  const { namespace, name } = splitKey(key);
  const cluster = env.informers.of(env.kinds.clusters).get(name, namespace);
  if (!cluster || cluster.metadata.deletionTimestamp) return;
  const v = env.scenario.capi;
  const osc = env.informers.of(env.kinds.openStackClusters).get(String(getPath(cluster, 'spec.infrastructureRef.name')), namespace);
  const kcp = env.informers.of(env.kinds.kubeadmControlPlanes).get(String(getPath(cluster, 'spec.controlPlaneRef.name')), namespace);
  const machines = env.informers.of(env.kinds.machines).list(namespace, (m) => m.metadata.labels?.[capiLabels.clusterName] === name);
  const cp = machines.filter((m) => capiLabels.controlPlane in (m.metadata.labels ?? {}));
  const workers = machines.filter((m) => !(capiLabels.controlPlane in (m.metadata.labels ?? {})));
  const mdDesired = env.informers.of(env.kinds.machineDeployments).list(namespace, (md) => getPath(md, 'spec.clusterName') === name).reduce((n, md) => n + Number(getPath(md, 'spec.replicas') ?? 0), 0);
  const infraReady = getPath(osc, 'status.ready') === true;
  const cpInitialized = getPath(kcp, v === 'v1beta1' ? 'status.initialized' : 'status.initialization.controlPlaneInitialized') === true;
  const cpReady = Number(getPath(kcp, 'status.readyReplicas') ?? getPath(kcp, 'status.deprecated.v1beta1.readyReplicas') ?? 0) > 0;
  const now = timestamp(env.clock.now());
  const prev = (cluster.status ?? {}) as Record<string, unknown>;
  const old: Condition[] = [
    infraReady && cpReady ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: infraReady ? 'WaitingForControlPlane' : 'WaitingForInfrastructure', severity: 'Info' },
    { type: 'ControlPlaneInitialized', status: cpInitialized ? 'True' : 'False', ...(cpInitialized ? {} : { reason: 'WaitingForControlPlaneProviderInitialized', severity: 'Info' as const }) },
    cpReady ? { type: 'ControlPlaneReady', status: 'True' } : { type: 'ControlPlaneReady', status: 'False', reason: 'WaitingForControlPlane', severity: 'Info' },
    infraReady ? { type: 'InfrastructureReady', status: 'True' } : { type: 'InfrastructureReady', status: 'False', reason: 'WaitingForInfrastructure', severity: 'Info' },
  ];
  const workersReady = workers.filter((m) => machineReady(env, m)).length;
  const conditions: Condition[] = [
    { type: 'Available', status: infraReady && cpReady && workersReady > 0 ? 'True' : 'False', reason: infraReady && cpReady && workersReady > 0 ? 'Available' : 'NotAvailable' },
    { type: 'InfrastructureReady', status: infraReady ? 'True' : 'False', reason: infraReady ? 'Ready' : 'NotReady' },
    { type: 'ControlPlaneInitialized', status: cpInitialized ? 'True' : 'False', reason: cpInitialized ? 'Initialized' : 'NotInitialized' },
    { type: 'ControlPlaneAvailable', status: cpReady ? 'True' : 'False', reason: cpReady ? 'Available' : 'NotAvailable' },
    { type: 'WorkersAvailable', status: workersReady >= Math.max(1, mdDesired) ? 'True' : 'False', reason: workersReady >= Math.max(1, mdDesired) ? 'Available' : 'NotAvailable', message: workersReady >= mdDesired ? '' : `* MachineDeployment ${env.scenario.clusterName}-md-0: ${workersReady} available replicas, at least ${mdDesired} required` },
    { type: 'RemoteConnectionProbe', status: 'True', reason: 'ProbeSucceeded' },
    { type: 'RollingOut', status: machines.some((m) => !machineUpToDate(env, m)) ? 'True' : 'False', reason: machines.some((m) => !machineUpToDate(env, m)) ? 'RollingOut' : 'NotRollingOut' },
    { type: 'Deleting', status: 'False', reason: 'NotDeleting' },
    { type: 'Paused', status: 'False', reason: 'NotPaused' },
  ];
  const cpCounters = counters(env, cp, Number(getPath(kcp, 'spec.replicas') ?? cp.length));
  const workerCounters = counters(env, workers, mdDesired);
  const status: Record<string, unknown> = { phase: infraReady && cpInitialized ? 'Provisioned' : 'Provisioning', observedGeneration: cluster.metadata.generation };
  if (v === 'v1beta1') {
    Object.assign(status, {
      infrastructureReady: infraReady,
      controlPlaneReady: cpReady,
      failureDomains: { nova: { controlPlane: true } },
      conditions: oldConditions(old, prev.conditions, now),
      v1beta2: { conditions: newConditions(conditions, getPath(prev, 'v1beta2.conditions'), now, cluster.metadata.generation), controlPlane: cpCounters, workers: workerCounters },
    });
  } else {
    Object.assign(status, {
      initialization: { infrastructureProvisioned: infraReady, controlPlaneInitialized: cpInitialized },
      failureDomains: [{ name: 'nova', controlPlane: true }],
      conditions: newConditions(conditions, prev.conditions, now, cluster.metadata.generation),
      controlPlane: cpCounters,
      workers: workerCounters,
      deprecated: { v1beta1: { conditions: oldConditions(old, getPath(prev, 'deprecated.v1beta1.conditions'), now) } },
    });
  }
  await writeStatus(env, env.kinds.clusters, cluster, status);
}

/** Starts the Cluster controller. */
export function startClusterController(env: ControllerEnv): Controller {
  const c = new Controller('cluster', (key) => reconcile(env, key), env, 1);
  const enqueue = (k: string) => c.enqueue(k);
  const all = () => env.informers.of(env.kinds.clusters).list().map(keyOf);
  watchKeys(env.informers.of(env.kinds.clusters), keyOf, enqueue);
  for (const type of [env.kinds.openStackClusters, env.kinds.kubeadmControlPlanes, env.kinds.machines, env.kinds.machineDeployments]) watchKeys(env.informers.of(type), all, enqueue);
  return c;
}

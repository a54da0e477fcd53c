// Machine deletion the way CAPI's Machine controller does it (cluster-apis.md §1.4): pre-drain hooks, cordon and
// drain through the Eviction API (PDBs answer 429; re-evaluated every 20 s), wait for volume detach (Node
// volumesAttached and VolumeAttachments listed with limit=100 and filtered client-side), pre-terminate hooks, delete the
// infrastructure machine and wait for it, delete the Node, then the finalizer goes.
// @see kubernetes-sigs/cluster-api internal/controllers/machine/machine_controller.go (reconcileDelete, drainNode,
//      shouldWaitForNodeVolumes, nodeDrainTimeoutExceeded) and internal/controllers/machine/drain/drain.go @v1.11.0
//
// Deliberate difference (issue 2): real CAPI finishes the drain of an unreachable node (Ready=Unknown) on its own,
// evicting with a 1 s grace period and ignoring pods whose deletion is older than that, and skips the volume wait.
// The simulator omits that shortcut, so a dead node's drain stays blocked — its pods never finish terminating and its
// VolumeAttachments stay attached — until nodeDrainTimeout / nodeVolumeDetachTimeout (v1beta1) or
// spec.deletion.node*TimeoutSeconds (v1beta2) have elapsed: the situation deckhand's recover-node runbook resolves.
import { isNotFound, isStatus, KubeApiError } from '../client.js';
import { capiAnnotations, capiLabels, deletionTimeouts, nodeRefName } from '../content/capi.js';
import { conditionOf, type Condition } from '../content/conditions.js';
import { formatGoDuration } from '../../format/duration.js';
import { getPath, isObject, type KubeObject } from '../objects.js';
import { deleteIfExists, type ControllerEnv } from './env.js';
import { nodeCondition } from './machine-health.js';
import type { DeletionState } from './machine-status.js';

/** drainRetryInterval and the volume-detach requeue of machine_controller.go. */
export const drainRetrySeconds = 20;

/** Where a reconcile of a deleting Machine got to. */
export interface DeletionStep {
  state: DeletionState;
  finished: boolean;
  requeueAfter?: number;
}

const listNames = (names: string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')}, ... (${names.length - 3} more)` : names.join(', '));

/** Whether CAPI's drain skips a pod: DaemonSet pods, mirror (static) pods, and pods labelled cluster.x-k8s.io/drain=skip. */
function skippedByDrain(pod: KubeObject): boolean {
  if ((pod.metadata.ownerReferences ?? []).some((r) => r.kind === 'DaemonSet' && r.controller)) return true;
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return true;
  return pod.metadata.labels?.['cluster.x-k8s.io/drain'] === 'skip';
}

/** One drain pass: cordon, evict what is left, report what still blocks. */
async function drainPass(env: ControllerEnv, node: KubeObject, startedAt: string): Promise<{ done: boolean; message: string; failure?: string }> {
  const name = node.metadata.name!;
  if (!getPath(node, 'spec.unschedulable')) await env.client.patch(env.kinds.nodes, name, { spec: { unschedulable: true } });
  const pods = env.informers.of(env.kinds.pods).list(undefined, (p) => getPath(p, 'spec.nodeName') === name && !skippedByDrain(p));
  const waiting: string[] = [];
  const blocked: string[] = [];
  const errors: string[] = [];
  for (const pod of pods) {
    const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.metadata.deletionTimestamp) {
      waiting.push(ref);
      continue;
    }
    try {
      await env.client.evict(pod.metadata.namespace!, pod.metadata.name!);
      const phase = getPath(pod, 'status.phase');
      if (phase !== 'Succeeded' && phase !== 'Failed') waiting.push(ref);
    } catch (err) {
      if (isNotFound(err)) continue;
      if (isStatus(err, 429)) {
        const cause = err instanceof KubeApiError ? err.details?.causes?.[0]?.message : undefined;
        blocked.push(`* Pod ${ref}: cannot evict pod as it would violate the pod's disruption budget.${cause ? ` ${cause}` : ''}`);
      } else {
        errors.push(`* Pod ${ref}: ${(err as Error).message}`);
      }
    }
  }
  if (waiting.length + blocked.length + errors.length === 0) return { done: true, message: '' };
  const lines = [...(waiting.length ? [`* Pods ${listNames(waiting)}: deletionTimestamp set, but still not removed from the Node`] : []), ...blocked, ...errors];
  const message = `Drain not completed yet (started at ${startedAt}):\n${lines.join('\n')}`;
  const ready = nodeCondition(node, 'Ready');
  const failure = ready?.status === 'Unknown'
    ? `error draining Machine's node "${name}": the Node's kubelet stopped posting status (Ready=Unknown: ${ready.message ?? 'no reason'}); pods ${listNames(waiting)} are never removed`
    : errors.length ? `error draining Machine's node "${name}": ${errors.join('; ')}` : undefined;
  return { done: false, message, failure };
}

/** Volumes still attached to a node: Node status.volumesAttached plus attached VolumeAttachments for it. */
async function attachedVolumes(env: ControllerEnv, node: KubeObject): Promise<string[]> {
  const names = new Set<string>();
  const fromStatus = getPath(node, 'status.volumesAttached');
  if (Array.isArray(fromStatus)) for (const v of fromStatus) if (isObject(v) && typeof v.name === 'string') names.add(v.name);
  // CAPI lists every VolumeAttachment (limit 100 per page) and filters on spec.nodeName and status.attached itself.
  const { items } = await env.client.list(env.kinds.volumeAttachments, { limit: 100 });
  for (const va of items) {
    if (getPath(va, 'spec.nodeName') !== node.metadata.name || getPath(va, 'status.attached') !== true) continue;
    names.add(String(getPath(va, 'spec.source.persistentVolumeName') ?? va.metadata.name));
  }
  return [...names].sort();
}

const hooks = (m: KubeObject, prefix: string) => Object.keys(m.metadata.annotations ?? {}).filter((k) => k.startsWith(prefix));

/** Runs the next deletion steps of a Machine whose deletionTimestamp is set. */
export async function reconcileMachineDeletion(env: ControllerEnv, m: KubeObject, node: KubeObject | undefined): Promise<DeletionStep> {
  const v = env.scenario.capi;
  const annotations = m.metadata.annotations ?? {};
  const prevOld = v === 'v1beta1' ? getPath(m, 'status.conditions') : getPath(m, 'status.deprecated.v1beta1.conditions');
  const carried = (type: string): Condition[] => {
    const c = conditionOf(prevOld, type);
    return c ? [{ type, status: c.status as Condition['status'], reason: c.reason, message: c.message, severity: (c as { severity?: Condition['severity'] }).severity }] : [];
  };
  const timeouts = deletionTimeouts(v, m.spec);
  const nodeName = nodeRefName(m);
  const state: DeletionState = {
    reason: 'Deleting',
    message: '',
    oldConditions: [],
    nodeDrainStartTime: getPath(m, 'status.deletion.nodeDrainStartTime') as string | undefined,
    waitForNodeVolumeDetachStartTime: getPath(m, 'status.deletion.waitForNodeVolumeDetachStartTime') as string | undefined,
  };
  const wait = (reason: string, message: string, old: Condition[], requeueAfter?: number): DeletionStep => ({ state: { ...state, reason, message, oldConditions: [...state.oldConditions, ...old] }, finished: false, requeueAfter });

  const preDrain = hooks(m, capiAnnotations.preDrainPrefix);
  if (preDrain.length) {
    return wait('WaitingForPreDrainHook', `Waiting for pre-drain hooks to succeed (hooks: ${preDrain.map((h) => h.split('/')[1]).join(', ')})`, [{ type: 'PreDrainDeleteHookSucceeded', status: 'False', reason: 'WaitingExternalHook', severity: 'Info' }]);
  }
  // Node deletion is not allowed without a nodeRef; then drain, volume wait and node deletion are all skipped.
  const nodeAllowed = nodeName !== undefined;
  const isControlPlane = capiLabels.controlPlane in (m.metadata.labels ?? {});

  if (nodeAllowed && node && !(capiAnnotations.excludeDrain in annotations)) {
    state.nodeDrainStartTime ??= env.clock.stamp(`${m.metadata.uid}/drain`);
    const limit = timeouts.drain ?? 0;
    if (limit > 0 && env.clock.elapsedSimSince(`${m.metadata.uid}/drain`, state.nodeDrainStartTime) > limit) {
      env.log(`machine ${m.metadata.name}: node drain timeout (${formatGoDuration(limit * 1000)}) exceeded, skipping drain`);
      state.oldConditions.push(...carried('DrainingSucceeded'));
    } else {
      const pass = await drainPass(env, node, state.nodeDrainStartTime);
      if (!pass.done) {
        if (pass.failure) void env.recorder.event(m, 'Warning', 'FailedDrainNode', pass.failure, 'machine-controller');
        return wait('DrainingNode', pass.message, [{ type: 'DrainingSucceeded', status: 'False', reason: 'Draining', severity: 'Info', message: pass.message }], drainRetrySeconds);
      }
      if (carried('DrainingSucceeded')[0]?.status !== 'True') void env.recorder.event(m, 'Normal', 'SuccessfulDrainNode', `success draining Machine's node "${node.metadata.name}"`, 'machine-controller');
      state.oldConditions.push({ type: 'DrainingSucceeded', status: 'True' });
    }
  }

  if (nodeAllowed && node && !(capiAnnotations.excludeVolumeWait in annotations)) {
    state.waitForNodeVolumeDetachStartTime ??= env.clock.stamp(`${m.metadata.uid}/volumes`);
    const limit = timeouts.volumeDetach ?? 0;
    if (limit > 0 && env.clock.elapsedSimSince(`${m.metadata.uid}/volumes`, state.waitForNodeVolumeDetachStartTime) > limit) {
      env.log(`machine ${m.metadata.name}: node volume detach timeout (${formatGoDuration(limit * 1000)}) exceeded, continuing deletion`);
      state.oldConditions.push(...carried('VolumeDetachSucceeded'));
    } else {
      const attached = await attachedVolumes(env, node);
      if (attached.length) {
        const message = `Waiting for Node volumes to be detached (started at ${state.waitForNodeVolumeDetachStartTime})\n* PersistentVolumes: ${listNames(attached)}`;
        return wait('WaitingForVolumeDetach', message, [{ type: 'VolumeDetachSucceeded', status: 'False', reason: 'WaitingForVolumeDetach', severity: 'Info', message: 'Waiting for node volumes to be detached' }], drainRetrySeconds);
      }
      if (carried('VolumeDetachSucceeded')[0]?.status !== 'True') void env.recorder.event(m, 'Normal', 'NodeVolumesDetached', `success waiting for node volumes detaching Machine's node "${node.metadata.name}"`, 'machine-controller');
      state.oldConditions.push({ type: 'VolumeDetachSucceeded', status: 'True' });
    }
  }

  const preTerminate = hooks(m, capiAnnotations.preTerminatePrefix);
  if (preTerminate.length) {
    return wait('WaitingForPreTerminateHook', `Waiting for pre-terminate hooks to succeed (hooks: ${preTerminate.map((h) => h.split('/')[1]).join(', ')})`, [{ type: 'PreTerminateDeleteHookSucceeded', status: 'False', reason: 'WaitingExternalHook', severity: 'Info' }]);
  }

  const infraName = String(getPath(m, 'spec.infrastructureRef.name') ?? '');
  const infra = env.informers.of(env.kinds.openStackMachines).get(infraName, m.metadata.namespace);
  if (infra) {
    if (!infra.metadata.deletionTimestamp) await deleteIfExists(env, env.kinds.openStackMachines, infraName, m.metadata.namespace);
    return wait('WaitingForInfrastructureDeletion', `Waiting for OpenStackMachine to be deleted`, []);
  }
  const secret = getPath(m, 'spec.bootstrap.dataSecretName');
  if (typeof secret === 'string') await deleteIfExists(env, env.kinds.secrets, secret, m.metadata.namespace);

  if (nodeAllowed && node && !(isControlPlane && lastControlPlane(env, m))) {
    try {
      await env.client.delete(env.kinds.nodes, node.metadata.name!);
    } catch (err) {
      if (!isNotFound(err)) {
        const limit = timeouts.nodeDeletion ?? 10;
        if (limit === 0 || env.clock.elapsedSim(m.metadata.deletionTimestamp) < limit) {
          void env.recorder.event(m, 'Warning', 'FailedDeleteNode', `error deleting Machine's node: ${(err as Error).message}`, 'machine-controller');
          return wait('DeletingNode', `Error deleting Node: ${(err as Error).message}`, [], 1);
        }
      }
    }
  }
  return { state: { ...state, reason: 'DeletionCompleted', message: '' }, finished: true };
}

/** Whether this is the last control-plane Machine of its KCP (CAPI keeps that Node). */
function lastControlPlane(env: ControllerEnv, m: KubeObject): boolean {
  const kcp = m.metadata.labels?.[capiLabels.controlPlaneName];
  const others = env.informers.of(env.kinds.machines).list(m.metadata.namespace, (x) => x.metadata.labels?.[capiLabels.controlPlaneName] === kcp && x.metadata.uid !== m.metadata.uid);
  return others.length === 0;
}

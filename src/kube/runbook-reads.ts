// The reads and plans the runbooks need beyond actions.ts/operations.ts: one-shot lists (paged, projected like the
// watches project), a node's pods with what makes them risky to lose, VolumeAttachments filtered the way CAPI
// filters them, an object's events, the owner-template timeouts, and the allowed-CIDRs JSON patch that tests the
// current list first. Plans here are read-only halves too; actions.applyPlan() sends them.
// @see /work/shared/reference/cluster-apis.md §1.1 (template timeouts), §1.4 (volume check), §2.4 (allowed CIDRs)
import { planPatch, resourceRef, type ActionPlan, type JsonPatchOp } from './actions.js';
import { formatGoDuration } from '../format/duration.js';
import { capiPathsFor, kcpPathsFor, templateTimeouts } from './capi.js';
import { bastionImagePatch, capoPathsFor } from './capo.js';
import type { KubeClient } from './client.js';
import type { Discovery } from './discovery.js';
import { KubeError } from './errors.js';
import { collectionPath, kinds, resolveKind, type KindSpec } from './kinds.js';
import { projectEvent, projectPod } from './project.js';
import { at, controllerOf, int, list, nested, text } from './read.js';
import type { BastionImage, EventView, KindId, OpenStackClusterView, PodView, ViewsByKind } from './types.js';

/** Selectors of a one-shot list. */
export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Lists a path to the end (pages of 500, as client-go's pager), returning the raw items. */
export async function listRaw(client: KubeClient, path: string, query: Omit<ListQuery, 'namespace'> = {}): Promise<unknown[]> {
  const items: unknown[] = [];
  let next: string | undefined;
  do {
    const { body } = await client.request({ method: 'GET', path, query: { limit: 500, ...query, ...(next ? { continue: next } : {}) } });
    items.push(...list(body, 'items'));
    next = text(body, 'metadata.continue');
  } while (next);
  return items;
}

/** Lists a watched kind once and projects each object to its view (version-neutral). */
export async function listViews<K extends KindId>(client: KubeClient, discovery: Discovery, kind: K, query: ListQuery = {}): Promise<ViewsByKind[K][]> {
  const resolved = resolveKind(kinds[kind] as KindSpec<K>, discovery);
  if (!resolved.installed) throw new KubeError('not-found', resolved.reason);
  const { namespace, ...selectors } = query;
  const raw = await listRaw(client, collectionPath(resolved.group, resolved.version, resolved.spec.plural, namespace), selectors);
  return raw.map((r) => resolved.project(r));
}

/** Why losing a pod with its node matters (cluster-apis.md §1.4: CAPI evicts emptyDir and unmanaged pods too). */
export type PodRisk = 'statefulset' | 'single-replica' | 'volumes' | 'no-controller';

/** A pod still bound to a node, with the reasons it is risky (empty for Prow job and DaemonSet pods). */
export interface NodePod {
  pod: PodView;
  daemonSet: boolean;
  risks: PodRisk[];
  /** PVC names, for the acknowledgement text. */
  claims: string[];
}

/** The replicas of the Deployment behind a ReplicaSet, or undefined when the ReplicaSet has no Deployment. */
async function deploymentReplicas(client: KubeClient, namespace: string, replicaSet: string): Promise<{ name: string; replicas: number } | undefined> {
  try {
    const rs = (await client.request({ method: 'GET', path: `${collectionPath('apps', 'v1', 'replicasets', namespace)}/${encodeURIComponent(replicaSet)}` })).body;
    const owner = controllerOf(rs);
    if (owner?.kind !== 'Deployment') return undefined;
    const dep = (await client.request({ method: 'GET', path: `${collectionPath('apps', 'v1', 'deployments', namespace)}/${encodeURIComponent(owner.name)}` })).body;
    return { name: owner.name, replicas: int(dep, 'spec.replicas') ?? 1 };
  } catch (err) {
    if (err instanceof KubeError && err.kind === 'not-found') return undefined;
    throw err;
  }
}

/** The non-terminated pods bound to a node, classified for recover-node's inspection. */
export async function podsOnNode(client: KubeClient, node: string): Promise<NodePod[]> {
  const raw = await listRaw(client, collectionPath('', 'v1', 'pods'), { fieldSelector: `spec.nodeName=${node}` });
  const out: NodePod[] = [];
  for (const r of raw) {
    const pod = projectPod(r);
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const owner = pod.owner;
    const claims = list(r, 'spec.volumes').flatMap((v) => text(v, 'persistentVolumeClaim.claimName') ?? []);
    const risks: PodRisk[] = [];
    const daemonSet = owner?.kind === 'DaemonSet';
    if (!pod.job && !daemonSet) {
      if (owner?.kind === 'StatefulSet') risks.push('statefulset');
      if (owner?.kind === 'ReplicaSet' && (await deploymentReplicas(client, pod.namespace, owner.name))?.replicas === 1) risks.push('single-replica');
      if (!owner) risks.push('no-controller');
    }
    if (claims.length) risks.push('volumes');
    out.push({ pod, daemonSet, risks, claims });
  }
  return out.sort((a, b) => a.pod.namespace.localeCompare(b.pod.namespace) || a.pod.name.localeCompare(b.pod.name));
}

/**
 * VolumeAttachments still attached to a node: all of them listed and filtered on spec.nodeName and status.attached
 * client-side, exactly as CAPI's volume-detach wait does.
 * @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.11.0/internal/controllers/machine/machine_controller.go (getVolumeAttachmentForNode)
 */
export async function volumeAttachmentsOn(client: KubeClient, node: string): Promise<string[]> {
  const raw = await listRaw(client, collectionPath('storage.k8s.io', 'v1', 'volumeattachments'));
  return raw
    .filter((va) => text(va, 'spec.nodeName') === node && at(va, 'status.attached') === true)
    .map((va) => text(va, 'spec.source.persistentVolumeName') ?? text(va, 'metadata.name') ?? '?')
    .sort();
}

/** Events about one object (all types), newest last. */
export async function eventsFor(client: KubeClient, namespace: string | undefined, name: string): Promise<EventView[]> {
  const raw = await listRaw(client, collectionPath('', 'v1', 'events', namespace), { fieldSelector: `involvedObject.name=${name}` });
  return raw.map(projectEvent).sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
}

/** Whether the API answers at all on this client (GET /version); the error message when it does not. */
export async function apiAnswers(client: KubeClient, timeoutMs = 5000): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const { body } = await client.request({ method: 'GET', path: '/version', timeoutMs });
    return { ok: true, version: text(body, 'gitVersion') ?? 'unknown' };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** What carries deletion timeouts: a Machine itself, or an owner whose machine template propagates them in place. */
export interface TimeoutTarget {
  kind: 'Machine' | 'MachineDeployment' | 'KubeadmControlPlane';
  namespace: string;
  name: string;
  resourceVersion: string;
}

/** Drain and volume-detach timeouts in seconds; null removes the field (back to "wait forever"). */
export type TimeoutValues = { nodeDrainSeconds?: number | null; nodeVolumeDetachSeconds?: number | null };

/**
 * Sets (or with null, removes) deletion timeouts on a Machine or on an owner's machine template, in the version's
 * shape (Go duration strings for v1beta1, whole seconds under `deletion` for v1beta2). CAPI propagates template
 * values in place (no rollout) to the MachineSets and Machines, and since CAPI 1.8 also to Machines already being
 * deleted, resetting whatever was set on such a Machine directly — so runbooks set both.
 * @see https://github.com/kubernetes-sigs/cluster-api/pull/10589 (propagate timeouts to deleting Machines)
 */
export function planTimeouts(discovery: Discovery, target: TimeoutTarget, values: TimeoutValues): ActionPlan {
  const family = target.kind === 'KubeadmControlPlane' ? discovery.families.kcp : discovery.families.capi;
  if (!family.installed) throw new KubeError('not-found', family.reason);
  const fields = target.kind === 'Machine' ? capiPathsFor(family.version).machineTimeouts
    : target.kind === 'MachineDeployment' ? templateTimeouts(capiPathsFor(family.version)) : kcpPathsFor(family.version).templateTimeouts;
  const entries = (['nodeDrainSeconds', 'nodeVolumeDetachSeconds'] as const).flatMap((key) => {
    const value = values[key];
    if (value === undefined) return [];
    const field = fields[key];
    const encoded = value === null ? null : field.unit === 'seconds' ? Math.round(value) : formatGoDuration(Math.round(value) * 1000);
    return [[field.path, encoded] as const];
  });
  if (entries.length === 0) throw new Error('planTimeouts: no timeout given');
  const kind = target.kind === 'Machine' ? 'machines' : target.kind === 'MachineDeployment' ? 'machineDeployments' : 'controlPlanes';
  return planPatch(resourceRef(kind, discovery, target.namespace, target.name), { type: 'merge', patch: nested(entries) }, { resourceVersion: target.resourceVersion });
}

/** A dotted field path as a JSON pointer (`spec.a.b` → `/spec/a/b`). */
const pointer = (path: string) => `/${path.split('.').map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Replaces the load balancer's allowed CIDRs with a JSON patch that first tests the list it was computed from, so a
 * concurrent edit of the list fails (422) instead of being overwritten; the resourceVersion precondition comes too.
 * An absent list cannot be tested, so it is added (the precondition still guards it).
 * @see /work/shared/reference/cluster-apis.md §2.1 (allowedCidrs vs allowedCIDRs), test/k8s/OBSERVED.md (bare 422)
 */
export function planAllowedCidrsTested(discovery: Discovery, cluster: OpenStackClusterView, next: readonly string[]): ActionPlan {
  const support = discovery.families.capo;
  if (!support.installed) throw new KubeError('not-found', support.reason);
  const path = pointer(capoPathsFor(support.version).allowedCidrs);
  const current = cluster.apiServerLoadBalancer.allowedCidrs;
  const ops: JsonPatchOp[] = current === undefined
    ? [{ op: 'add', path, value: [...next] }]
    : [{ op: 'test', path, value: [...current] }, { op: 'replace', path, value: [...next] }];
  return planPatch(resourceRef('openstackClusters', discovery, cluster.namespace, cluster.name), { type: 'json', ops }, { resourceVersion: cluster.resourceVersion });
}

/** The same request as a server-side dry run (dryRun=All): validated and admitted, never persisted. */
export function asDryRun(plan: ActionPlan): ActionPlan {
  return { ...plan, dryRun: true, summary: `${plan.summary} (dry run)`, request: { ...plan.request, query: { ...plan.request.query, dryRun: 'All' } } };
}

/**
 * Sets the bastion image (in the version's shape) and enables the bastion in one merge patch, so one
 * resourceVersion precondition covers both; with the same image this recreates the bastion after a disable.
 * @see /work/shared/reference/cluster-apis.md §2.3 (image shapes; siblings nulled for ImageParam)
 */
export function planBastionRecreate(discovery: Discovery, cluster: OpenStackClusterView, image: Exclude<BastionImage, { kind: 'unset' }>): ActionPlan {
  const support = discovery.families.capo;
  if (!support.installed) throw new KubeError('not-found', support.reason);
  const patch = bastionImagePatch(capoPathsFor(support.version), image);
  const bastion = (patch.spec as { bastion: Record<string, unknown> }).bastion;
  bastion.enabled = true;
  return planPatch(resourceRef('openstackClusters', discovery, cluster.namespace, cluster.name), { type: 'merge', patch }, { resourceVersion: cluster.resourceVersion });
}

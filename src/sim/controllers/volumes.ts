// Cinder volumes of pods with PersistentVolumeClaims (ghproxy's cache): the attach/detach controller creates a
// VolumeAttachment (attacher cinder.csi.openstack.org, attached: true) when such a pod lands on a node and records it
// in the Node's status.volumesAttached; it detaches only after the kubelet confirms the unmount, i.e. once no pod on
// that node uses the volume and the kubelet is alive. On a hung node the attachment therefore stays — which is what
// blocks CAPI's volume-detach wait there.
// @see k8s.io/kubernetes pkg/controller/volume/attachdetach (reconciler.go), pkg/kubelet/volumemanager
import { isAlreadyExists, isNotFound } from '../client.js';
import { fnv32, uuid } from '../content/names.js';
import { hex64 } from '../content/pod-status.js';
import { getPath, jsonEqual, type KubeObject } from '../objects.js';
import type { ControllerEnv } from './env.js';
import { Controller, watchKeys, type ReconcileResult } from './runtime.js';

const attacher = 'cinder.csi.openstack.org';

/** The PersistentVolume bound to a claim (a stable `pvc-<uuid>` name, as dynamic provisioning names them). */
export function persistentVolumeName(namespace: string, claim: string): string {
  let state = fnv32(`${namespace}/${claim}`);
  return `pvc-${uuid(() => {
    state = (Math.imul(state ^ (state >>> 13), 1597334677) + 0x9e3779b9) >>> 0;
    return state / 4294967296;
  })}`;
}

/** PVs used by a pod. */
function volumesOf(pod: KubeObject): string[] {
  return ((getPath(pod, 'spec.volumes') as { persistentVolumeClaim?: { claimName?: string } }[] | undefined) ?? [])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((c): c is string => typeof c === 'string')
    .map((c) => persistentVolumeName(pod.metadata.namespace!, c));
}

async function reconcile(env: ControllerEnv, nodeName: string): Promise<ReconcileResult | void> {
  const node = env.informers.of(env.kinds.nodes).get(nodeName);
  const attachments = env.informers.of(env.kinds.volumeAttachments).list(undefined, (va) => getPath(va, 'spec.nodeName') === nodeName);
  const hung = env.world.isHung(nodeName);
  const pods = env.informers.of(env.kinds.pods).list(undefined, (p) => getPath(p, 'spec.nodeName') === nodeName && !['Succeeded', 'Failed'].includes(String(getPath(p, 'status.phase'))));
  const wanted = new Set(node ? pods.flatMap(volumesOf) : []);
  for (const pv of wanted) {
    if (attachments.some((va) => getPath(va, 'spec.source.persistentVolumeName') === pv)) continue;
    const va: KubeObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: { name: `csi-${hex64(`${attacher}/${pv}/${nodeName}`)}`, annotations: { 'csi.alpha.kubernetes.io/node-id': String(getPath(node, 'status.nodeInfo.systemUUID') ?? '') } },
      spec: { attacher, nodeName, source: { persistentVolumeName: pv } },
    };
    try {
      const created = await env.client.create(env.kinds.volumeAttachments, va);
      await env.client.update(env.kinds.volumeAttachments, { ...created, status: { attached: true, attachmentMetadata: { 'cinder.csi.openstack.org/device': '/dev/vdb' } } }, { subresource: 'status' });
      env.log(`attach-detach: attached ${pv} to ${nodeName}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  // Detach needs the kubelet to have unmounted: never on a hung node; always once the node object is gone.
  for (const va of attachments) {
    const pv = String(getPath(va, 'spec.source.persistentVolumeName'));
    if (wanted.has(pv) || (hung && node)) continue;
    try {
      await env.client.delete(env.kinds.volumeAttachments, va.metadata.name!);
      env.log(`attach-detach: detached ${pv} from ${nodeName}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  if (!node || hung) return;
  const attached = [...wanted].sort().map((pv) => ({ name: `kubernetes.io/csi/${attacher}^${uuidOf(pv)}`, devicePath: '' }));
  const inUse = attached.map((a) => a.name);
  if (!jsonEqual(getPath(node, 'status.volumesAttached') ?? [], attached) || !jsonEqual(getPath(node, 'status.volumesInUse') ?? [], inUse)) {
    await env.client.patch(env.kinds.nodes, nodeName, { status: { volumesAttached: attached.length ? attached : null, volumesInUse: inUse.length ? inUse : null } }, { subresource: 'status' });
  }
}

const uuidOf = (pv: string) => pv.replace(/^pvc-/, '');

/** Starts the attach/detach controller (keyed by node name). */
export function startVolumeController(env: ControllerEnv): Controller {
  const c = new Controller('attach-detach', (key) => reconcile(env, key), env, 2);
  const enqueue = (k: string) => c.enqueue(k);
  watchKeys(env.informers.of(env.kinds.pods), (p) => (volumesOf(p).length ? (getPath(p, 'spec.nodeName') as string | undefined) : undefined), enqueue);
  watchKeys(env.informers.of(env.kinds.volumeAttachments), (va) => getPath(va, 'spec.nodeName') as string | undefined, enqueue);
  watchKeys(env.informers.of(env.kinds.nodes), (n) => n.metadata.name, enqueue);
  return c;
}

// The defaults kube-apiserver fills into built-in objects on every write (the SetDefaults_* functions run when a
// request body is decoded), for the kinds the simulated controllers write: pod specs (in Pods and in the templates
// of Deployments and ReplicaSets), containers, volumes, Deployments, ReplicaSets and Services; and the core/v1
// Event fields that are not omitempty, so every read carries them.
// @see k8s.io/kubernetes pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
//      pkg/apis/core/v1/conversion.go (serviceAccount mirrors serviceAccountName); test/k8s/OBSERVED.md
import { isObject, type KubeObject } from './objects.js';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (isObject(v) ? (v as Json) : undefined);
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as unknown[]).filter(isObject) as Json[] : []);

/** `Always` for an untagged or `:latest` image, else `IfNotPresent` (SetDefaults_Container). */
function pullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Json): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= pullPolicy(c.image);
  c.resources ??= {};
  for (const port of list(c.ports)) port.protocol ??= 'TCP';
}

function defaultVolume(v: Json): void {
  for (const key of ['secret', 'configMap', 'projected', 'downwardAPI']) {
    const source = asObject(v[key]);
    if (source) source.defaultMode ??= 420;
  }
}

/** The defaults of a PodSpec, wherever it appears (a Pod, a pod template). */
export function defaultPodSpec(spec: Json): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) defaultContainer(c);
  for (const v of list(spec.volumes)) defaultVolume(v);
}

/** A Pod: its spec, plus what only Pods get (SetDefaults_Pod). */
export function defaultPod(pod: KubeObject): void {
  const spec = asObject(pod.spec);
  if (!spec) return;
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
}

function defaultTemplate(obj: KubeObject): void {
  const spec = asObject(asObject(asObject(obj.spec)?.template)?.spec);
  if (spec) defaultPodSpec(spec);
}

/** A Deployment: one replica, RollingUpdate 25 %/25 %, 10 old ReplicaSets, 600 s progress deadline. */
export function defaultDeployment(obj: KubeObject): void {
  const spec = asObject(obj.spec);
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (asObject(spec.strategy) ?? (spec.strategy = {})) as Json;
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (asObject(strategy.rollingUpdate) ?? (strategy.rollingUpdate = {})) as Json;
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(obj);
}

/** A ReplicaSet: one replica, and its template. */
export function defaultReplicaSet(obj: KubeObject): void {
  const spec = asObject(obj.spec);
  if (!spec) return;
  spec.replicas ??= 1;
  defaultTemplate(obj);
}

/** A Service: ClusterIP, single-stack IPv4, no session affinity, cluster-wide internal traffic, TCP ports. */
export function defaultService(obj: KubeObject): void {
  const spec = asObject(obj.spec);
  if (!spec) return;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  for (const port of list(spec.ports)) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
}

/** A core/v1 Event: source, timestamps and reporting fields are always present (null or empty when unset). */
export function defaultEvent(obj: KubeObject): void {
  const e = obj as unknown as Json;
  e.source ??= {};
  e.firstTimestamp ??= null;
  e.lastTimestamp ??= null;
  e.eventTime ??= null;
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
}

// CAPI's conversion webhook for KubeadmControlPlane (controlplane.cluster.x-k8s.io), v1beta1 ⇄ v1beta2, including the
// parts of KubeadmConfigSpec that changed shape (extraArgs maps → name/value lists, timeouts → *Seconds, bootstrap token
// TTL). Mirrors sigs.k8s.io/cluster-api@v1.12.10 api/controlplane/kubeadm/v1beta1/conversion.go and
// api/bootstrap/kubeadm/v1beta1/conversion.go (KubeadmConfigSpec.ConvertTo/ConvertFrom, RestoreKubeadmConfigSpec,
// RestoreBoolIntentKubeadmConfigSpec) plus ConvertToArgs/ConvertFromArgs in api/bootstrap/kubeadm/v1beta2/conversion.go.
import { clone, isObject, type KubeObject } from '../objects.js';
import { conditionsFromHub, conditionsToHub, timeoutsFromHub, timeoutsToHub, type Conversion } from './capi-conversion.js';
import {
  boolIntent, dropEmpty, dropEmptyString, durationIntent, durationToSeconds, ensure, fromContractRef, put,
  putConversionData, secondsToDuration, sub, take, takeConversionData, toContractRef, type ApiVersionResolver, type Obj,
} from './capi-fields.js';

const group = 'controlplane.cluster.x-k8s.io';

/** map[string]string → []Arg sorted by name then value (ConvertToArgs). */
function argsToList(value: unknown): unknown {
  if (!isObject(value)) return value;
  return Object.entries(value)
    .map(([name, v]) => ({ name, value: typeof v === 'string' ? v : String(v) }))
    .sort((a, b) => (a.name === b.name ? (a.value < b.value ? -1 : 1) : a.name < b.name ? -1 : 1));
}

/** []Arg → map[string]string, later duplicates winning (ConvertFromArgs). */
function argsToMap(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Obj = {};
  for (const arg of value) if (isObject(arg) && typeof arg.name === 'string') out[arg.name] = typeof arg.value === 'string' ? arg.value : '';
  return out;
}

/** The objects holding extraArgs (API server, controller manager, scheduler, local etcd). */
function components(config: Obj | undefined): Obj[] {
  return [sub(config, 'apiServer'), sub(config, 'controllerManager'), sub(config, 'scheduler'), sub(config, 'etcd', 'local')]
    .filter((c): c is Obj => c !== undefined);
}

/** v1beta2 bootstrap types are omitzero throughout, so emptied structs disappear from the stored object. */
function dropEmptyDeep(obj: Obj): void {
  for (const [key, value] of Object.entries(obj)) {
    if (!isObject(value)) continue;
    dropEmptyDeep(value);
    if (Object.keys(value).length === 0) delete obj[key];
  }
}

/** Restores a *bool intent on each element of a list matched by key (RestoreBoolIntentKubeadmConfigSpec). */
function listBoolIntent(list: unknown, restoredList: unknown, key: string, field: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!isObject(item)) continue;
    const restored = Array.isArray(restoredList) ? restoredList.find((r) => isObject(r) && r[key] === item[key]) : undefined;
    const value = boolIntent(item[field], isObject(restored) ? restored[field] : undefined);
    if (value === undefined) delete item[field];
    else item[field] = value;
  }
}

function pathBoolIntent(obj: Obj | undefined, restored: Obj | undefined, field: string): void {
  if (!obj) return;
  const value = boolIntent(obj[field], restored?.[field]);
  if (value === undefined) delete obj[field];
  else obj[field] = value;
}

/** KubeadmConfigSpec v1beta1 → v1beta2 (Convert_v1beta1_KubeadmConfigSpec_To_v1beta2_KubeadmConfigSpec and ConvertTo). */
export function kubeadmConfigToHub(spec: Obj, restored: Obj | undefined, kind: string): void {
  const cluster = sub(spec, 'clusterConfiguration');
  const init = sub(spec, 'initConfiguration');
  const join = sub(spec, 'joinConfiguration');
  const controlPlaneTimeout = take(sub(cluster, 'apiServer'), 'timeoutForControlPlane');
  const discoveryTimeout = take(sub(join, 'discovery'), 'timeout');
  for (const component of components(cluster)) put(component, 'extraArgs', argsToList(take(component, 'extraArgs')));
  for (const config of [init, join]) {
    const registration = sub(config, 'nodeRegistration');
    if (registration) put(registration, 'kubeletExtraArgs', argsToList(take(registration, 'kubeletExtraArgs')));
  }
  const tokens = init?.bootstrapTokens;
  if (Array.isArray(tokens)) {
    for (const token of tokens) if (isObject(token)) put(token, 'ttlSeconds', durationToSeconds(take(token, 'ttl'), kind));
  }
  // bool → *bool with intent, for the fields that became pointers.
  const r = restored ?? {};
  pathBoolIntent(sub(join, 'discovery', 'bootstrapToken'), sub(r, 'joinConfiguration', 'discovery', 'bootstrapToken'), 'unsafeSkipCAVerification');
  pathBoolIntent(sub(join, 'discovery', 'file', 'kubeConfig', 'cluster'), sub(r, 'joinConfiguration', 'discovery', 'file', 'kubeConfig', 'cluster'), 'insecureSkipTLSVerify');
  pathBoolIntent(sub(join, 'discovery', 'file', 'kubeConfig', 'user', 'exec'), sub(r, 'joinConfiguration', 'discovery', 'file', 'kubeConfig', 'user', 'exec'), 'provideClusterInfo');
  for (const name of ['apiServer', 'controllerManager', 'scheduler']) {
    listBoolIntent(sub(cluster, name)?.extraVolumes, sub(r, 'clusterConfiguration', name)?.extraVolumes, 'hostPath', 'readOnly');
  }
  listBoolIntent(spec.files, r.files, 'path', 'append');
  pathBoolIntent(sub(spec, 'ignition', 'containerLinuxConfig'), sub(r, 'ignition', 'containerLinuxConfig'), 'strict');
  delete spec.useExperimentalRetryJoin;
  if (restored) {
    // RestoreKubeadmConfigSpec: fields added in v1beta2.
    for (const name of ['initConfiguration', 'joinConfiguration']) {
      const timeouts = sub(restored, name, 'timeouts');
      if (timeouts && Object.keys(timeouts).length) ensure(spec, name).timeouts = clone(timeouts);
    }
    const restoredCluster = sub(restored, 'clusterConfiguration');
    for (const key of ['certificateValidityPeriodDays', 'caCertificateValidityPeriodDays', 'encryptionAlgorithm']) {
      if (restoredCluster?.[key]) ensure(spec, 'clusterConfiguration')[key] = restoredCluster[key];
    }
  }
  // KubeadmConfigSpec.ConvertTo: timeouts that already exist in v1beta1 override the restored ones.
  const controlPlaneSeconds = durationToSeconds(controlPlaneTimeout, kind);
  if (controlPlaneSeconds !== undefined) ensure(spec, 'initConfiguration', 'timeouts').controlPlaneComponentHealthCheckSeconds = controlPlaneSeconds;
  if (discoveryTimeout !== undefined || controlPlaneSeconds !== undefined) {
    const joinTimeouts = ensure(spec, 'joinConfiguration', 'timeouts');
    if (controlPlaneSeconds !== undefined) joinTimeouts.controlPlaneComponentHealthCheckSeconds = controlPlaneSeconds;
    else delete joinTimeouts.controlPlaneComponentHealthCheckSeconds;
    put(joinTimeouts, 'tlsBootstrapSeconds', durationToSeconds(discoveryTimeout, kind));
  }
  dropEmptyDeep(spec);
}

/** KubeadmConfigSpec v1beta2 → v1beta1 (Convert_v1beta2_KubeadmConfigSpec_To_v1beta1_KubeadmConfigSpec and ConvertFrom). */
export function kubeadmConfigFromHub(spec: Obj): void {
  const cluster = sub(spec, 'clusterConfiguration');
  for (const component of components(cluster)) put(component, 'extraArgs', argsToMap(take(component, 'extraArgs')));
  for (const name of ['initConfiguration', 'joinConfiguration']) {
    const registration = sub(spec, name, 'nodeRegistration');
    if (registration) put(registration, 'kubeletExtraArgs', argsToMap(take(registration, 'kubeletExtraArgs')));
  }
  const tokens = sub(spec, 'initConfiguration')?.bootstrapTokens;
  if (Array.isArray(tokens)) {
    for (const token of tokens) if (isObject(token)) put(token, 'ttl', secondsToDuration(take(token, 'ttlSeconds')));
  }
  const initTimeouts = sub(take(sub(spec, 'initConfiguration'), 'timeouts'));
  const joinTimeouts = sub(take(sub(spec, 'joinConfiguration'), 'timeouts'));
  const controlPlane = secondsToDuration(initTimeouts?.controlPlaneComponentHealthCheckSeconds);
  if (controlPlane !== undefined) ensure(spec, 'clusterConfiguration', 'apiServer').timeoutForControlPlane = controlPlane;
  const tlsBootstrap = secondsToDuration(joinTimeouts?.tlsBootstrapSeconds);
  if (tlsBootstrap !== undefined) ensure(spec, 'joinConfiguration', 'discovery').timeout = tlsBootstrap;
  dropEmpty(spec, 'initConfiguration');
  dropEmpty(spec, 'joinConfiguration');
  const users = spec.users;
  if (Array.isArray(users)) {
    for (const user of users) {
      if (!isObject(user)) continue;
      for (const key of ['gecos', 'groups', 'homeDir', 'shell', 'passwd', 'primaryGroup', 'sudo']) dropEmptyString(user, key);
    }
  }
}

const newCounters = ['readyReplicas', 'availableReplicas', 'upToDateReplicas'];
const oldCounters = ['updatedReplicas', 'readyReplicas', 'unavailableReplicas'];

function toHub(obj: KubeObject): KubeObject {
  const out = clone(obj);
  out.apiVersion = `${group}/v1beta2`;
  const restored = takeConversionData(out);
  const spec = ensure(out, 'spec');
  const template = ensure(spec, 'machineTemplate');
  const templateSpec = ensure(template, 'spec');
  put(templateSpec, 'infrastructureRef', toContractRef(take(template, 'infrastructureRef')));
  put(templateSpec, 'readinessGates', take(template, 'readinessGates'));
  timeoutsToHub(template, templateSpec, out.kind);
  dropEmpty(template, 'metadata');
  dropEmpty(template, 'spec');
  const remediation = sub(take(spec, 'remediationStrategy'));
  if (remediation) {
    const target: Obj = {};
    put(target, 'maxRetry', remediation.maxRetry);
    put(target, 'minHealthyPeriodSeconds', durationToSeconds(remediation.minHealthyPeriod, out.kind));
    put(target, 'retryPeriodSeconds', durationIntent(remediation.retryPeriod, sub(restored, 'spec', 'remediation')?.retryPeriodSeconds, out.kind));
    if (Object.keys(target).length) spec.remediation = target;
  }
  const before = sub(take(spec, 'rolloutBefore'));
  if (before?.certificatesExpiryDays !== undefined) ensure(spec, 'rollout', 'before').certificatesExpiryDays = before.certificatesExpiryDays;
  const after = take(spec, 'rolloutAfter');
  if (after) ensure(spec, 'rollout').after = after;
  const strategy = sub(take(spec, 'rolloutStrategy'));
  if (strategy) {
    if (strategy.type) ensure(spec, 'rollout', 'strategy').type = strategy.type;
    const maxSurge = sub(strategy, 'rollingUpdate')?.maxSurge;
    if (maxSurge !== undefined) ensure(spec, 'rollout', 'strategy', 'rollingUpdate').maxSurge = maxSurge;
  }
  const naming = sub(take(spec, 'machineNamingStrategy'));
  if (naming?.template) spec.machineNaming = { template: naming.template };
  const kubeadm = sub(spec, 'kubeadmConfigSpec');
  if (kubeadm) kubeadmConfigToHub(kubeadm, sub(restored, 'spec', 'kubeadmConfigSpec'), out.kind);
  dropEmptyString(spec, 'version');

  const status = ensure(out, 'status');
  const v1beta2 = sub(status, 'v1beta2');
  const old = Object.fromEntries(oldCounters.map((k) => [k, take(status, k)]));
  const deprecated = conditionsToHub(status, true)!;
  for (const [key, value] of Object.entries(old)) deprecated[key] = typeof value === 'number' ? value : 0;
  for (const key of newCounters) put(status, key, v1beta2?.[key]);
  const initialized = boolIntent(take(status, 'initialized'), sub(restored, 'status', 'initialization')?.controlPlaneInitialized);
  if (initialized !== undefined) status.initialization = { controlPlaneInitialized: initialized };
  delete status.ready;
  const last = sub(status, 'lastRemediation');
  if (last) put(last, 'time', take(last, 'timestamp'));
  status.replicas = typeof status.replicas === 'number' ? status.replicas : 0;
  dropEmptyString(status, 'version');
  return out;
}

function fromHub(obj: KubeObject, resolve: ApiVersionResolver): KubeObject {
  const out = clone(obj);
  out.apiVersion = `${group}/v1beta1`;
  const spec = ensure(out, 'spec');
  const template = ensure(spec, 'machineTemplate');
  // ObjectMeta is a struct in v1beta1, always written by encoding/json.
  ensure(template, 'metadata');
  const templateSpec = sub(take(template, 'spec')) ?? {};
  // infrastructureRef is a required, non-pointer ObjectReference in v1beta1.
  template.infrastructureRef = fromContractRef(templateSpec.infrastructureRef, out.metadata.namespace, resolve, out.kind) ?? {};
  put(template, 'readinessGates', templateSpec.readinessGates);
  timeoutsFromHub(templateSpec, template);
  const remediation = sub(take(spec, 'remediation'));
  if (remediation && Object.keys(remediation).length) {
    // retryPeriod is a non-pointer Duration in v1beta1, so it is always written ("0s" when unset).
    const target: Obj = {};
    put(target, 'maxRetry', remediation.maxRetry);
    put(target, 'minHealthyPeriod', secondsToDuration(remediation.minHealthyPeriodSeconds));
    target.retryPeriod = secondsToDuration(remediation.retryPeriodSeconds) ?? '0s';
    spec.remediationStrategy = target;
  }
  const rollout = sub(take(spec, 'rollout'));
  const before = sub(rollout, 'before');
  if (before && Object.keys(before).length) spec.rolloutBefore = { certificatesExpiryDays: before.certificatesExpiryDays ?? 0 };
  put(spec, 'rolloutAfter', rollout?.after || undefined);
  const strategy = sub(rollout, 'strategy');
  if (strategy && Object.keys(strategy).length) {
    const target: Obj = {};
    put(target, 'type', strategy.type);
    const maxSurge = sub(strategy, 'rollingUpdate')?.maxSurge;
    if (maxSurge !== undefined) target.rollingUpdate = { maxSurge };
    spec.rolloutStrategy = target;
  }
  const naming = sub(take(spec, 'machineNaming'));
  if (naming?.template) spec.machineNamingStrategy = { template: naming.template };
  if (spec.version === undefined) spec.version = '';
  kubeadmConfigFromHub(ensure(spec, 'kubeadmConfigSpec'));

  const status = ensure(out, 'status');
  const fresh = Object.fromEntries(newCounters.map((k) => [k, take(status, k)]));
  const deprecated = conditionsFromHub(status);
  for (const key of oldCounters) status[key] = typeof deprecated?.[key] === 'number' ? deprecated[key] : 0;
  if (Object.values(fresh).some((v) => v !== undefined)) {
    const v1beta2 = ensure(status, 'v1beta2');
    for (const [key, value] of Object.entries(fresh)) put(v1beta2, key, value);
  }
  const init = sub(take(status, 'initialization'));
  status.initialized = init?.controlPlaneInitialized === true;
  // v1beta2 dropped `ready`; the conversion rebuilds it from the old-semantics ready counter.
  status.ready = typeof status.readyReplicas === 'number' && status.readyReplicas > 0;
  const last = sub(status, 'lastRemediation');
  if (last) put(last, 'timestamp', take(last, 'time'));
  status.replicas = typeof status.replicas === 'number' ? status.replicas : 0;
  dropEmptyString(status, 'version');
  putConversionData(out, obj);
  return out;
}

/** The v1beta1 ⇄ v1beta2 conversion of KubeadmControlPlane. */
export function kubeadmControlPlaneConversion(resolve: ApiVersionResolver): Conversion {
  return { toHub, fromHub: (o) => fromHub(o, resolve) };
}

// The simulated cluster as it stands when `deckhand sim` starts: a self-hosted CAPI/CAPO cluster already up (as after
// `clusterctl move`) — Cluster, OpenStackCluster, KubeadmControlPlane, MachineDeployment, its MachineSet, running
// Machines with ACTIVE OpenStackMachines and Ready Nodes — plus Prow's configuration, secrets, components and a few
// ProwJobs. Everything goes through the REST API, except the bulk of the `large` scenario (seed-large.ts).
import { isAlreadyExists, type ResourceType, type SimClient } from '../client.js';
import { capiAnnotations } from '../content/capi.js';
import { clusterNames, clusterObject, kubeadmControlPlaneObject, machineDeploymentObject, machineSetObject } from '../content/capi-objects.js';
import { openStackClusterObject, openStackMachineTemplateObject } from '../content/capo.js';
import { components, componentDeployment } from '../content/components.js';
import { between, nameSuffix, templateHash } from '../content/names.js';
import { nodeLeaseObject } from '../content/nodes.js';
import { controlPlaneMachineLabels, machineSetMachineLabels, provisionedInfra, provisionedMachineObject, type ProvisionInput } from '../content/provisioned.js';
import { templateForHash } from '../content/capi.js';
import { uuid } from '../content/names.js';
import { getPath, type KubeObject } from '../objects.js';
import type { SimContext } from './index.js';
import { kindsFor, type Kinds } from './kinds.js';
import { seededProwConfig } from './prow-config.js';
import { seedProwJobs } from './seed-prow.js';

/** Creates an object, tolerating one that already exists (seeding is idempotent). */
export async function ensure(client: SimClient, type: ResourceType, obj: KubeObject): Promise<KubeObject> {
  try {
    return await client.create(type, obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return client.get(type, obj.metadata.name!, obj.metadata.namespace);
  }
}

/** Creates a custom resource and then writes its status through /status (create ignores status there). */
async function ensureWithStatus(client: SimClient, type: ResourceType, obj: KubeObject): Promise<KubeObject> {
  const created = await ensure(client, type, obj);
  if (!obj.status) return created;
  return client.update(type, { ...created, status: obj.status }, { subresource: 'status' });
}

const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'capi-system', 'capi-kubeadm-bootstrap-system', 'capi-kubeadm-control-plane-system', 'capo-system', 'cert-manager', 'ingress-nginx'];
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Namespaces, Prow's ConfigMaps and Secrets, and the cloud credentials. */
async function seedBasics(ctx: SimContext, k: Kinds): Promise<void> {
  const s = ctx.scenario;
  for (const name of [...namespaces, s.prowNamespace, s.testPodsNamespace]) {
    await ensure(ctx.client, k.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  const secret = (ns: string, name: string, data: Record<string, string>, type = 'Opaque'): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type, data: Object.fromEntries(Object.entries(data).map(([key, v]) => [key, b64(v)])) });
  await ensure(ctx.client, k.secrets, secret(s.clusterNamespace, 'prow-cloud-config', { 'clouds.yaml': 'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.cloud.example:5000/v3\n      application_credential_id: 4f1c0e2b\n      application_credential_secret: not-a-real-secret\n    region_name: RegionOne\n    interface: public\n    auth_type: v3applicationcredential\n' }));
  if (!s.prow) return;
  const config = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: s.prowNamespace }, data });
  await ensure(ctx.client, k.configMaps, config('config', { 'config.yaml': seededProwConfig(s.prowNamespace, s.testPodsNamespace) }));
  await ensure(ctx.client, k.configMaps, config('job-config', { 'prowlab.yaml': '# presubmits, postsubmits and periodics of the prowlab org (see the simulator\'s job catalog)\n' }));
  await ensure(ctx.client, k.configMaps, config('plugins', { 'plugins.yaml': 'plugins:\n  prowlab:\n    plugins: [approve, assign, cat, help, hold, label, lgtm, lifecycle, size, trigger, verify-owners, wip, yuks]\nexternal_plugins:\n  prowlab:\n  - name: needs-rebase\n    events: [issue_comment, pull_request]\n  - name: cherrypicker\n    events: [issue_comment, pull_request]\n' }));
  await ensure(ctx.client, k.secrets, secret(s.prowNamespace, 'github-app', { appid: '302148', cert: '-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key\n-----END RSA PRIVATE KEY-----\n' }));
  await ensure(ctx.client, k.secrets, secret(s.prowNamespace, 'hmac-token', { hmac: 'sim-hmac-token' }));
  await ensure(ctx.client, k.secrets, secret(s.prowNamespace, 's3-credentials', { 'service-account.json': '{"region":"RegionOne","access_key":"sim","endpoint":"s3.cloud.example","insecure":false,"s3_force_path_style":true,"secret_key":"sim"}' }));
  await ensure(ctx.client, k.secrets, secret(s.testPodsNamespace, 's3-credentials', { 'service-account.json': '{"region":"RegionOne","access_key":"sim","endpoint":"s3.cloud.example","insecure":false,"s3_force_path_style":true,"secret_key":"sim"}' }));
  // The FailedMount scenario: the token secret was never created (a forgotten step of a deploy).
  if (s.brokenComponent?.mode !== 'FailedMount') await ensure(ctx.client, k.secrets, secret(s.prowNamespace, 'github-token', { token: 'ghp_simulatedtokennotreal' }));
}

/** Addresses on the cluster network for seeded machines (hosts .20–.250, distinct). */
function addressPool(ctx: SimContext): () => string {
  const [a, b, c] = ctx.cloud.clusterNetworkCidr.split('/')[0]!.split('.');
  const used = new Set<number>();
  return () => {
    let host = between(ctx.random, 20, 250);
    while (used.has(host)) host = 20 + ((host - 19) % 231);
    used.add(host);
    return `${a}.${b}.${c}.${host}`;
  };
}

/** Creates one running machine through the API: Machine, ACTIVE OpenStackMachine, bootstrap secret, Ready Node, Lease. */
async function seedMachine(ctx: SimContext, k: Kinds, input: ProvisionInput): Promise<void> {
  const serverId = uuid(ctx.random);
  const machine = await ensure(ctx.client, k.machines, provisionedMachineObject(input, serverId));
  const { openStackMachine, node } = provisionedInfra(input, machine, serverId);
  await ensureWithStatus(ctx.client, k.openStackMachines, openStackMachine);
  await ensure(ctx.client, k.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: input.name, namespace: machine.metadata.namespace, ownerReferences: [{ apiVersion: machine.apiVersion, kind: 'Machine', name: input.name, uid: machine.metadata.uid!, controller: true }] }, type: 'cluster.x-k8s.io/secret', data: { value: b64('#cloud-config\n'), format: b64('cloud-config') } });
  const created = await ensure(ctx.client, k.nodes, node);
  await ensure(ctx.client, k.leases, nodeLeaseObject(created, ctx.clock.now()));
}

/** The CAPI and CAPO objects, with the control plane and workers already running. */
async function seedCapi(ctx: SimContext, k: Kinds): Promise<void> {
  const s = ctx.scenario;
  const n = clusterNames(s);
  const image = `ubuntu-2204-kube-${s.kubernetesVersion}`;
  await ensure(ctx.client, k.openStackClusters, openStackClusterObject(s, ctx.cloud.clusterNetworkCidr));
  const cpTemplate = await ensure(ctx.client, k.openStackMachineTemplates, openStackMachineTemplateObject(s, n.cpTemplate, { flavor: 'm1.large', image }));
  const mdTemplate = await ensure(ctx.client, k.openStackMachineTemplates, openStackMachineTemplateObject(s, n.mdTemplate, { flavor: 'm1.xlarge', image }));
  await ensure(ctx.client, k.clusters, clusterObject(s, { host: ctx.cloud.loadBalancer.ip, port: ctx.cloud.loadBalancer.port }));
  const kcp = await ensure(ctx.client, k.kubeadmControlPlanes, kubeadmControlPlaneObject(s));
  const md = await ensure(ctx.client, k.machineDeployments, machineDeploymentObject(s));
  if (ctx.scenario.size) return; // seed-large.ts writes the machines of sized scenarios
  const address = addressPool(ctx);
  const now = ctx.clock.now();
  const cpSpec = { clusterName: n.cluster, version: s.kubernetesVersion, failureDomain: 'nova', bootstrap: { configRef: s.capi === 'v1beta1' ? { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1', kind: 'KubeadmConfig', name: n.kcp, namespace: n.namespace } : { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: n.kcp } }, infrastructureRef: getPath(kcp, s.capi === 'v1beta1' ? 'spec.machineTemplate.infrastructureRef' : 'spec.machineTemplate.spec.infrastructureRef') as Record<string, unknown> };
  for (let i = 0; i < s.controlPlaneReplicas; i++) {
    const name = `${n.kcp}-${nameSuffix(ctx.random)}`;
    await seedMachine(ctx, k, { scenario: s, name, owner: kcp, template: cpTemplate, labels: controlPlaneMachineLabels(kcp, n.cluster), annotations: { [capiAnnotations.kcpCleanupHook]: '' }, spec: cpSpec, address: address(), role: 'control-plane', random: ctx.random, nowMs: now });
  }
  // The MachineSet the MachineDeployment controller would have made, hashed from the template as stored.
  const hash = templateHash(templateForHash(s.capi, getPath(md, 'spec.template.spec')));
  const ms = await ensure(ctx.client, k.machineSets, machineSetObject(s.capi, md, { name: `${n.md}-${nameSuffix(ctx.random)}`, hash, replicas: s.workerReplicas, revision: 1 }));
  await ctx.client.patch(k.machineDeployments, n.md, { metadata: { annotations: { [capiAnnotations.revision]: '1' } } }, { namespace: n.namespace });
  for (let i = 0; i < s.workerReplicas; i++) {
    const name = `${n.cluster}-md-0-${nameSuffix(ctx.random)}`;
    await seedMachine(ctx, k, { scenario: s, name, owner: ms, template: mdTemplate, labels: machineSetMachineLabels(ms, n.cluster), spec: getPath(ms, 'spec.template.spec') as Record<string, unknown>, address: address(), role: 'worker', random: ctx.random, nowMs: now });
  }
}

/** Prow's components, their PodDisruptionBudgets and Services, and CoreDNS. */
async function seedWorkloads(ctx: SimContext, k: Kinds): Promise<void> {
  const s = ctx.scenario;
  await ensure(ctx.client, k.deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { priorityClassName: 'system-cluster-critical', tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'], resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } } }] } },
    },
  });
  if (!s.prow) return;
  for (const c of components) {
    const broken = s.brokenComponent?.name === c.name ? s.brokenComponent.mode : undefined;
    const config = broken === 'FailedMount' && !c.secrets['github-token'] ? { ...c, secrets: { ...c.secrets, 'github-token': 'github-token' } } : c;
    await ensure(ctx.client, k.deployments, componentDeployment(config, { namespace: s.prowNamespace, brokenConfig: broken === 'CrashLoopBackOff' }));
    if (c.port) {
      await ensure(ctx.client, k.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: c.name, namespace: s.prowNamespace, labels: { app: c.name } }, spec: { type: 'ClusterIP', selector: { app: c.name }, ports: [{ name: 'main', port: c.port === 8080 ? 80 : c.port, targetPort: c.port, protocol: 'TCP' }] } });
    }
  }
  for (const name of ['hook', 'deck']) {
    await ensure(ctx.client, k.pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: s.prowNamespace }, spec: { minAvailable: 1, selector: { matchLabels: { app: name } } } });
  }
}

/** Seeds the cluster through the API (and, for the large scenario, the bulk writer). */
export async function seed(ctx: SimContext): Promise<void> {
  const k = kindsFor(ctx.scenario);
  await seedBasics(ctx, k);
  await seedCapi(ctx, k);
  await seedWorkloads(ctx, k);
  if (ctx.scenario.prow) await seedProwJobs(ctx, k);
  ctx.log(`seeded scenario ${ctx.scenario.name}`);
}

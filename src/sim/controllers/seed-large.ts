// The `large` scenario for benchmarks: `size.nodes` running machines (Machine, ACTIVE OpenStackMachine, Ready Node,
// Lease), `size.prowjobs` ProwJobs of realistic size (history spread over sinker's retention window, some running)
// and `size.pods` pods (running test pods plus the pods of the most recent completed jobs). Written through the
// lead's bulk writer (directly into the store, as a loader writing etcd would); without one, through the API.
import { capiAnnotations, templateForHash } from '../content/capi.js';
import { clusterNames, machineSetObject } from '../content/capi-objects.js';
import { buildId, nameSuffix, templateHash, uuid } from '../content/names.js';
import { nodeLeaseObject } from '../content/nodes.js';
import { runningStatus, type ContainerState } from '../content/pod-status.js';
import { testPodObject } from '../content/pods.js';
import { controlPlaneMachineLabels, machineSetMachineLabels, provisionedInfra, provisionedMachineObject } from '../content/provisioned.js';
import { getPath, timestamp, type KubeObject } from '../objects.js';
import type { SimContext } from './index.js';
import { kindsFor } from './kinds.js';
import { parseProwSettings, seededProwConfig } from './prow-config.js';
import { historicalProwJob } from './seed-prow.js';
import { ensure } from './seed.js';

/** Writes objects through ctx.bulk in chunks, or through the API when there is no bulk writer. */
async function writer(ctx: SimContext, objects: KubeObject[]): Promise<void> {
  if (ctx.bulk) {
    for (let i = 0; i < objects.length; i += 1000) ctx.bulk(objects.slice(i, i + 1000));
    return;
  }
  const k = kindsFor(ctx.scenario);
  const byKind = new Map(Object.values(k).map((t) => [t.kind, t]));
  for (const obj of objects) await ensure(ctx.client, byKind.get(obj.kind)!, obj);
}

/** Seeds the bulk of a sized scenario. */
export async function seedLarge(ctx: SimContext): Promise<void> {
  const s = ctx.scenario;
  const size = s.size;
  if (!size) return;
  const k = kindsFor(s);
  const n = clusterNames(s);
  const now = ctx.clock.now();
  const random = ctx.random;
  const withUid = (o: KubeObject) => ((o.metadata.uid ??= uuid(random)), o);
  const md = await ctx.client.get(k.machineDeployments, n.md, n.namespace);
  const kcp = await ctx.client.get(k.kubeadmControlPlanes, n.kcp, n.namespace);
  const mdTemplate = await ctx.client.get(k.openStackMachineTemplates, n.mdTemplate, n.namespace);
  const cpTemplate = await ctx.client.get(k.openStackMachineTemplates, n.cpTemplate, n.namespace);
  const workers = Math.max(0, size.nodes - s.controlPlaneReplicas);
  const hash = templateHash(templateForHash(s.capi, getPath(md, 'spec.template.spec')));
  const ms = withUid(machineSetObject(s.capi, md, { name: `${n.md}-${nameSuffix(random)}`, hash, replicas: workers, revision: 1 }));
  await ctx.client.patch(k.machineDeployments, n.md, { metadata: { annotations: { [capiAnnotations.revision]: '1' } } }, { namespace: n.namespace });
  const [a, b, c] = ctx.cloud.clusterNetworkCidr.split('/')[0]!.split('.');
  const objects: KubeObject[] = [ms];
  const nodes: KubeObject[] = [];
  const cpSpec = { clusterName: n.cluster, version: s.kubernetesVersion, bootstrap: { configRef: s.capi === 'v1beta1' ? { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1', kind: 'KubeadmConfig', name: n.kcp, namespace: n.namespace } : { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: n.kcp } }, infrastructureRef: getPath(kcp, s.capi === 'v1beta1' ? 'spec.machineTemplate.infrastructureRef' : 'spec.machineTemplate.spec.infrastructureRef') as Record<string, unknown> };
  for (let i = 0; i < size.nodes; i++) {
    const cp = i < s.controlPlaneReplicas;
    const name = cp ? `${n.kcp}-${nameSuffix(random)}` : `${n.cluster}-md-0-${nameSuffix(random)}`;
    const input = {
      scenario: s, name, owner: cp ? kcp : ms, template: cp ? cpTemplate : mdTemplate,
      labels: cp ? controlPlaneMachineLabels(kcp, n.cluster) : machineSetMachineLabels(ms, n.cluster),
      annotations: cp ? { [capiAnnotations.kcpCleanupHook]: '' } : undefined,
      spec: cp ? cpSpec : (getPath(ms, 'spec.template.spec') as Record<string, unknown>),
      // Hosts .20–.250 of the /24; beyond 231 machines addresses repeat (the simulated network has no more room).
      address: `${a}.${b}.${c}.${20 + (i % 231)}`, role: (cp ? 'control-plane' : 'worker') as 'control-plane' | 'worker', random, nowMs: now,
    };
    const serverId = uuid(random);
    const machine = withUid(provisionedMachineObject(input, serverId));
    const { openStackMachine, node } = provisionedInfra(input, machine, serverId);
    withUid(node);
    objects.push(machine, withUid(openStackMachine), node, nodeLeaseObject(node, now));
    if (!cp) nodes.push(node);
  }
  await writer(ctx, objects);

  // ProwJobs: history within sinker's retention (scaled to real time), the newest ones with their pods kept.
  // Two stretches of history, in real seconds: jobs whose pods sinker still keeps finished within
  // terminated_pod_ttl; older ones (pods gone) reach back to max_prowjob_age. Both stay inside the limits.
  const settings = parseProwSettings(seededProwConfig(s.prowNamespace, s.testPodsNamespace));
  const running = Math.min(Math.floor(size.pods * 0.06), nodes.length * 4, size.prowjobs);
  const podBudget = Math.max(0, Math.min(size.prowjobs, size.pods) - running);
  const withPods = running + podBudget;
  const recent = (settings.terminatedPodTtl * 0.7) / ctx.clock.timeScale;
  const oldest = (settings.maxProwJobAge * 0.8) / ctx.clock.timeScale;
  const jobs: KubeObject[] = [];
  const pods: KubeObject[] = [];
  for (let i = 0; i < size.prowjobs; i++) {
    const fromEnd = size.prowjobs - i;
    const ago = fromEnd <= withPods ? recent * (fromEnd / Math.max(1, withPods)) : recent + (oldest - recent) * ((fromEnd - withPods) / Math.max(1, size.prowjobs - withPods));
    const type = i % 10 === 9 ? 'postsubmit' : i % 25 === 24 ? 'periodic' : 'presubmit';
    const pj = withUid(historicalProwJob(s, random, now, ago, type, ctx.clock.timeScale));
    pj.metadata.creationTimestamp = String(getPath(pj, 'status.startTime'));
    jobs.push(pj);
  }
  const nodeAt = (i: number) => nodes[i % Math.max(1, nodes.length)];
  jobs.forEach((pj, i) => {
    const isRunning = i >= jobs.length - running;
    const keepsPod = isRunning || i >= jobs.length - running - podBudget;
    if (!keepsPod || nodes.length === 0) return;
    const status = pj.status as Record<string, unknown>;
    const build = String(status.build_id ?? buildId(now, random));
    const pod = withUid(testPodObject(pj, build, s.testPodsNamespace));
    const node = nodeAt(i)!;
    (pod.spec as Record<string, unknown>).nodeName = node.metadata.name;
    pod.metadata.creationTimestamp = String(status.pendingTime ?? status.startTime);
    (pod.status as unknown) = undefined;
    const started = String(status.pendingTime ?? status.startTime);
    if (isRunning) {
      Object.assign(status, { state: 'pending', description: 'Job triggered.' });
      delete status.completionTime;
      const startedAt = timestamp(now - 1000 * (30 + (i % 60)) / Math.max(1, ctx.clock.timeScale));
      const states: ContainerState[] = ['test', 'sidecar'].map((name) => ({ name, restartCount: 0, ready: true, state: { running: { startedAt } } }));
      pod.status = { ...runningStatus({ ...pod, status: { startTime: startedAt } }, node, now, states) };
    } else {
      const ok = status.state === 'success';
      const finishedAt = String(status.completionTime);
      const states: ContainerState[] = [
        { name: 'test', restartCount: 0, ready: false, state: { terminated: { exitCode: ok ? 0 : 1, reason: ok ? 'Completed' : 'Error', startedAt: started, finishedAt } } },
        { name: 'sidecar', restartCount: 0, ready: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt } } },
      ];
      pod.status = runningStatus({ ...pod, status: { startTime: started } }, node, now, states, ok || status.state === 'aborted' ? 'Succeeded' : 'Failed');
    }
    pods.push(pod);
  });
  await writer(ctx, jobs);
  await writer(ctx, pods);
  ctx.log(`seeded ${size.nodes} nodes, ${jobs.length} prowjobs, ${pods.length} test pods`);
}

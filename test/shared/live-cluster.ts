// A live cluster through deckhand's real client, the same on both targets with the simulated controllers running
// (on the real kube-apiserver they are API clients like any other): the model equals the server while they work,
// the derived tables read what they made (usage only where metrics.k8s.io is served), and every action's shape
// passes the served schema with fieldValidation=Strict while status writes keep moving resourceVersions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyPlan, getView, planDelete, planPatch, resourceRef } from '../../src/kube/actions.js';
import type { KubeClient } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { kinds, resolveKind } from '../../src/kube/kinds.js';
import { latestNodeUsage, recordPoll, emptyHistory } from '../../src/kube/metrics-history.js';
import {
  planAllowedCidrs, planBastionImage, planMachineTimeouts, planMarkMachineForDeletion, planScaleMachineDeployment,
} from '../../src/kube/operations.js';
import { startSession, type ClusterSession } from '../../src/kube/session.js';
import { summarizeComponents } from '../../src/kube/summarize/components.js';
import { summarizeJobUsage } from '../../src/kube/summarize/job-usage.js';
import { summarizeMachines } from '../../src/kube/summarize/machines.js';
import { summarizeNodes } from '../../src/kube/summarize/nodes.js';
import { summarizeProwJobs } from '../../src/kube/summarize/prow-jobs.js';
import { summarizeRollouts } from '../../src/kube/summarize/rollouts.js';
import { Collector, eventually, fastTuning, modelDiff } from '../kube/sim-helpers.js';
import { sharedScenarios, type Target, type TargetFactory } from './target.js';

/** Re-reads and re-plans on 409: the controllers keep updating status, as on a live cluster. */
async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof KubeError && err.kind === 'conflict') || i >= 20) throw err;
    }
  }
}

/** Defines the live-cluster tests against the target `start` returns (it must run the controllers). */
export function defineLiveClusterSuite(start: TargetFactory): void {
  let target: Target;
  let client: KubeClient;
  let collector: Collector;
  let session: ClusterSession;

  const expected = () => sharedScenarios.find((s) => s.capi === target.scenario.capi)!;
  before(async () => {
    target = await start();
    assert.ok(target.controllers, 'this suite needs a target running the controllers');
    client = target.client();
    collector = new Collector();
    session = await startSession({ client, tuning: fastTuning, metricsIntervalMs: 1000 }, collector);
    await eventually('all sources synced', () => collector.synced());
    // Settled: the workers joined and every Machine is Running.
    await eventually('3 Ready nodes and 3 Running machines', () => {
      const m = collector.model;
      return [...m.nodes.values()].filter((n) => n.ready === 'True').length === 3 && [...m.machines.values()].filter((x) => x.phase === 'Running').length === 3;
    }, 60_000);
  });
  after(async () => {
    session?.stop();
    await target?.stop();
  });

  test('discovery picks the served versions; every family is installed', () => {
    const f = session.discovery.families;
    assert.deepEqual(f.capi, { installed: true, version: expected().capi });
    assert.deepEqual(f.kcp, { installed: true, version: expected().capi });
    assert.deepEqual(f.capo, { installed: true, version: expected().capo });
    assert.deepEqual(f.prow, { installed: true, version: 'v1' });
    if (target.metrics) assert.deepEqual(f.metrics, { installed: true, version: 'v1beta1' });
    else assert.equal(f.metrics.installed, false);
    assert.match(session.discovery.serverVersion, /^v1\.\d+/);
  });

  test('the model equals the server for the CAPI and CAPO kinds (keys and resourceVersions)', async () => {
    // The controllers keep working, so compare until a quiet moment shows no difference.
    await eventually('model == server', async () => (await modelDiff(target.access, session.discovery, collector.model, ['machines', 'machineSets', 'machineDeployments', 'controlPlanes', 'openstackClusters', 'openstackMachines', 'deployments'])) === '');
  });

  test('derived tables: nodes, machines with owners, settled rollouts, Prow jobs, components, job usage', async () => {
    const now = Date.now();
    // Usage needs the metrics API, which only the sim serves.
    if (target.metrics) await eventually('a metrics poll with node samples', () => collector.polls.some((p) => p.nodes.length === 3));
    const history = collector.polls.reduce((h, poll) => recordPoll(h, poll, (ns, name) => {
      const pod = collector.model.pods.get(`${ns}/${name}`);
      return pod ? { ...(pod.job ? { job: pod.job.job } : {}), ...(pod.nodeName ? { node: pod.nodeName } : {}) } : undefined;
    }), emptyHistory());
    const nodes = summarizeNodes(collector.model, latestNodeUsage(history), now);
    assert.equal(nodes.length, 3);
    for (const n of nodes) {
      assert.equal(n.status, 'Ready', n.name);
      assert.ok(n.machine, `${n.name} is linked to its Machine`);
      assert.ok(n.cpu.allocatable > 0 && n.memory.allocatable > 0);
    }
    if (target.metrics) assert.ok(nodes.some((n) => n.cpu.usage !== undefined && n.cpu.usagePercent !== undefined));
    else {
      assert.ok(nodes.every((n) => n.cpu.usage === undefined), 'no usage without the metrics API');
      await eventually('the requests of the pods running there', () => summarizeNodes(collector.model, new Map(), Date.now()).some((n) => n.cpu.requested > 0));
    }
    assert.deepEqual(nodes.filter((n) => n.roles.includes('control-plane')).length, 1);

    const machines = summarizeMachines(collector.model, now);
    assert.deepEqual(machines.map((m) => m.owner?.kind).sort(), ['KubeadmControlPlane', 'MachineDeployment', 'MachineDeployment']);
    for (const m of machines) {
      assert.equal(m.replacedOnDelete, true);
      assert.ok(m.node && m.providerID?.startsWith('openstack://'), `${m.name}: node ${m.node} providerID ${m.providerID}`);
    }

    const { machineDeployments, controlPlanes } = summarizeRollouts(collector.model, now);
    assert.deepEqual(machineDeployments.map((r) => [r.name, r.desired, r.complete, r.machines.total]), [['prow-md-0', 2, true, 2]]);
    assert.deepEqual(controlPlanes.map((r) => [r.name, r.desired, r.complete]), [['prow-control-plane', 1, true]]);

    const jobs = summarizeProwJobs(collector.model, now);
    assert.ok(jobs.total > 0);
    assert.equal(Object.values(jobs.counts).reduce((a, b) => a + b, 0), jobs.total);
    const components = summarizeComponents(collector.model, now, 'prow');
    assert.ok(components.some((c) => c.name === 'hook'), components.map((c) => c.name).join(','));

    if (!target.metrics) return;
    await eventually('a running job sampled', () => summarizeJobUsage(collector.model, collector.polls.reduce((h, p) => recordPoll(h, p, (ns, name) => {
      const pod = collector.model.pods.get(`${ns}/${name}`);
      return pod?.job ? { job: pod.job.job } : undefined;
    }), emptyHistory())).some((r) => r.runsSeen > 0 && r.max !== undefined), 30_000);
  });

  test('actions: Strict-validated timeouts per version, dry run, stale plans, scale, annotate, CIDRs, bastion image', async () => {
    const d = session.discovery;
    const worker = [...collector.model.machines.values()].find((m) => m.deploymentName === 'prow-md-0')!;
    const read = async () => (await getView(client, d, 'machines', worker.namespace, worker.name))!;

    const dry = await retrying(async () => applyPlan(client, planMachineTimeouts(d, await read(), { nodeDrainSeconds: 600 }, { dryRun: true })));
    assert.equal(dry.dryRun, true);
    assert.equal((await read()).nodeDrainSeconds, undefined, 'dry run changed nothing');

    const before = await read();
    const applied = await retrying(async () => applyPlan(client, planMachineTimeouts(d, await read(), { nodeDrainSeconds: 600, nodeVolumeDetachSeconds: 900 })));
    assert.deepEqual(applied.warnings, []);
    // Read from the answer: the MachineSet controller puts its template's (unset) timeouts back on its Machines
    // in place, as CAPI does, so a later read may already show them reverted.
    const resolved = resolveKind(kinds.machines, d);
    assert.ok(resolved.installed);
    const after = resolved.project(applied.object);
    assert.deepEqual([after.nodeDrainSeconds, after.nodeVolumeDetachSeconds], [600, 900]);

    // A plan made from a view older than the last write is stale: 409, which runbooks turn into "preview again".
    await assert.rejects(applyPlan(client, planMarkMachineForDeletion(d, before)), (e: unknown) => e instanceof KubeError && e.kind === 'conflict');
    await retrying(async () => applyPlan(client, planMarkMachineForDeletion(d, await read())));
    assert.equal((await read()).markedForDeletion, true);

    // The other version's field name is rejected by Strict validation instead of being dropped silently.
    const wrongField = expected().capi === 'v1beta2' ? { spec: { nodeDrainTimeout: '10m0s' } } : { spec: { deletion: { nodeDrainTimeoutSeconds: 600 } } };
    await assert.rejects(
      retrying(async () => {
        const latest = await read();
        return applyPlan(client, planPatch(resourceRef('machines', d, latest.namespace, latest.name), { type: 'merge', patch: wrongField }, { resourceVersion: latest.resourceVersion }));
      }),
      (e: unknown) => e instanceof KubeError && e.kind === 'invalid' && /nodeDrainTimeout|deletion/.test(e.message),
    );

    // A delete whose uid precondition does not match is refused.
    await assert.rejects(applyPlan(client, planDelete(resourceRef('machines', d, worker.namespace, worker.name), { uid: 'not-this-one' })), (e: unknown) => e instanceof KubeError && e.kind === 'conflict');

    const readMd = async () => (await getView(client, d, 'machineDeployments', 'default', 'prow-md-0'))!;
    const scaled = await retrying(async () => applyPlan(client, planScaleMachineDeployment(d, await readMd(), 3)));
    assert.equal((scaled.object as { spec?: { replicas?: number } }).spec?.replicas, 3);
    assert.equal((await readMd()).desired, 3);
    await eventually('the model sees 3 desired', () => collector.model.machineDeployments.get('default/prow-md-0')?.desired === 3);
    await retrying(async () => applyPlan(client, planScaleMachineDeployment(d, await readMd(), 2)));

    const readOsc = async () => (await getView(client, d, 'openstackClusters', 'default', 'prow'))!;
    const cidrs = [...((await readOsc()).apiServerLoadBalancer.allowedCidrs ?? []), '198.51.100.7/32'];
    await retrying(async () => applyPlan(client, planAllowedCidrs(d, await readOsc(), cidrs)));
    assert.deepEqual((await readOsc()).apiServerLoadBalancer.allowedCidrs, cidrs);
    const image = expected().capo === 'v1beta1' ? ({ kind: 'filter', name: 'ubuntu-24.04' } as const) : ({ kind: 'name', name: 'ubuntu-24.04' } as const);
    const checked = await retrying(async () => applyPlan(client, planBastionImage(d, await readOsc(), image, { dryRun: true })));
    assert.equal(checked.dryRun, true, 'the image shape of this version passes the schema');

    // JSON patch: conditional on the resourceVersion in the same way (409 when it moved on). A label is set, not
    // the unschedulable flag: the scale-down above may already be draining this node, and a patch that changes
    // nothing leaves the resourceVersion as it was.
    const readNode = async () => (await getView(client, d, 'nodes', undefined, worker.nodeName!))!;
    const labelPlan = (resourceVersion: string) =>
      planPatch(resourceRef('nodes', d, undefined, worker.nodeName!), { type: 'json', ops: [{ op: 'add', path: '/metadata/labels/deckhand-json-patch', value: target.scenario.name }] }, { resourceVersion });
    const stale = labelPlan((await readNode()).resourceVersion);
    const labelled = await retrying(async () => applyPlan(client, labelPlan((await readNode()).resourceVersion)));
    assert.equal((labelled.object as { metadata: { labels: Record<string, string> } }).metadata.labels['deckhand-json-patch'], target.scenario.name);
    await assert.rejects(applyPlan(client, stale), (e: unknown) => e instanceof KubeError && e.kind === 'conflict');
  });
}

// The simulator's controllers (kubelets, scheduler, node lifecycle, CAPI, CAPO, disruption, Prow) as API clients of
// a target, the same on both: on the real kube-apiserver they must make the cluster live through nothing but the
// REST API, exactly as they do in the simulator. They take the seeded cluster over without replacing anything and
// run its workloads; a MachineDeployment scaled through /scale gets a Machine, a server and a Ready Node (and loses
// one again); a Machine of an unreachable node stays in drain until the timeouts are set in the version's shape,
// then goes with its Node and is replaced; a new bastion image recreates the bastion (new server, address and SSH
// host key); a ProwJob runs to its end with its pod.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyPlan, getView } from '../../src/kube/actions.js';
import { discover } from '../../src/kube/discovery.js';
import { watchedFamilies } from '../../src/kube/kinds.js';
import { planBastionImage } from '../../src/kube/operations.js';
import { jobProfiles } from '../../src/sim/content/jobs.js';
import { prowJobObject } from '../../src/sim/content/prowjobs.js';
import { kindsFor, type Kinds } from '../../src/sim/controllers/kinds.js';
import { getPath, type KubeObject } from '../../src/sim/objects.js';
import { seededRandom } from '../../src/sim/random.js';
import { at, sshHostKey, until } from '../sim/controllers/harness.js';
import type { Target, TargetControllers, TargetFactory } from './target.js';

const ns = 'default';
type Cond = { type: string; status: string; reason?: string; message?: string };
const cond = (list: unknown, type: string) => (Array.isArray(list) ? (list as Cond[]).find((c) => c.type === type) : undefined);
const readyNode = (n: KubeObject | undefined) => cond(at(n, 'status.conditions'), 'Ready')?.status === 'True';

/** Defines the controller tests against the target `start` returns (it must run the controllers). */
export function defineControllersSuite(start: TargetFactory): void {
  let target: Target;
  let k: Kinds;
  let controllers: TargetControllers;
  const rest = () => target.rest;
  const v = () => target.scenario.capi;
  const workers = async () => (await rest().list(k.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' })).items;
  /** The v1beta2-style Deleting condition, wherever the version keeps it. */
  const deleting = (m: KubeObject) => cond(at(m, v() === 'v1beta2' ? 'status.conditions' : 'status.v1beta2.conditions'), 'Deleting');
  const logsTail = () => controllers.logs().slice(-15).join('\n');

  before(async () => {
    target = await start();
    assert.ok(target.controllers, 'this suite needs a target running the controllers');
    controllers = target.controllers;
    k = kindsFor(target.scenario);
  });
  after(async () => target?.stop());

  test('the controllers take the seeded cluster over without replacing anything, and run its workloads', async () => {
    const seeded = (await rest().list(k.machines, { namespace: ns })).items.map((m) => m.metadata.name!).sort();
    assert.equal(seeded.length, 3);
    await until('three Running machines with Ready nodes', async () => {
      const machines = (await rest().list(k.machines, { namespace: ns })).items;
      const nodes = (await rest().list(k.nodes)).items;
      return machines.length === 3 && machines.every((m) => at(m, 'status.phase') === 'Running') && nodes.length === 3 && nodes.every(readyNode);
    }, 30_000);
    assert.deepEqual((await rest().list(k.machines, { namespace: ns })).items.map((m) => m.metadata.name!).sort(), seeded, 'no machine was replaced');
    const coredns = await until('CoreDNS available (pods created, bound, started)', async () => {
      const d = await rest().get(k.deployments, 'coredns', 'kube-system');
      return at(d, 'status.availableReplicas') === 2 ? d : undefined;
    }, 30_000);
    assert.equal(at(coredns, 'status.observedGeneration'), coredns.metadata.generation);
    const pods = (await rest().list(k.pods, { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' })).items;
    for (const p of pods) {
      assert.ok(at(p, 'spec.nodeName'), `${p.metadata.name} is bound`);
      assert.equal(cond(at(p, 'status.conditions'), 'PodScheduled')?.status, 'True');
      assert.equal(at(p, 'spec.priority'), 2000000000, 'priority from system-cluster-critical, set by admission');
    }
    const bastion = await until('an ACTIVE bastion', async () => {
      const b = at(await rest().get(k.openStackClusters, 'prow', ns), 'status.bastion') as { id: string; state: string; floatingIP: string } | undefined;
      return b?.state === 'ACTIVE' ? b : undefined;
    }, 20_000);
    const running = controllers.cloud.bastions.get(bastion.id);
    assert.ok(running, 'the bastion runs in the cloud');
    assert.equal(await sshHostKey(controllers.cloud.operatorKey.privateKey, bastion.floatingIP, running.port), running.fingerprint);
  });

  test('a MachineDeployment scaled through /scale gets a Machine, its server and a Ready Node, and loses one again', async () => {
    const before = (await workers()).map((m) => m.metadata.name!);
    assert.equal(before.length, 2);
    const scale = await rest().patch(k.machineDeployments, 'prow-md-0', { spec: { replicas: 3 } }, { namespace: ns, subresource: 'scale' });
    assert.deepEqual([scale.kind, at(scale, 'spec.replicas')], ['Scale', 3]);
    const added = await until('a third worker machine', async () => (await workers()).find((m) => !before.includes(m.metadata.name!)));
    assert.match(added.metadata.name!, /^prow-md-0-[a-z0-9]{5}$/);
    const node = await until(`its node Ready\n${logsTail()}`, async () => {
      const n = await rest().find(k.nodes, added.metadata.name!);
      return readyNode(n) ? n : undefined;
    }, 30_000);
    const osm = await rest().get(k.openStackMachines, added.metadata.name!, ns);
    assert.equal(at(osm, 'status.instanceState'), 'ACTIVE');
    assert.equal(at(node, 'spec.providerID'), at(osm, 'spec.providerID'));
    await until('MachineDeployment status counting 3 ready replicas', async () => {
      const md = await rest().get(k.machineDeployments, 'prow-md-0', ns);
      return (v() === 'v1beta2' ? at(md, 'status.readyReplicas') : at(md, 'status.v1beta2.readyReplicas')) === 3;
    }, 30_000);

    await rest().patch(k.machineDeployments, 'prow-md-0', { spec: { replicas: 2 } }, { namespace: ns, subresource: 'scale' });
    const gone = await until('one worker removed with its node', async () => {
      const now = (await workers()).map((m) => m.metadata.name!);
      const removed = [...before, added.metadata.name!].filter((n) => !now.includes(n));
      return now.length === 2 && removed.length === 1 && !(await rest().find(k.nodes, removed[0]!)) ? removed[0] : undefined;
    }, 30_000);
    assert.equal(await rest().find(k.openStackMachines, gone, ns), undefined, 'its server was deleted');
  });

  test('a Machine of an unreachable node stays in drain until its timeouts are set, then it goes and is replaced', async () => {
    const [victim, survivor] = (await workers()).map((m) => m.metadata.name!).sort();
    assert.ok(victim && survivor);
    // A pod on the victim; its kubelet stops reporting, so once evicted it never finishes.
    await rest().create(k.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker-pod', namespace: ns }, spec: { nodeName: victim, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] } });
    await until('the pod to run', async () => at(await rest().get(k.pods, 'worker-pod', ns), 'status.phase') === 'Running');
    await controllers.failNode(victim);
    await until('Ready=Unknown with the unreachable taints', async () => {
      const n = await rest().get(k.nodes, victim);
      const taints = (at(n, 'spec.taints') as { key: string }[] | undefined) ?? [];
      return cond(at(n, 'status.conditions'), 'Ready')?.status === 'Unknown' && taints.some((t) => t.key === 'node.kubernetes.io/unreachable');
    }, 20_000);
    await rest().delete(k.machines, victim, { namespace: ns });
    const blocked = await until(`the machine to report DrainingNode\n${logsTail()}`, async () => {
      const m = await rest().get(k.machines, victim, ns);
      return deleting(m)?.reason === 'DrainingNode' && at(m, 'status.deletion.nodeDrainStartTime') ? m : undefined;
    }, 20_000);
    assert.match(String(deleting(blocked)?.message), /^Drain not completed yet \(started at .+\):\n\* Pods? .*: deletionTimestamp set, but still not removed from the Node/s);
    const evicted = await rest().get(k.pods, 'worker-pod', ns);
    assert.ok(evicted.metadata.deletionTimestamp, 'the pod was evicted');
    assert.ok(await rest().find(k.machines, victim, ns), 'still there while the drain cannot finish');

    const patch = v() === 'v1beta1'
      ? { spec: { nodeDrainTimeout: '1m', nodeVolumeDetachTimeout: '1m' } }
      : { spec: { deletion: { nodeDrainTimeoutSeconds: 60, nodeVolumeDetachTimeoutSeconds: 60 } } };
    await rest().patch(k.machines, victim, patch, { namespace: ns });
    await until(`machine ${victim} to be gone\n${logsTail()}`, async () => !(await rest().find(k.machines, victim, ns)), 30_000);
    assert.equal(await rest().find(k.nodes, victim), undefined, 'the Node was deleted');
    assert.equal(await rest().find(k.openStackMachines, victim, ns), undefined, 'the server was deleted');
    await until('a replacement worker with a Ready node', async () => {
      const fresh = (await workers()).map((m) => m.metadata.name!).find((n) => n !== survivor && n !== victim);
      return fresh && readyNode(await rest().find(k.nodes, fresh));
    }, 30_000);
    // The pod of the deleted node is removed by pod GC (kube-controller-manager's, simulated as a client here).
    await until('the dead node\'s pod to be gone', async () => !(await rest().find(k.pods, 'worker-pod', ns)), 20_000);
  });

  test('a new bastion image recreates the bastion: a new server, address and SSH host key', async () => {
    const client = target.client();
    const d = await discover(client, watchedFamilies);
    const first = at(await rest().get(k.openStackClusters, 'prow', ns), 'status.bastion') as { id: string; floatingIP: string };
    const firstKey = controllers.cloud.bastions.get(first.id)!.fingerprint;
    const image = target.scenario.capo === 'v1beta1' ? ({ kind: 'filter', name: 'ubuntu-24.04' } as const) : ({ kind: 'name', name: 'ubuntu-24.04' } as const);
    await applyPlan(client, planBastionImage(d, (await getView(client, d, 'openstackClusters', ns, 'prow'))!, image));
    const second = await until(`a new ACTIVE bastion\n${logsTail()}`, async () => {
      const b = at(await rest().get(k.openStackClusters, 'prow', ns), 'status.bastion') as { id: string; state: string; floatingIP: string } | undefined;
      return b && b.id !== first.id && b.state === 'ACTIVE' ? b : undefined;
    }, 30_000);
    assert.notEqual(second.floatingIP, first.floatingIP);
    assert.equal(controllers.cloud.bastions.has(first.id), false, 'the old server is gone');
    const key = await sshHostKey(controllers.cloud.operatorKey.privateKey, second.floatingIP, controllers.cloud.bastions.get(second.id)!.port);
    assert.notEqual(key, firstKey, 'a new SSH host key');
    await until('the allowlist with the new bastion', async () => (at(await rest().get(k.openStackClusters, 'prow', ns), 'status.apiServerLoadBalancer.allowedCIDRs') as string[] | undefined)?.includes(`${second.floatingIP}/32`));
  });

  test('a ProwJob runs: plank creates its pod, the scheduler binds it, the kubelet runs it, plank records the end', async () => {
    const pj = prowJobObject({
      job: { name: 'markdownlint', type: 'presubmit', profile: jobProfiles.markdownlint! },
      refs: { org: 'prowlab', repo: 'node-operator', baseRef: 'main', baseSha: 'a'.repeat(40), pulls: [{ number: 7, author: 'alice-k', sha: 'b'.repeat(40), title: 'docs' }] },
      namespace: target.scenario.prowNamespace, podNamespace: target.scenario.testPodsNamespace, nowMs: Date.now(), random: seededRandom(3),
    });
    const created = await rest().create(k.prowJobs, pj);
    const name = created.metadata.name!;
    const states: string[] = [];
    const done = await until(`the job to end\n${logsTail()}`, async () => {
      const x = await rest().get(k.prowJobs, name, target.scenario.prowNamespace);
      const state = String(at(x, 'status.state'));
      if (states.at(-1) !== state) states.push(state);
      return ['success', 'failure'].includes(state) ? x : undefined;
    }, 30_000);
    assert.deepEqual(states.filter((s) => s !== 'triggered').slice(-2), ['pending', String(at(done, 'status.state'))]);
    // ProwJob has no status subresource: plank writes status with the object, and the schema ties a final state
    // to completionTime.
    assert.ok(at(done, 'status.completionTime'));
    assert.equal(at(done, 'status.pod_name'), name);
    const pod = await rest().get(k.pods, name, target.scenario.testPodsNamespace);
    assert.equal(at(pod, 'status.phase'), at(done, 'status.state') === 'success' ? 'Succeeded' : 'Failed');
    assert.ok(getPath(pod, 'spec.nodeName'), 'bound by the scheduler');
  });
}

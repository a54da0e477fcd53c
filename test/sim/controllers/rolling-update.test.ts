// Watching an upgrade roll: a version change on the MachineDeployment creates a new MachineSet (new
// machine-template-hash, next revision) and replaces machines one at a time (maxSurge 1, maxUnavailable 0) until the
// old MachineSet is empty; the KubeadmControlPlane does the same for control-plane machines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/objects.js';
import { at, startCluster, until, type TestCluster } from './harness.js';

const ns = 'default';
type Cond = { type: string; status: string; reason?: string };
const cond = (list: unknown, type: string) => (Array.isArray(list) ? (list as Cond[]).find((c) => c.type === type) : undefined);
const nodeReady = (n: KubeObject | undefined) => cond(at(n, 'status.conditions'), 'Ready')?.status === 'True';

for (const scenario of ['capi-v1beta1', 'capi-v1beta2'] as const) {
  describe(`rolling update on a version change (${scenario})`, () => {
    let c: TestCluster;
    before(async () => {
      c = await startCluster({ scenario, timeScale: 100, overrides: { prow: false, workerReplicas: 3 } });
    });
    after(async () => c?.stop());

    it('rolls the MachineDeployment one machine at a time and empties the old MachineSet', async () => {
      const v = c.scenario.capi;
      const [oldSet] = (await c.client.list(c.kinds.machineSets, { namespace: ns })).items;
      assert.ok(oldSet);
      const oldHash = oldSet.metadata.labels?.['machine-template-hash'];
      // Sample the Machines continuously: never more than replicas + maxSurge of them, never fewer than
      // replicas - maxUnavailable available (the Available condition each Machine reports from its Node).
      const machines = new Map<string, KubeObject>();
      const nodes = new Map<string, KubeObject>();
      let maxMachines = 0;
      let minReady = Infinity;
      const available = (m: KubeObject) => cond(at(m, v === 'v1beta2' ? 'status.conditions' : 'status.v1beta2.conditions'), 'Available')?.status === 'True';
      const live = () => [...machines.values()].filter((m) => m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === 'prow-md-0');
      const availableNow = () => live().filter((m) => !m.metadata.deletionTimestamp && available(m)).length;
      const sample = () => {
        maxMachines = Math.max(maxMachines, live().length);
        minReady = Math.min(minReady, availableNow());
      };
      const track = (map: Map<string, KubeObject>) => (e: { type: string; object: KubeObject }) => {
        if (e.type === 'DELETED') map.delete(e.object.metadata.name!);
        else if (e.type !== 'BOOKMARK') map.set(e.object.metadata.name!, e.object);
        sample();
      };
      for (const m of (await c.client.list(c.kinds.machines, { namespace: ns })).items) machines.set(m.metadata.name!, m);
      for (const n of (await c.client.list(c.kinds.nodes)).items) nodes.set(n.metadata.name!, n);
      const w1 = c.client.watch(c.kinds.machines, { namespace: ns }, track(machines));
      const w2 = c.client.watch(c.kinds.nodes, {}, track(nodes));
      await until('every worker Available before the rollout', () => availableNow() === 3);
      minReady = Infinity;
      maxMachines = 0;
      const before = [...machines.keys()].filter((n) => n.startsWith('prow-md-0-'));
      await c.client.patch(c.kinds.machineDeployments, 'prow-md-0', { spec: { template: { spec: { version: 'v1.32.2' } } } }, { namespace: ns });

      const md = await until('the rollout to finish', async () => {
        const m = await c.client.get(c.kinds.machineDeployments, 'prow-md-0', ns);
        const upToDate = v === 'v1beta2' ? at(m, 'status.upToDateReplicas') : at(m, 'status.updatedReplicas');
        const rolling = cond(v === 'v1beta2' ? at(m, 'status.conditions') : at(m, 'status.v1beta2.conditions'), 'RollingOut');
        const seen = at(m, 'status.observedGeneration') === m.metadata.generation;
        return seen && upToDate === 3 && at(m, 'status.replicas') === 3 && rolling?.status === 'False' ? m : undefined;
      }, 30_000);
      w1.stop();
      w2.stop();
      assert.equal(md.metadata.annotations?.['machinedeployment.clusters.x-k8s.io/revision'], '2');
      const workers = (await c.client.list(c.kinds.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' })).items;
      assert.equal(workers.length, 3);
      assert.ok(workers.every((m) => at(m, 'spec.version') === 'v1.32.2' && !before.includes(m.metadata.name!)), 'every worker is new');
      for (const m of workers) assert.equal(at(await c.client.get(c.kinds.nodes, m.metadata.name!), 'status.nodeInfo.kubeletVersion'), 'v1.32.2');
      assert.ok(maxMachines <= 4, `surge 1: at most 4 worker machines at once (saw ${maxMachines})`);
      assert.ok(minReady >= 3, `maxUnavailable 0: never fewer than 3 Ready workers (saw ${minReady})`);
      const sets = (await c.client.list(c.kinds.machineSets, { namespace: ns })).items;
      const fresh = sets.find((s) => s.metadata.labels?.['machine-template-hash'] !== oldHash);
      assert.ok(fresh, 'a new MachineSet with a new machine-template-hash');
      assert.equal(fresh.metadata.annotations?.['machinedeployment.clusters.x-k8s.io/revision'], '2');
      const old = sets.find((s) => s.metadata.name === oldSet.metadata.name);
      // CAPI 1.10 keeps one old revision, emptied; CAPI ≥ 1.11 deletes emptied MachineSets.
      if (v === 'v1beta1') assert.equal(at(old, 'spec.replicas'), 0);
      else await until('the emptied MachineSet to be deleted', async () => !(await c.client.find(c.kinds.machineSets, oldSet.metadata.name!, ns)));
    });

    it('rolls the KubeadmControlPlane: a new control-plane machine first, then the old one goes', async () => {
      const v = c.scenario.capi;
      const cp = async () => (await c.client.list(c.kinds.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/control-plane' })).items;
      const [original] = await cp();
      assert.ok(original);
      let max = 0;
      const watch = c.client.watch(c.kinds.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/control-plane' }, () => void cp().then((l) => (max = Math.max(max, l.length))));
      await c.client.patch(c.kinds.kubeadmControlPlanes, 'prow-control-plane', { spec: { version: 'v1.32.2' } }, { namespace: ns });
      const kcp = await until('the control plane to be upgraded', async () => {
        const k = await c.client.get(c.kinds.kubeadmControlPlanes, 'prow-control-plane', ns);
        const upToDate = v === 'v1beta2' ? at(k, 'status.upToDateReplicas') : at(k, 'status.updatedReplicas');
        return at(k, 'status.version') === 'v1.32.2' && upToDate === 1 && at(k, 'status.replicas') === 1 ? k : undefined;
      }, 30_000);
      watch.stop();
      const [now] = await cp();
      assert.ok(now && now.metadata.name !== original.metadata.name);
      assert.match(now.metadata.name!, /^prow-control-plane-[a-z0-9]{5}$/);
      assert.equal(at(now, 'spec.version'), 'v1.32.2');
      assert.ok(nodeReady(await c.client.get(c.kinds.nodes, now.metadata.name!)));
      assert.equal(await c.client.find(c.kinds.nodes, original.metadata.name!), undefined);
      assert.equal(max, 2, 'one surge machine during the rollout');
      assert.equal(at(kcp, 'status.observedGeneration'), kcp.metadata.generation);
    });
  });
}

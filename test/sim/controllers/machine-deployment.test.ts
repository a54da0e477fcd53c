// MachineDeployment → MachineSet → Machines → OpenStackMachines → Nodes: scaling up through the /scale subresource
// (what `kubectl scale md prow-md-0 --replicas=3` sends) and down, honouring cluster.x-k8s.io/delete-machine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/objects.js';
import { at, startCluster, until, type TestCluster } from './harness.js';

const ns = 'default';
const workers = (c: TestCluster) => c.client.list(c.kinds.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' });
const readyNode = (n: KubeObject) => (at(n, 'status.conditions') as { type: string; status: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');

for (const scenario of ['capi-v1beta2', 'capi-v1beta1'] as const) {
  describe(`MachineDeployment scaling (${scenario})`, () => {
    let c: TestCluster;
    before(async () => {
      c = await startCluster({ scenario, timeScale: 100, overrides: { prow: false } });
    });
    after(async () => c?.stop());

    it('scales up: a Machine, its OpenStackMachine and a Ready Node named prow-md-0-xxxxx appear', async () => {
      const before = (await workers(c)).items.map((m) => m.metadata.name!);
      assert.equal(before.length, 2);
      const phases = new Set<string>();
      const servers = new Set<string>();
      const watch = c.client.watch(c.kinds.machines, { namespace: ns }, (e) => {
        if (!before.includes(e.object.metadata.name!)) phases.add(String(at(e.object, 'status.phase')));
      });
      const osmWatch = c.client.watch(c.kinds.openStackMachines, { namespace: ns }, (e) => {
        if (!before.includes(e.object.metadata.name!)) servers.add(String(at(e.object, 'status.instanceState')));
      });
      const scale = await c.client.patch(c.kinds.machineDeployments, 'prow-md-0', { spec: { replicas: 3 } }, { namespace: ns, subresource: 'scale' });
      assert.equal(at(scale, 'spec.replicas'), 3);
      const added = await until('a third worker machine', async () => (await workers(c)).items.find((m) => !before.includes(m.metadata.name!)));
      assert.match(added.metadata.name!, /^prow-md-0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const node = await until('its node to be Ready', async () => {
        const n = await c.client.find(c.kinds.nodes, added.metadata.name!);
        return n && readyNode(n) ? n : undefined;
      });
      const osm = await c.client.get(c.kinds.openStackMachines, added.metadata.name!, ns);
      assert.equal(at(osm, 'status.instanceState'), 'ACTIVE');
      assert.equal(at(node, 'spec.providerID'), at(osm, 'spec.providerID'));
      assert.match(String(at(node, 'spec.providerID')), scenario === 'capi-v1beta2' ? /^openstack:\/\/RegionOne\/[0-9a-f-]{36}$/ : /^openstack:\/\/\/[0-9a-f-]{36}$/);
      assert.ok(!(at(node, 'spec.taints') as { key: string }[] | undefined)?.some((t) => t.key === 'node.cluster.x-k8s.io/uninitialized'), 'the Machine controller removed the uninitialized taint');
      assert.equal(node.metadata.annotations?.['cluster.x-k8s.io/machine'], added.metadata.name);
      const md = await until('MachineDeployment status to count 3 ready replicas', async () => {
        const m = await c.client.get(c.kinds.machineDeployments, 'prow-md-0', ns);
        const ready = scenario === 'capi-v1beta2' ? at(m, 'status.readyReplicas') : at(m, 'status.v1beta2.readyReplicas');
        return ready === 3 && at(m, 'status.replicas') === 3 ? m : undefined;
      });
      assert.equal(at(md, 'status.phase'), 'Running');
      if (scenario === 'capi-v1beta1') assert.equal(at(md, 'status.updatedReplicas'), 3);
      else assert.equal(at(md, 'status.upToDateReplicas'), 3);
      const machine = await c.client.get(c.kinds.machines, added.metadata.name!, ns);
      assert.equal(at(machine, 'status.phase'), 'Running');
      assert.equal(at(machine, 'status.nodeRef.name'), added.metadata.name);
      watch.stop();
      osmWatch.stop();
      // Provisioned (server ACTIVE, Node not yet registered) lasts ~0.2 s at this time scale; it may be skipped under load.
      for (const p of ['Provisioning', 'Running']) assert.ok(phases.has(p), `phase ${p} was observed (saw ${[...phases].join(', ')})`);
      for (const st of ['BUILD', 'ACTIVE']) assert.ok(servers.has(st), `server state ${st} was observed (saw ${[...servers].join(', ')})`);
    });

    it('scales down removing the machine annotated cluster.x-k8s.io/delete-machine, then its node', async () => {
      const list = (await workers(c)).items.map((m) => m.metadata.name!).sort();
      assert.equal(list.length, 3);
      // Not the first by name: with the Random policy ties go by name, so the annotation must be what decides.
      const victim = list[1]!;
      await c.client.patch(c.kinds.machines, victim, { metadata: { annotations: { 'cluster.x-k8s.io/delete-machine': '' } } }, { namespace: ns });
      await c.client.patch(c.kinds.machineDeployments, 'prow-md-0', { spec: { replicas: 2 } }, { namespace: ns, subresource: 'scale' });
      await until(`machine ${victim} to be deleted`, async () => !(await c.client.find(c.kinds.machines, victim, ns)));
      await until(`node ${victim} to be deleted`, async () => !(await c.client.find(c.kinds.nodes, victim)));
      assert.equal(await c.client.find(c.kinds.openStackMachines, victim, ns), undefined);
      const left = (await workers(c)).items.map((m) => m.metadata.name!).sort();
      assert.deepEqual(left, list.filter((n) => n !== victim));
      const drained = c.logs.some((l) => l.includes(`deleting machine ${victim}`));
      assert.ok(drained, 'the MachineSet controller chose the annotated machine');
    });
  });
}

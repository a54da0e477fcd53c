// Garbage collection by ownerReferences, as kube-controller-manager's collector does it: deleting a Deployment takes
// its ReplicaSets and their pods; deleting a MachineDeployment takes its MachineSet, whose Machines then go through
// the Machine deletion flow (OpenStackMachines and Nodes included).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, until, type TestCluster } from './harness.js';

describe('garbage collection by ownerReferences', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ scenario: 'capi-v1beta2', timeScale: 100, overrides: { prow: false } });
  });
  after(async () => c?.stop());

  it('deleting a Deployment removes its ReplicaSet and pods', async () => {
    await c.client.create(c.kinds.deployments, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gc-demo', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'gc-demo' } }, template: { metadata: { labels: { app: 'gc-demo' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    });
    const rs = await until('a ReplicaSet with 2 pods', async () => {
      const sets = (await c.client.list(c.kinds.replicaSets, { namespace: 'default' })).items.filter((r) => r.metadata.name!.startsWith('gc-demo-'));
      const pods = (await c.client.list(c.kinds.pods, { namespace: 'default', labelSelector: 'app=gc-demo' })).items;
      return sets.length === 1 && pods.length === 2 ? sets[0] : undefined;
    });
    assert.equal(rs.metadata.ownerReferences?.[0]?.kind, 'Deployment');
    await c.client.delete(c.kinds.deployments, 'gc-demo', { namespace: 'default' });
    await until('the ReplicaSet to be collected', async () => !(await c.client.find(c.kinds.replicaSets, rs.metadata.name!, 'default')));
    await until('its pods to be collected', async () => (await c.client.list(c.kinds.pods, { namespace: 'default', labelSelector: 'app=gc-demo' })).items.length === 0);
  });

  it('expires Events an hour (simulated) after their last occurrence, as --event-ttl does', async () => {
    const stamp = (simSecondsAgo: number) => new Date(Date.now() - (simSecondsAgo * 1000) / 100).toISOString().replace(/\.\d+Z$/, 'Z');
    const event = (name: string, ago: number) => ({
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' },
      reason: 'Test', message: name, type: 'Normal', count: 1, firstTimestamp: stamp(ago), lastTimestamp: stamp(ago), source: { component: 'test' },
    });
    await c.client.create(c.kinds.events, event('old.1', 7200));
    await c.client.create(c.kinds.events, event('fresh.1', 60));
    await until('the old event to expire', async () => !(await c.client.find(c.kinds.events, 'old.1', 'default')), 10_000);
    assert.ok(await c.client.find(c.kinds.events, 'fresh.1', 'default'), 'a recent event stays');
  });

  it('deleting the MachineDeployment collects its MachineSet, Machines, OpenStackMachines and Nodes', async () => {
    const machines = (await c.client.list(c.kinds.machines, { namespace: 'default', labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' })).items.map((m) => m.metadata.name!);
    assert.equal(machines.length, 2);
    const [ms] = (await c.client.list(c.kinds.machineSets, { namespace: 'default' })).items;
    assert.ok(ms);
    await c.client.delete(c.kinds.machineDeployments, 'prow-md-0', { namespace: 'default' });
    await until('the MachineSet to be collected', async () => !(await c.client.find(c.kinds.machineSets, ms.metadata.name!, 'default')));
    for (const name of machines) {
      await until(`machine ${name} to be deleted`, async () => !(await c.client.find(c.kinds.machines, name, 'default')), 15_000);
      assert.equal(await c.client.find(c.kinds.openStackMachines, name, 'default'), undefined);
      assert.equal(await c.client.find(c.kinds.nodes, name), undefined);
      assert.equal(await c.client.find(c.kinds.secrets, name, 'default'), undefined, 'the bootstrap data secret went too');
    }
    const nodes = (await c.client.list(c.kinds.nodes)).items.map((n) => n.metadata.name!);
    assert.deepEqual(nodes.filter((n) => n.startsWith('prow-md-0-')), [], 'no worker nodes left');
    assert.ok(nodes.some((n) => n.startsWith('prow-control-plane-')), 'the control plane is untouched');
  });
});

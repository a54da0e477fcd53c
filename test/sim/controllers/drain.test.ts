// Machine deletion as CAPI does it: on a node whose kubelet stopped reporting the drain (and the volume-detach wait)
// stays blocked until the timeouts are set — v1beta1 Duration strings or v1beta2 `spec.deletion.*Seconds` — and the
// MachineSet then replaces the machine; on a healthy node the drain honours PodDisruptionBudgets (429, then success).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/objects.js';
import { at, startCluster, until, type TestCluster } from './harness.js';

const ns = 'default';
type Cond = { type: string; status: string; reason?: string; message?: string };
const cond = (list: unknown, type: string) => (Array.isArray(list) ? (list as Cond[]).find((c) => c.type === type) : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The v1beta2-style Deleting condition and the old-style DrainingSucceeded one, wherever the version keeps them. */
function deletingOf(m: KubeObject, v: 'v1beta1' | 'v1beta2') {
  const fresh = v === 'v1beta2' ? at(m, 'status.conditions') : at(m, 'status.v1beta2.conditions');
  const old = v === 'v1beta2' ? at(m, 'status.deprecated.v1beta1.conditions') : at(m, 'status.conditions');
  return { deleting: cond(fresh, 'Deleting'), draining: cond(old, 'DrainingSucceeded'), volumes: cond(old, 'VolumeDetachSucceeded') };
}

const workerNames = async (c: TestCluster) => (await c.client.list(c.kinds.machines, { namespace: ns, labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' })).items.map((m) => m.metadata.name!).sort();

for (const scenario of ['capi-v1beta1', 'capi-v1beta2'] as const) {
  describe(`deleting the Machine of an unreachable node (${scenario})`, () => {
    let c: TestCluster;
    before(async () => {
      c = await startCluster({ scenario, timeScale: 100, overrides: { prow: false } });
    });
    after(async () => c?.stop());

    it('stays blocked in drain until the timeouts are set, then the node goes and a replacement joins', async () => {
      const v = c.scenario.capi;
      const [victim, survivor] = await workerNames(c);
      assert.ok(victim && survivor);
      // A pod with a Cinder volume on the victim: the attach/detach controller attaches it there.
      await c.client.create(c.kinds.pods, {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'data-writer', namespace: ns },
        // With the tolerations the DefaultTolerationSeconds admission plugin would have added (300 s).
        spec: { nodeName: victim, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], containers: [{ name: 'writer', image: 'busybox:1.36', command: ['sleep', 'infinity'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
      });
      const attachment = await until('a VolumeAttachment on the victim', async () => (await c.client.list(c.kinds.volumeAttachments)).items.find((va) => at(va, 'spec.nodeName') === victim && at(va, 'status.attached') === true));
      await until('the pod to run', async () => at(await c.client.get(c.kinds.pods, 'data-writer', ns), 'status.phase') === 'Running');

      await c.faults.failNode(victim);
      const dead = await until('Ready=Unknown with the unreachable taints', async () => {
        const n = await c.client.get(c.kinds.nodes, victim);
        const taints = (at(n, 'spec.taints') as { key: string; effect: string }[] | undefined) ?? [];
        return cond(at(n, 'status.conditions'), 'Ready')?.status === 'Unknown' && taints.filter((t) => t.key === 'node.kubernetes.io/unreachable').length === 2 ? n : undefined;
      });
      for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
        const ready = cond(at(dead, 'status.conditions'), type)!;
        assert.equal(ready.status, 'Unknown', type);
        assert.equal(ready.reason, 'NodeStatusUnknown');
        assert.equal(ready.message, 'Kubelet stopped posting node status.');
      }
      assert.equal(at(await c.client.get(c.kinds.pods, 'data-writer', ns), 'status.phase'), 'Running', 'pods of a dead node stay Running in the API');

      const seen = new Set<string>();
      const timers = { drain: undefined as unknown, volumes: undefined as unknown };
      const watch = c.client.watch(c.kinds.machines, { namespace: ns }, (e) => {
        if (e.object.metadata.name !== victim) return;
        const d = deletingOf(e.object, v).deleting;
        if (d?.status === 'True' && d.reason) seen.add(d.reason);
        timers.drain ??= at(e.object, 'status.deletion.nodeDrainStartTime');
        timers.volumes ??= at(e.object, 'status.deletion.waitForNodeVolumeDetachStartTime');
      });
      await c.client.delete(c.kinds.machines, victim, { namespace: ns });
      const blocked = await until('the machine to report DrainingNode', async () => {
        const m = await c.client.get(c.kinds.machines, victim, ns);
        return deletingOf(m, v).deleting?.reason === 'DrainingNode' && at(m, 'status.deletion.nodeDrainStartTime') ? m : undefined;
      });
      const { deleting, draining } = deletingOf(blocked, v);
      assert.match(String(deleting!.message), /^Drain not completed yet \(started at .+\):\n\* Pods .*default\/data-writer.*: deletionTimestamp set, but still not removed from the Node/s);
      assert.equal(draining?.status, 'False');
      assert.equal(draining?.reason, 'Draining');
      assert.equal(at(blocked, 'status.phase'), 'Deleting');
      const events = await until('a FailedDrainNode event', async () => (await c.client.list(c.kinds.events, { namespace: ns, fieldSelector: `involvedObject.name=${victim}` })).items.find((e) => e.reason === 'FailedDrainNode'));
      assert.equal(events.type, 'Warning');
      assert.match(String(events.message), new RegExp(`error draining Machine's node "${victim}"`));

      // 150 simulated seconds: many 20 s drain retries, and still nothing moves.
      await sleep(1500);
      const still = await c.client.get(c.kinds.machines, victim, ns);
      assert.equal(deletingOf(still, v).deleting?.reason, 'DrainingNode');
      const pod = await c.client.get(c.kinds.pods, 'data-writer', ns);
      assert.ok(pod.metadata.deletionTimestamp, 'the pod was evicted');
      assert.equal(at(pod, 'status.phase'), 'Running', 'but its dead kubelet never finishes it');
      assert.ok(await c.client.find(c.kinds.nodes, victim));
      assert.equal(at(await c.client.get(c.kinds.volumeAttachments, attachment.metadata.name!), 'status.attached'), true);

      // The runbook's way out: set the timeouts on the Machine (field names per API version).
      const patch = v === 'v1beta1'
        ? { spec: { nodeDrainTimeout: '1m', nodeVolumeDetachTimeout: '2m' } }
        : { spec: { deletion: { nodeDrainTimeoutSeconds: 60, nodeVolumeDetachTimeoutSeconds: 120 } } };
      await c.client.patch(c.kinds.machines, victim, patch, { namespace: ns });
      await until('the volume-detach wait', () => seen.has('WaitingForVolumeDetach'), 10_000);
      await until(`machine ${victim} to be gone`, async () => !(await c.client.find(c.kinds.machines, victim, ns)), 15_000);
      watch.stop();
      assert.ok(seen.has('DrainingNode') && seen.has('WaitingForVolumeDetach'), `stages seen: ${[...seen].join(', ')}`);
      assert.ok(timers.drain && timers.volumes, 'status.deletion recorded both start times');
      assert.equal(await c.client.find(c.kinds.nodes, victim), undefined, 'the Node was deleted');
      assert.equal(await c.client.find(c.kinds.openStackMachines, victim, ns), undefined, 'the server was deleted');
      const replacement = await until('a replacement worker with a Ready node', async () => {
        const names = await workerNames(c);
        const fresh = names.find((n) => n !== survivor && n !== victim);
        const node = fresh ? await c.client.find(c.kinds.nodes, fresh) : undefined;
        return node && cond(at(node, 'status.conditions'), 'Ready')?.status === 'True' ? fresh : undefined;
      }, 15_000);
      assert.match(replacement, /^prow-md-0-/);
      await until('PodGC to remove the dead node\'s pod', async () => !(await c.client.find(c.kinds.pods, 'data-writer', ns)));
      await until('the volume to be detached from the deleted node', async () => !(await c.client.find(c.kinds.volumeAttachments, attachment.metadata.name!)));
    });
  });
}

describe('draining honours PodDisruptionBudgets (capi-v1beta2)', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ scenario: 'capi-v1beta2', timeScale: 50, overrides: { prow: false } });
  });
  after(async () => c?.stop());

  it('is refused with 429 while the budget allows no disruption, and completes once a replacement is Ready', async () => {
    const [victim, other] = await workerNames(c);
    assert.ok(victim && other);
    // Both replicas on the victim: keep the other worker cordoned while they are scheduled.
    await c.client.patch(c.kinds.nodes, other, { spec: { unschedulable: true } });
    await c.client.create(c.kinds.deployments, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '50m', memory: '64Mi' } } }] } } },
    });
    const ready = (p: KubeObject) => cond(at(p, 'status.conditions'), 'Ready')?.status === 'True';
    const original = await until('two ready web pods on the victim', async () => {
      const pods = (await c.client.list(c.kinds.pods, { namespace: ns, labelSelector: 'app=web' })).items;
      return pods.length === 2 && pods.every((p) => ready(p) && at(p, 'spec.nodeName') === victim) ? pods.map((p) => p.metadata.name!) : undefined;
    });
    await c.client.create(c.kinds.pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    await c.client.patch(c.kinds.nodes, other, { spec: { unschedulable: false } });

    const messages: string[] = [];
    const watch = c.client.watch(c.kinds.machines, { namespace: ns }, (e) => {
      if (e.object.metadata.name !== victim) return;
      const d = deletingOf(e.object, 'v1beta2');
      if (d.deleting?.message) messages.push(d.deleting.message);
    });
    await c.client.delete(c.kinds.machines, victim, { namespace: ns });
    await until('a drain message naming the disruption budget', () => messages.some((m) => /cannot evict pod as it would violate the pod's disruption budget/.test(m)));
    const blocked = messages.find((m) => /disruption budget/.test(m))!;
    assert.match(blocked, /\* Pod default\/web-[a-z0-9-]+: cannot evict pod as it would violate the pod's disruption budget\. The disruption budget web needs/);
    await until(`machine ${victim} to be gone once the drain completed`, async () => !(await c.client.find(c.kinds.machines, victim, ns)), 15_000);
    watch.stop();
    const events = (await c.client.list(c.kinds.events, { namespace: ns, fieldSelector: `involvedObject.name=${victim}` })).items;
    assert.ok(events.some((e) => e.reason === 'SuccessfulDrainNode'), 'SuccessfulDrainNode was recorded');
    const pods = await until('two ready web pods elsewhere', async () => {
      const list = (await c.client.list(c.kinds.pods, { namespace: ns, labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
      return list.length === 2 && list.every((p) => ready(p) && at(p, 'spec.nodeName') !== victim) ? list : undefined;
    });
    assert.ok(pods.every((p) => !original.includes(p.metadata.name!)), 'both original pods were evicted');
  });
});

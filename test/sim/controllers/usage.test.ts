// Pure pieces of the simulation: the usage model (operations.md's per-job figures, deterministic per pod and time),
// the scaled clock, and CAPI's scale-down order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimClock } from '../../../src/sim/clock.js';
import { machinesToDelete } from '../../../src/sim/controllers/deletion-order.js';
import { canonicalAllowedCidrs } from '../../../src/sim/controllers/openstack-cluster.js';
import type { KubeObject } from '../../../src/sim/objects.js';
import { componentUsage, nodeOverhead, podUsage } from '../../../src/sim/usage.js';

const MiB = 1024 * 1024;
const testPod = (uid: string, job: string, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: uid, namespace: 'test-pods', uid, labels: { 'created-by-prow': 'true', 'prow.k8s.io/job': job }, annotations: { 'prow.k8s.io/job': job } },
  spec: { nodeName: 'prow-md-0-abcde', containers: [{ name: 'test' }, { name: 'sidecar' }] },
  status: { phase, containerStatuses: [{ name: 'test', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }, { name: 'sidecar', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] },
});

describe('usage model', () => {
  const t0 = Date.parse('2026-01-01T01:00:00Z');
  const cases: [string, [number, number], [number, number]][] = [
    ['gosec', [767, 881], [1203, 1803]],
    ['golangci-lint', [373, 474], [285, 603]],
    ['govet', [370, 397], [326, 449]],
    ['unit', [183, 421], [123, 592]],
    ['integration-test', [2380, 2650], [3500, 3900]],
  ];
  for (const [job, cpu, mem] of cases) {
    it(`keeps ${job} within operations.md's observed range, varying per pod and over time`, () => {
      const samples = [];
      for (let p = 0; p < 40; p++) {
        for (let t = 0; t < 10; t++) {
          const u = podUsage(testPod(`uid-${job}-${p}`, job), t0 + t * 7_000).containers.find((c) => c.name === 'test')!;
          assert.ok(u.cpuMilli >= cpu[0] && u.cpuMilli <= cpu[1], `${job} cpu ${u.cpuMilli}`);
          assert.ok(u.memoryBytes >= mem[0] * MiB - 1024 && u.memoryBytes <= mem[1] * MiB + 1024, `${job} memory ${u.memoryBytes / MiB}Mi`);
          assert.equal(u.memoryBytes % 1024, 0);
          samples.push(u.cpuMilli);
        }
      }
      const spread = Math.max(...samples) - Math.min(...samples);
      assert.ok(spread > (cpu[1] - cpu[0]) * 0.4, `values spread over the range (${spread})`);
    });
  }

  it('is a pure function: same pod and time, same numbers; nothing for pods that are not Running', () => {
    const pod = testPod('uid-1', 'gosec');
    assert.deepEqual(podUsage(pod, t0), podUsage(pod, t0));
    assert.notDeepEqual(podUsage(pod, t0), podUsage(pod, t0 + 30_000));
    assert.deepEqual(podUsage(testPod('uid-2', 'gosec', 'Succeeded'), t0).containers, []);
    const sidecar = podUsage(pod, t0).containers.find((c) => c.name === 'sidecar')!;
    assert.ok(sidecar.cpuMilli <= 3 && sidecar.memoryBytes <= 20 * MiB);
  });

  it('keeps Prow components at 1m–35m CPU and 12Mi–113Mi, and gives nodes a plausible overhead', () => {
    for (const name of ['hook', 'deck', 'tide', 'crier', 'horologium', 'sinker', 'ghproxy', 'needs-rebase']) {
      for (let t = 0; t < 20; t++) {
        const u = componentUsage(name, `${name}-pod`, t0 + t * 5000);
        assert.ok(u.cpuMilli >= 1 && u.cpuMilli <= 35, `${name} cpu ${u.cpuMilli}`);
        assert.ok(u.memoryBytes >= 12 * MiB && u.memoryBytes <= 113 * MiB, `${name} memory ${u.memoryBytes / MiB}`);
      }
    }
    const cp = nodeOverhead({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'prow-control-plane-kdqx4', labels: { 'node-role.kubernetes.io/control-plane': '' } } });
    const worker = nodeOverhead({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'prow-md-0-xx8k7', labels: {} } });
    assert.ok(cp.memoryBytes > worker.memoryBytes, 'etcd and the API server live on the control plane');
    assert.ok(cp.cpuMilli < 300 && cp.memoryBytes / MiB <= 2772);
  });
});

describe('scaled clock', () => {
  it('measures simulated durations and keeps the precise instant behind stamped timestamps', () => {
    let now = Date.parse('2026-01-01T00:00:00.900Z');
    const clock = new SimClock({ timeScale: 100, now: () => now });
    const stamp = clock.stamp('k');
    assert.equal(stamp, '2026-01-01T00:00:00Z');
    now += 150;
    assert.equal(Math.round(clock.elapsedSimSince('k', stamp)), 15, '150 ms real = 15 s simulated, from the precise instant');
    assert.equal(Math.round(clock.elapsedSim(stamp)), 105, 'without the stamp only whole seconds are known');
    assert.equal(clock.realMs(60), 600);
    assert.throws(() => new SimClock({ timeScale: 0 }));
  });
});

describe('MachineSet deletion order', () => {
  const now = Date.parse('2026-01-10T00:00:00Z');
  const m = (name: string, createdDaysAgo: number, extra: Partial<KubeObject['metadata']> = {}, nodeRef = true): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine',
    metadata: { name, creationTimestamp: new Date(now - createdDaysAgo * 86_400_000).toISOString(), ...extra },
    status: nodeRef ? { nodeRef: { name } } : {},
  });
  const healthy = () => true;
  const machines = [m('m-a', 5), m('m-b', 1), m('m-c', 9), m('m-d', 3, { annotations: { 'cluster.x-k8s.io/delete-machine': '' } })];
  it('deletes machines marked cluster.x-k8s.io/delete-machine first, whatever the policy', () => {
    for (const policy of ['Random', 'Oldest', 'Newest'] as const) assert.equal(machinesToDelete(machines, 1, policy, healthy, now)[0]!.metadata.name, 'm-d', policy);
  });
  it('then already deleting, unhealthy ones, then by policy (Random ties broken by name)', () => {
    const list = [...machines.slice(0, 3), m('m-e', 2, {}, false), m('m-f', 4, { deletionTimestamp: '2026-01-09T00:00:00Z' })];
    assert.deepEqual(machinesToDelete(list, 3, 'Oldest', healthy, now).map((x) => x.metadata.name), ['m-f', 'm-e', 'm-c']);
    assert.deepEqual(machinesToDelete(list, 3, 'Newest', healthy, now).map((x) => x.metadata.name), ['m-f', 'm-e', 'm-b']);
    assert.deepEqual(machinesToDelete(list, 3, 'Random', healthy, now).map((x) => x.metadata.name), ['m-f', 'm-e', 'm-a']);
    assert.deepEqual(machinesToDelete(list, 1, 'Random', (x) => x.metadata.name !== 'm-c', now).map((x) => x.metadata.name), ['m-f']);
  });
});

describe('CAPO getCanonicalAllowedCIDRs', () => {
  it('adds bastion, subnets and router only when the user list is non-empty; /32 for bare IPs; drops invalid entries', () => {
    assert.deepEqual(canonicalAllowedCidrs([], { bastionFloatingIP: '1.2.3.4', bastionIP: '10.6.0.5', subnets: ['10.6.0.0/24'], routerIPs: ['10.6.0.1'] }), { cidrs: [], invalid: [] });
    assert.deepEqual(canonicalAllowedCidrs(['192.0.2.7', '10.6.0.0/24', 'nope', '2001:db8::1'], { bastionFloatingIP: '1.2.3.4', bastionIP: '10.6.0.5', subnets: ['10.6.0.0/24'], routerIPs: ['10.6.0.1'] }), {
      cidrs: ['1.2.3.4/32', '10.6.0.0/24', '10.6.0.1/32', '10.6.0.5/32', '192.0.2.7/32', '2001:db8::1/128'],
      invalid: ['nope'],
    });
  });
});

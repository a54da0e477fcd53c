// Missing APIs make their part of the model "not installed" with a reason; everything else keeps working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { emptyHistory } from '../../src/kube/metrics-history.js';
import { planMachineTimeouts } from '../../src/kube/operations.js';
import { startSession } from '../../src/kube/session.js';
import { summarizeJobUsage } from '../../src/kube/summarize/job-usage.js';
import { summarizeMachines } from '../../src/kube/summarize/machines.js';
import { summarizeNodes } from '../../src/kube/summarize/nodes.js';
import { summarizeProwJobs } from '../../src/kube/summarize/prow-jobs.js';
import { summarizeRollouts } from '../../src/kube/summarize/rollouts.js';
import { startBareCluster, type BareCluster } from './bare-cluster.js';
import { Collector, eventually, fastTuning, simFixture, type SimFixture } from './sim-helpers.js';
import { machine } from './views.js';

describe('a cluster without Cluster API, CAPO, Prow or metrics', { timeout: 60_000 }, () => {
  let bare: BareCluster;
  before(async () => {
    bare = await startBareCluster();
  });
  after(async () => bare?.stop());

  test('discovery says why each part is missing; nodes and pods are watched; the tables still work', async () => {
    const client = createClient({ kubeconfig: bare.kubeconfig });
    const collector = new Collector();
    const session = await startSession({ client, tuning: fastTuning }, collector);
    try {
      const f = session.discovery.families;
      assert.deepEqual(f.capi, { installed: false, reason: 'Cluster API is not installed: the API group cluster.x-k8s.io is not served' });
      assert.deepEqual(f.kcp, { installed: false, reason: 'KubeadmControlPlane is not installed: the API group controlplane.cluster.x-k8s.io is not served' });
      assert.deepEqual(f.capo, { installed: false, reason: 'Cluster API Provider OpenStack is not installed: the API group infrastructure.cluster.x-k8s.io is not served' });
      assert.deepEqual(f.prow, { installed: false, reason: 'Prow is not installed: the API group prow.k8s.io is not served' });
      assert.deepEqual(f.metrics, { installed: false, reason: 'metrics API (metrics-server) is not installed: the API group metrics.k8s.io is not served' });
      await eventually('synced', () => collector.synced());
      const latest = collector.latest();
      for (const kind of ['machines', 'machineSets', 'machineDeployments', 'controlPlanes', 'openstackClusters', 'openstackMachines', 'prowJobs']) {
        assert.equal(latest.get(kind)?.phase, 'not-installed', kind);
      }
      for (const id of ['nodes', 'pods', 'events', 'deployments@prow']) assert.equal(latest.get(id)?.phase, 'watching', id);
      await session.pollMetrics(); // no metrics API: resolves at once, reports nothing
      assert.deepEqual([collector.polls.length, collector.metricsErrors.length], [0, 0]);

      const now = Date.now();
      const nodes = summarizeNodes(collector.model, new Map(), now);
      assert.deepEqual(nodes.map((n) => [n.name, n.status, n.pods, n.cpu.requested, n.cpu.usage, n.machine]), [['worker-a', 'Ready', 1, 500, undefined, undefined], ['worker-b', 'Ready', 0, 0, undefined, undefined]]);
      assert.deepEqual(summarizeMachines(collector.model, now), []);
      assert.deepEqual(summarizeRollouts(collector.model, now), { machineDeployments: [], controlPlanes: [] });
      assert.equal(summarizeProwJobs(collector.model, now).total, 0);
      assert.deepEqual(summarizeJobUsage(collector.model, emptyHistory()), []);
      assert.throws(() => planMachineTimeouts(session.discovery, machine('m'), { nodeDrainSeconds: 60 }), (e: unknown) => e instanceof KubeError && /Cluster API is not installed/.test(e.message));
    } finally {
      session.stop();
      client.close();
    }
  });
});

describe('a CAPI cluster without the metrics API and without Prow', { timeout: 60_000 }, () => {
  let fx: SimFixture;
  before(async () => {
    fx = await simFixture({ scenario: 'capi-v1beta1', timeScale: 60, overrides: { metrics: false, prow: false } });
  });
  after(async () => fx?.stop());

  test('metrics and ProwJobs are not installed; machines, nodes and pods are', async () => {
    const collector = new Collector();
    const session = await startSession({ client: fx.client(), tuning: fastTuning, metricsIntervalMs: 200 }, collector);
    try {
      assert.equal(session.metrics.installed, false);
      assert.match((session.metrics as { reason: string }).reason, /metrics\.k8s\.io is not served/);
      assert.equal(session.discovery.families.prow.installed, false);
      assert.deepEqual(session.discovery.families.capi, { installed: true, version: 'v1beta1' });
      await eventually('synced with machines', () => collector.synced() && collector.model.machines.size > 0 && collector.model.nodes.size > 0);
      assert.equal(collector.latest().get('prowJobs')?.phase, 'not-installed');
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual([collector.polls.length, collector.metricsErrors.length], [0, 0], 'no poller without the API');
      const rows = summarizeNodes(collector.model, new Map(), Date.now());
      assert.ok(rows.length > 0 && rows.every((r) => r.cpu.usage === undefined && r.memory.usagePercent === undefined));
    } finally {
      session.stop();
    }
  });
});

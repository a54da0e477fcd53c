// The runbook steps whose apply and verify need no controllers, through the real engine (journal, audit log) on a
// static target, the same on both: scale-md's /scale patch with its dry-run preview and its read-back verify;
// recover-node's timeouts step on the Machine and its MachineDeployment's template, read back in the version's
// shape; bastion-swap's tested allowlist patch and its image patch as `--plan` previews them (dry runs), then the
// allowlist patch applied and a stale copy refused by its `test` op. Steps after these wait for controllers, so
// each run is aborted there.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { applyPlan } from '../../src/kube/actions.js';
import type { KubeClient } from '../../src/kube/client.js';
import { discover, type Discovery } from '../../src/kube/discovery.js';
import { KubeError } from '../../src/kube/errors.js';
import { watchedFamilies } from '../../src/kube/kinds.js';
import { openAuditLog } from '../../src/runbooks/audit.js';
import { createRun, type Run } from '../../src/runbooks/engine.js';
import { findRunbook } from '../../src/runbooks/index.js';
import { newRunId, openJournal } from '../../src/runbooks/journal.js';
import { validateParams, type RawParams } from '../../src/runbooks/params.js';
import { planRunbook } from '../../src/runbooks/plan-all.js';
import type { Runbook, RunbookId } from '../../src/runbooks/types.js';
import { call } from '../helpers/http.js';
import { atStep, auditEntries, confirmStep, currentPlan, profile, waitState } from '../runbooks/helpers.js';
import type { Target, TargetFactory } from './target.js';

/** Defines the runbook-step tests against the target `start` returns. */
export function defineRunbookStepsSuite(start: TargetFactory): void {
  let target: Target;
  let client: KubeClient;
  let d: Discovery;
  const auditLog = () => join(target.dir, 'state', 'audit.log');
  const raw = async (path: string) => {
    const res = await call(target.access, 'GET', path);
    assert.equal(res.status, 200, `GET ${path}: ${res.text}`);
    return res.body as { spec: Record<string, unknown>; metadata: { resourceVersion: string } };
  };
  const capi = (path: string) => `/apis/cluster.x-k8s.io/${target.scenario.capi}/namespaces/default/${path}`;
  const runbook = (id: RunbookId) => {
    const found = findRunbook(id);
    assert.ok(found, id);
    return found as Runbook<never>;
  };
  /** A run of a runbook on the target, journaled and audited under its directory (cluster time is real time). */
  const newRun = (id: RunbookId, raw: RawParams): Run => {
    const params = validateParams(runbook(id), raw, profile());
    assert.ok(params.ok, params.ok ? '' : params.errors.join('; '));
    return createRun({
      runbook: runbook(id), params: params.params, client, discovery: d, profile: profile(),
      journal: openJournal(join(target.dir, 'state', 'journal'), newRunId(id, Date.now())), audit: openAuditLog(auditLog()),
    });
  };
  const workers = async () => {
    const list = await call(target.access, 'GET', `${capi('machines')}?labelSelector=cluster.x-k8s.io%2Fdeployment-name%3Dprow-md-0`);
    return (list.body.items as { metadata: { name: string } }[]).map((m) => m.metadata.name).sort();
  };

  before(async () => {
    target = await start();
    client = target.client();
    d = await discover(client, watchedFamilies);
  });
  after(async () => target?.stop());

  test('scale-md: the /scale patch previewed by a dry run, applied and read back', async () => {
    const run = newRun('scale-md', { md: 'prow-md-0', replicas: '3' });
    const done = run.start();
    try {
      await confirmStep(run, 'inspect');
      await confirmStep(run, 'count');
      const asking = await atStep(run, 'scale');
      const planned = currentPlan(asking).requests[0]!;
      const rv = (await raw(capi('machinedeployments/prow-md-0'))).metadata.resourceVersion;
      assert.deepEqual(planned.plan.request, {
        method: 'PATCH', path: capi('machinedeployments/prow-md-0/scale'), query: { fieldValidation: 'Strict' },
        contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 }, metadata: { resourceVersion: rv } },
      });
      // The preview's diff comes from the server's answer to the same request with dryRun=All.
      assert.deepEqual(planned.diff, ['~ spec.replicas: 2 → 3']);
      assert.equal((await raw(capi('machinedeployments/prow-md-0'))).spec.replicas, 2, 'the dry run changed nothing');
      assert.deepEqual(run.confirm(), { ok: true });
      // The next step follows the new machines, which only controllers make.
      await waitState(run, (s) => s.steps.find((x) => x.id === 'scale')?.phase === 'done', 'the scale step verified');
      assert.equal((await raw(capi('machinedeployments/prow-md-0'))).spec.replicas, 3);
      const audit = auditEntries(auditLog()).filter((e) => e.runId === run.state().runId);
      assert.deepEqual(audit.map((e) => `${e.step} ${e.code}`), ['scale 200']);
    } finally {
      run.abort();
      await done;
    }
  });

  test('recover-node: the timeouts step sets the Machine and its template, read back in the version\'s shape', async () => {
    const [victim] = await workers();
    assert.ok(victim);
    const run = newRun('recover-node', { node: victim, drainTimeout: '1m', volumeTimeout: '2m' });
    const done = run.start();
    try {
      await confirmStep(run, 'inspect');
      const asking = await atStep(run, 'timeouts');
      const paths = currentPlan(asking).requests.map((r) => r.plan.request.path);
      assert.deepEqual(paths, [capi(`machines/${victim}`), capi('machinedeployments/prow-md-0')]);
      assert.deepEqual(run.confirm(), { ok: true });
      await waitState(run, (s) => s.steps.find((x) => x.id === 'timeouts')?.phase === 'done', 'the timeouts step verified');
      const machine = (await raw(capi(`machines/${victim}`))).spec;
      const template = ((await raw(capi('machinedeployments/prow-md-0'))).spec.template as { spec: Record<string, unknown> }).spec;
      for (const spec of [machine, template]) {
        if (target.scenario.capi === 'v1beta1') assert.deepEqual([spec.nodeDrainTimeout, spec.nodeVolumeDetachTimeout], ['1m0s', '2m0s']);
        else assert.deepEqual(spec.deletion, { nodeDrainTimeoutSeconds: 60, nodeVolumeDetachTimeoutSeconds: 120 });
      }
      // The delete step asks next; nothing is deleted here.
      await atStep(run, 'delete');
    } finally {
      run.abort();
      await done;
    }
    assert.ok((await workers()).includes(victim));
  });

  test('bastion-swap: the tested allowlist patch and the image patch pass the dry run; applied, a stale copy is refused', async () => {
    const planned = await planRunbook({ runbook: runbook('bastion-swap'), params: { publicIp: '203.0.113.9', image: 'ubuntu-24.04' }, client, discovery: d, profile: profile() });
    const step = (id: string) => planned.find((p) => p.id === id)!;
    const allow = step('allow').plan!;
    assert.deepEqual(allow.blockers, [], 'the dry run passed');
    const key = target.scenario.capo === 'v1beta1' ? 'allowedCIDRs' : 'allowedCidrs';
    const before = ((await raw('/apis/infrastructure.cluster.x-k8s.io/' + target.scenario.capo + '/namespaces/default/openstackclusters/prow')).spec.apiServerLoadBalancer as Record<string, string[]>)[key]!;
    const ops = allow.requests[0]!.plan.request.body as { op: string; path: string; value?: unknown }[];
    assert.deepEqual(ops.slice(1), [
      { op: 'test', path: `/spec/apiServerLoadBalancer/${key}`, value: before },
      { op: 'replace', path: `/spec/apiServerLoadBalancer/${key}`, value: [...before, '203.0.113.9/32'] },
    ]);
    const enable = step('enable').plan!;
    assert.deepEqual(enable.blockers, [], `the image patch passed the dry run: ${enable.summary}`);
    assert.ok(enable.requests.length > 0, 'the image patch is previewed');

    await applyPlan(client, allow.requests[0]!.plan);
    const osc = await raw('/apis/infrastructure.cluster.x-k8s.io/' + target.scenario.capo + '/namespaces/default/openstackclusters/prow');
    assert.deepEqual((osc.spec.apiServerLoadBalancer as Record<string, string[]>)[key], [...before, '203.0.113.9/32']);
    await assert.rejects(applyPlan(client, allow.requests[0]!.plan), (e: unknown) => e instanceof KubeError && e.status === 422 && /the server rejected our request due to an error in our request/.test(e.message));
  });
}

// scale-md end to end against deckhand sim in both scenarios: a scale-out whose plan goes stale when someone else
// edits the MachineDeployment between preview and apply (back to preview, 409 in the audit log, then applied), and a
// scale-in that marks the idlest machine first so exactly that one goes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listViews } from '../../src/kube/runbook-reads.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { Discovery } from '../../src/kube/discovery.js';
import { atStep, auditEntries, confirmStep, currentPlan, newRun, runbookFixture, waitState, type RunbookFixture } from './helpers.js';

for (const scenario of ['capi-v1beta1', 'capi-v1beta2'] as const) {
  describe(`scale-md (${scenario})`, () => {
    let fx: RunbookFixture;
    let client: KubeClient;
    let discovery: Discovery;
    before(async () => {
      fx = await runbookFixture({ scenario, timeScale: 100 });
      client = fx.client();
      discovery = await fx.discovery(client);
    });
    after(async () => fx?.stop());
    const v = () => (discovery.families.capi.installed ? discovery.families.capi.version : '');
    const machines = async () => (await listViews(client, discovery, 'machines', { namespace: 'default', labelSelector: 'cluster.x-k8s.io/deployment-name=prow-md-0' })).map((m) => m.name).sort();

    it('scales out; a plan gone stale between preview and apply goes back to preview', async () => {
      const { run, begin } = await newRun(fx, 'scale-md', { md: 'prow-md-0', replicas: '3' }, { client });
      const done = begin();
      const inspect = await atStep(run, 'inspect');
      assert.match(currentPlan(inspect).lines.join('\n'), /desired 2, ready 2, available 2/);
      assert.match(currentPlan(inspect).lines.join('\n'), /Suggested replicas: \d+/);
      await confirmStep(run, 'inspect');
      await confirmStep(run, 'count');
      const first = await atStep(run, 'scale');
      const planned = currentPlan(first).requests[0]!.plan;
      assert.equal(planned.request.path, `/apis/cluster.x-k8s.io/${v()}/namespaces/default/machinedeployments/prow-md-0/scale`);
      assert.equal(planned.request.contentType, 'application/merge-patch+json');
      // Someone else edits the MachineDeployment now.
      await client.request({ method: 'PATCH', path: `/apis/cluster.x-k8s.io/${v()}/namespaces/default/machinedeployments/prow-md-0`, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'example.com/touched': 'yes' } } } });
      assert.deepEqual(run.confirm(), { ok: true });
      const again = await waitState(run, (s) => s.steps[3]!.stale === 1 && s.steps[3]!.phase === 'awaiting-confirmation' && s.phase === 'awaiting', 'the stale plan to be previewed again');
      const rv = (b: unknown) => (b as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      assert.notEqual(rv(currentPlan(again).requests[0]!.plan.request.body), rv(planned.request.body));
      const refused = auditEntries(fx.auditLog).filter((e) => e.runId === again.runId);
      assert.deepEqual(refused.map((e) => `${e.step} ${e.code}`), ['scale 409']);
      assert.deepEqual(run.confirm(), { ok: true });
      const end = await done;
      assert.equal(end.phase, 'done', end.steps.map((s) => `${s.id}:${s.phase}:${s.error ?? ''}`).join(' '));
      assert.equal((await machines()).length, 3);
      assert.deepEqual(auditEntries(fx.auditLog).filter((e) => e.runId === end.runId).map((e) => `${e.step} ${e.code}`), ['scale 409', 'scale 200']);
      assert.match(end.steps[5]!.plan!.lines.join('\n'), /added: prow-md-0-/);
    });

    it('scales in, removing the idlest machine it marked first', async () => {
      const before = await machines();
      const { run, begin } = await newRun(fx, 'scale-md', { md: 'prow-md-0', replicas: '2' }, { client });
      const done = begin();
      await confirmStep(run, 'inspect');
      const count = await atStep(run, 'count');
      assert.match(currentPlan(count).warnings.join('\n'), /scale-in: 1 machine will be deleted/);
      await confirmStep(run, 'count');
      const pick = await atStep(run, 'pick');
      const chosen = (currentPlan(pick).data?.chosen as string[])[0]!;
      assert.ok(before.includes(chosen));
      assert.match(JSON.stringify(currentPlan(pick).requests[0]!.plan.request.body), /"cluster.x-k8s.io\/delete-machine":"yes"/);
      await confirmStep(run, 'pick');
      const scale = await atStep(run, 'scale');
      assert.deepEqual(currentPlan(scale).danger, { target: 'prow-md-0', what: 'scale it in' });
      await confirmStep(run, 'scale');
      const end = await done;
      assert.equal(end.phase, 'done', end.steps.map((s) => `${s.id}:${s.phase}:${s.error ?? ''}`).join(' '));
      assert.deepEqual(await machines(), before.filter((m) => m !== chosen));
      assert.match(end.steps[5]!.plan!.lines.join('\n'), new RegExp(`removed: ${chosen}`));
    });
  });
}

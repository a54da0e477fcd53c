// bastion-swap end to end against deckhand sim (real ssh2 bastions, a load balancer enforcing the allowlist) in
// both scenarios: deckhand starts tunnelled through the old bastion, adds the operator's address, goes direct,
// recreates the bastion, is shown the new host key and trusts it, tunnels through the new bastion and removes the
// temporary entry. When the load balancer never applies the entry, it refuses to disable the bastion and cleans up.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listViews } from '../../src/kube/runbook-reads.js';
import { createConnection } from '../../src/runbooks/connection.js';
import type { ConnectionControl } from '../../src/runbooks/connection-types.js';
import { currentLocalUser } from '../../src/tunnel/ssh-config.js';
import { atStep, auditEntries, confirmStep, currentPlan, newRun, runbookFixture, waitState, type RunbookFixture } from './helpers.js';

/** deckhand tunnelled through the sim's first bastion, whose key the operator's known_hosts already has. */
async function connect(fx: RunbookFixture): Promise<ConnectionControl> {
  const [type, blob] = fx.sim.bastion()!.hostKeyPublic.split(' ');
  writeFileSync(join(fx.dir, 'known_hosts'), `[${fx.sim.info.bastion.host}]:${fx.sim.info.bastion.port} ${type} ${blob}\n`);
  const key = join(fx.dir, 'id');
  writeFileSync(key, fx.sim.operatorKey.privateKey, { mode: 0o600 });
  const b = fx.sim.info.bastion;
  return createConnection({
    kubeconfig: fx.kubeconfig,
    context: 'sim-via-bastion',
    tunnel: {
      listen: { host: '127.0.0.1', port: 0 },
      local: { ...currentLocalUser(), home: fx.dir },
      sshConfigFile: null,
      identityFiles: [key],
      knownHosts: { userFiles: [join(fx.dir, 'known_hosts')], globalFiles: [], writeFile: join(fx.dir, 'deckhand_known_hosts'), acceptNew: false },
    },
    initial: { mode: 'tunnel', bastion: { host: b.host, port: b.port, user: b.user } },
  });
}

for (const scenario of ['capi-v1beta1', 'capi-v1beta2'] as const) {
  describe(`bastion-swap (${scenario})`, () => {
    const fixtures: RunbookFixture[] = [];
    after(async () => {
      for (const fx of fixtures) await fx.stop();
    });

    it('swaps the image, trusts the new host key only when confirmed, and removes the temporary entry', async () => {
      const fx = await runbookFixture({ scenario, timeScale: 100, overrides: { prow: false } });
      fixtures.push(fx);
      const connection = await connect(fx);
      const admin = fx.client();
      const discovery = await fx.discovery(admin);
      const before = (await listViews(admin, discovery, 'openstackClusters'))[0]!;
      const oldHost = fx.sim.info.bastion.host;
      try {
        const { run, begin } = await newRun(fx, 'bastion-swap', { image: 'ubuntu-24.04' }, { connection, profile: { name: 'test', production: false, readOnly: false, scaleMax: 10, testPodsNamespace: 'test-pods', prowNamespace: 'prow', echoIpUrl: fx.sim.info.echoIpUrl } });
        const done = begin();
        const first = await atStep(run, 'preconditions');
        assert.match(first.recovery ?? '', /openstack loadbalancer listener unset --allowed-cidrs <listener-id>/);
        assert.match(currentPlan(first).lines.join('\n'), /allowed CIDRs \(spec\): 127\.0\.6\.0\/24/);
        await confirmStep(run, 'preconditions');
        const ip = await atStep(run, 'public-ip');
        assert.match(currentPlan(ip).summary, /127\.0\.0\.1\/32/);
        await confirmStep(run, 'public-ip');
        const allow = await atStep(run, 'allow');
        const ops = allow.steps[2]!.plan!.requests[0]!.plan.request.body as { op: string; path: string }[];
        const path = scenario === 'capi-v1beta1' ? '/spec/apiServerLoadBalancer/allowedCidrs' : '/spec/apiServerLoadBalancer/allowedCIDRs';
        assert.deepEqual(ops.map((o) => `${o.op} ${o.path}`), ['replace /metadata/resourceVersion', `test ${path}`, `replace ${path}`]);
        await confirmStep(run, 'allow', { timeoutMs: 20_000 });
        await confirmStep(run, 'direct');
        const disabling = await atStep(run, 'disable');
        assert.equal(connection.mode(), 'direct');
        assert.deepEqual(currentPlan(disabling).danger, { target: 'prow', what: 'disable the bastion' });
        await confirmStep(run, 'disable');
        await confirmStep(run, 'enable', { timeoutMs: 30_000 });
        const tunnel = await atStep(run, 'tunnel', 'awaiting-confirmation', 30_000);
        const newHost = fx.sim.bastion()!.host;
        assert.notEqual(newHost, oldHost, 'a new floating IP');
        const plan = currentPlan(tunnel);
        assert.match(plan.summary, new RegExp(`new host key of \\[${newHost.replace(/\./g, '\\.')}\\]:\\d+: ssh-ed25519 ${fx.sim.bastion()!.fingerprint.replace(/[+/]/g, (c) => `\\${c}`)}`));
        assert.ok(plan.actions.some((a) => a.startsWith('trust ')));
        await confirmStep(run, 'tunnel', { timeoutMs: 20_000 });
        await confirmStep(run, 'cleanup', { timeoutMs: 20_000 });
        const end = await done;
        assert.equal(end.phase, 'done', end.steps.map((s) => `${s.id}:${s.phase}:${s.error ?? ''}`).join(' '));
        assert.equal(connection.mode(), 'tunnel');
        assert.equal(connection.bastion()?.host, newHost);
        const after = (await listViews(admin, discovery, 'openstackClusters'))[0]!;
        assert.deepEqual(after.apiServerLoadBalancer.allowedCidrs, before.apiServerLoadBalancer.allowedCidrs, 'the temporary entry is gone from spec');
        assert.ok(!(after.apiServerLoadBalancer.effectiveCidrs ?? []).includes('127.0.0.1/32'), 'and from status');
        assert.ok(!(fx.sim.loadBalancerAllowlist() ?? []).includes('127.0.0.1/32'), 'and from the load balancer');
        assert.equal(after.bastion.state, 'ACTIVE');
        const audit = auditEntries(fx.auditLog).filter((e) => e.runId === end.runId);
        assert.deepEqual(audit.map((e) => `${e.step} ${e.kind}`), ['allow kube', 'direct local', 'disable kube', 'enable kube', 'tunnel local', 'cleanup kube']);
        assert.ok(!JSON.stringify(audit).includes(fx.sim.token), 'no token in the audit log');
      } finally {
        await connection.close();
      }
    });

    it('refuses to disable the bastion when the entry never takes effect, and cleans up on request', async () => {
      const fx = await runbookFixture({ scenario, timeScale: 100, overrides: { prow: false, faults: { allowlistStuck: true } } });
      fixtures.push(fx);
      const connection = await connect(fx);
      const admin = fx.client();
      const discovery = await fx.discovery(admin);
      try {
        const { run, begin } = await newRun(fx, 'bastion-swap', { publicIp: '127.0.0.1' }, { connection });
        const done = begin();
        await confirmStep(run, 'preconditions');
        await confirmStep(run, 'public-ip');
        await confirmStep(run, 'allow');
        const failed = await waitState(run, (s) => s.steps[2]!.phase === 'failed' && s.phase === 'awaiting', 'step 3 to fail', 30_000);
        assert.match(failed.steps[2]!.error ?? '', /does not answer directly/);
        assert.equal(run.confirm().ok, false, 'nothing to confirm: step 5 is never reached');
        assert.equal(failed.steps[4]!.phase, 'pending', 'the bastion was not touched');
        assert.deepEqual(run.rollback(), { ok: true });
        const s = await waitState(run, (x) => x.steps[2]!.rollingBack === true && x.steps[2]!.phase === 'awaiting-confirmation', 'the rollback to ask');
        assert.match(currentPlan(s).summary, /remove 127\.0\.0\.1\/32/);
        assert.deepEqual(run.confirm(), { ok: true });
        const end = await done;
        assert.equal(end.phase, 'rolled-back');
        const cluster = (await listViews(admin, discovery, 'openstackClusters'))[0]!;
        assert.ok(!cluster.apiServerLoadBalancer.allowedCidrs?.includes('127.0.0.1/32'));
        assert.equal(cluster.bastion.enabled, true);
        assert.equal(connection.mode(), 'tunnel', 'still through the old bastion');
      } finally {
        await connection.close();
      }
    });
  });
}

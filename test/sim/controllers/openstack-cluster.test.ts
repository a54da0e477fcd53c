// The simulated CAPO OpenStackCluster controller against real ssh2 bastions and the real load balancer: disabling
// the bastion deletes it, enabling it again or changing its image creates a new one (new floating IP, new host key),
// and the API load balancer's allowed CIDRs follow CAPO's getCanonicalAllowedCIDRs rule after Octavia's delay.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { at, sshHostKey, startCluster, until, type TestCluster } from './harness.js';

const ns = 'default';

/** GET /version through the load balancer from the operator's address (127.0.0.1); false when the LB refuses. */
function viaLoadBalancer(c: TestCluster): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: c.cloud.lb.host, port: c.cloud.lb.port, path: '/version', ca: c.caPem, servername: 'localhost', localAddress: '127.0.0.1', headers: { Authorization: `Bearer ${c.token}` }, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const bastionOf = (osc: unknown) => at(osc, 'status.bastion') as { id: string; state: string; floatingIP: string; ip: string; name: string } | undefined;

for (const scenario of ['capi-v1beta2', 'capi-v1beta1'] as const) {
  describe(`OpenStackCluster (${scenario})`, () => {
    let c: TestCluster;
    const osc = () => c.client.get(c.kinds.openStackClusters, 'prow', ns);
    const cidrsKey = () => (c.scenario.capo === 'v1beta1' ? 'allowedCIDRs' : 'allowedCidrs');
    before(async () => {
      c = await startCluster({ scenario, timeScale: 50, overrides: { prow: false } });
    });
    after(async () => c?.stop());

    it('starts with an ACTIVE bastion and a load balancer that admits only the cluster network and the bastion', async () => {
      const o = await until('the bastion to be ACTIVE', async () => {
        const x = await osc();
        return bastionOf(x)?.state === 'ACTIVE' ? x : undefined;
      });
      const b = bastionOf(o)!;
      assert.equal(b.name, 'prow-bastion');
      const running = c.cloud.bastions.get(b.id);
      assert.ok(running, 'the bastion runs in the cloud');
      assert.equal(await sshHostKey(c.cloud.operatorKey.privateKey, b.floatingIP, running.port), running.fingerprint);
      const expected = [`${b.floatingIP}/32`, '127.0.6.0/24', '127.0.6.1/32', `${b.ip}/32`].sort();
      assert.deepEqual(at(o, 'status.apiServerLoadBalancer.allowedCIDRs'), expected);
      assert.deepEqual(c.cloud.lb.allowlist(), expected);
      assert.equal(await viaLoadBalancer(c), false, 'the operator (127.0.0.1) is refused by the load balancer');
    });

    it('reconciles allowed CIDRs with CAPO\'s rule: bastion and subnet added, bare IPs as /32, invalid entries dropped with an event', async () => {
      const b = bastionOf(await osc())!;
      const started = Date.now();
      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { apiServerLoadBalancer: { [cidrsKey()]: ['127.0.6.0/24', '127.0.0.1', '10.0.0.0/8', 'bogus', '10.0.0.0/8'] } } }, { namespace: ns });
      const expected = ['10.0.0.0/8', '127.0.0.1/32', `${b.floatingIP}/32`, '127.0.6.0/24', '127.0.6.1/32', `${b.ip}/32`].sort();
      const o = await until('the new allowed CIDRs in status', async () => {
        const x = await osc();
        return JSON.stringify(at(x, 'status.apiServerLoadBalancer.allowedCIDRs')) === JSON.stringify(expected) ? x : undefined;
      });
      assert.ok(Date.now() - started >= (8 / 50) * 1000 * 0.9, 'applied only after the load balancer update delay');
      assert.deepEqual(c.cloud.lb.allowlist(), expected);
      assert.ok(o);
      const events = (await c.client.list(c.kinds.events, { namespace: ns, fieldSelector: 'involvedObject.name=prow' })).items;
      const failed = events.find((e) => e.reason === 'FailedIPAddressValidation');
      assert.equal(failed?.type, 'Warning');
      assert.equal(failed?.message, 'bogus is not a valid IPv4 nor IPv6 address');
      assert.equal(await viaLoadBalancer(c), true, 'the operator now reaches the API directly');

      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { apiServerLoadBalancer: { [cidrsKey()]: [] } } }, { namespace: ns });
      await until('an unrestricted load balancer', async () => at(await osc(), 'status.apiServerLoadBalancer.allowedCIDRs') === undefined && c.cloud.lb.allowlist() === null);
      assert.equal(c.cloud.allowlists.at(-1), null);
    });

    it('deletes the bastion when disabled and creates a new one, new address and host key, when enabled with a new image', async () => {
      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { apiServerLoadBalancer: { [cidrsKey()]: ['127.0.6.0/24'] } } }, { namespace: ns });
      const first = bastionOf(await osc())!;
      const firstBastion = c.cloud.bastions.get(first.id)!;
      const firstKey = firstBastion.fingerprint;
      const firstPort = firstBastion.port;
      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { bastion: { enabled: false } } }, { namespace: ns });
      await until('status.bastion to disappear', async () => !bastionOf(await osc()));
      assert.ok(c.cloud.calls.includes(`delete ${first.id}`));
      await assert.rejects(sshHostKey(c.cloud.operatorKey.privateKey, first.floatingIP, firstPort), 'the old bastion no longer answers');
      await until('the allowlist without the bastion', async () => JSON.stringify(at(await osc(), 'status.apiServerLoadBalancer.allowedCIDRs')) === JSON.stringify(['127.0.6.0/24', '127.0.6.1/32']));

      const image = c.scenario.capo === 'v1beta1' ? { spec: { image: { filter: { name: 'ubuntu-24.04' } } } } : { instance: { image: 'ubuntu-24.04' } };
      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { bastion: { enabled: true, ...image } } }, { namespace: ns });
      const states: string[] = [];
      const second = await until('a new ACTIVE bastion', async () => {
        const b = bastionOf(await osc());
        if (b && states.at(-1) !== b.state) states.push(b.state);
        return b?.state === 'ACTIVE' ? b : undefined;
      });
      assert.equal(states[0], 'BUILD');
      assert.notEqual(second.id, first.id);
      assert.notEqual(second.floatingIP, first.floatingIP);
      assert.ok(c.cloud.calls.at(-1)?.startsWith('create ubuntu-24.04 '), `created from the new image (${c.cloud.calls.join('; ')})`);
      const secondKey = await sshHostKey(c.cloud.operatorKey.privateKey, second.floatingIP, c.cloud.bastions.get(second.id)!.port);
      assert.notEqual(secondKey, firstKey, 'a new SSH host key');
      await until('the allowlist with the new bastion', async () => (at(await osc(), 'status.apiServerLoadBalancer.allowedCIDRs') as string[] | undefined)?.includes(`${second.floatingIP}/32`));

      // Changing only the image while enabled recreates the bastion too (cluster-apis.md §2.3).
      const third = c.scenario.capo === 'v1beta1' ? { spec: { image: { filter: { name: 'ubuntu-24.04-hardened' } } } } : { instance: { image: 'ubuntu-24.04-hardened' } };
      await c.client.patch(c.kinds.openStackClusters, 'prow', { spec: { bastion: third } }, { namespace: ns });
      const replaced = await until('the bastion to be recreated', async () => {
        const b = bastionOf(await osc());
        return b && b.id !== second.id && b.state === 'ACTIVE' ? b : undefined;
      });
      const calls = c.cloud.calls.slice(-2);
      assert.deepEqual(calls, [`delete ${second.id}`, `create ubuntu-24.04-hardened ${replaced.id}`]);
    });
  });
}

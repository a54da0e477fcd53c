import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedCidrsPatch, bastionEnabledPatch, bastionImagePatch, capoPathsFor, projectOpenStackCluster, projectOpenStackMachine, serverIdFromProviderID,
} from '../../src/kube/capo.js';
import { oscV1alpha6, oscV1alpha7, oscV1beta1 } from './fixtures.js';

test('v1alpha6: image string under instance, allowedCidrs, LB status under status.network', () => {
  const c = projectOpenStackCluster(oscV1alpha6, capoPathsFor('v1alpha6'));
  assert.deepEqual(c.bastion, { enabled: true, declared: true, image: { kind: 'name', name: 'ubuntu-20.04' }, flavor: 'm1.small', state: 'ACTIVE', floatingIP: '203.0.113.10', internalIP: '10.6.0.5', id: 'b-1' });
  assert.deepEqual(c.apiServerLoadBalancer, { enabled: true, allowedCidrs: ['10.6.0.0/24'], effectiveCidrs: ['10.6.0.0/24', '203.0.113.10/32'], ip: '203.0.113.1' });
  assert.equal(c.ready, true);
});

test('v1alpha7: imageUUID, enabled defaults to false, LB status at status.apiServerLoadBalancer', () => {
  const c = projectOpenStackCluster(oscV1alpha7, capoPathsFor('v1alpha7'));
  assert.equal(c.bastion.enabled, false);
  assert.deepEqual(c.bastion.image, { kind: 'id', id: '8f0e2f4a-img' });
  assert.equal(c.bastion.pinnedFloatingIP, '203.0.113.99');
  assert.equal(c.apiServerLoadBalancer.allowedCidrs, undefined);
  assert.deepEqual(c.apiServerLoadBalancer.effectiveCidrs, ['0.0.0.0/0']);
  // Read with v1alpha6 paths, the status is not found: the path moved between the two.
  assert.equal(projectOpenStackCluster(oscV1alpha7, capoPathsFor('v1alpha6')).apiServerLoadBalancer.ip, undefined);
});

test('v1beta1: ImageParam filter, enabled defaults to true, allowedCIDRs spelling, LB enabled by presence', () => {
  const c = projectOpenStackCluster(oscV1beta1, capoPathsFor('v1beta1'));
  assert.equal(c.bastion.enabled, true);
  assert.deepEqual(c.bastion.image, { kind: 'filter', name: 'ubuntu-22.04', tags: ['bastion'] });
  assert.equal(c.bastion.pinnedFloatingIP, '203.0.113.50');
  assert.equal(c.bastion.state, 'BUILD');
  assert.deepEqual(c.apiServerLoadBalancer.allowedCidrs, ['10.6.0.0/24', '198.51.100.7/32']);
  assert.equal(c.apiServerLoadBalancer.enabled, true);
  assert.equal(c.apiServerLoadBalancer.effectiveCidrs?.length, 4);
  assert.equal(c.controlPlaneEndpoint, '203.0.113.3:6443');
  const disabled = projectOpenStackCluster({ ...oscV1beta1, spec: { bastion: { enabled: false } } }, capoPathsFor('v1beta1'));
  assert.equal(disabled.bastion.enabled, false);
  assert.equal(disabled.apiServerLoadBalancer.enabled, false);
  const none = projectOpenStackCluster({ ...oscV1beta1, spec: {} }, capoPathsFor('v1beta1'));
  assert.deepEqual([none.bastion.enabled, none.bastion.declared, none.bastion.image.kind], [false, false, 'unset']);
});

test('allowed CIDRs patches use the spelling of the version', () => {
  assert.deepEqual(allowedCidrsPatch(capoPathsFor('v1alpha7'), ['1.2.3.4/32']), { spec: { apiServerLoadBalancer: { allowedCidrs: ['1.2.3.4/32'] } } });
  assert.deepEqual(allowedCidrsPatch(capoPathsFor('v1beta1'), ['1.2.3.4/32']), { spec: { apiServerLoadBalancer: { allowedCIDRs: ['1.2.3.4/32'] } } });
  assert.deepEqual(bastionEnabledPatch(false), { spec: { bastion: { enabled: false } } });
});

test('bastion image patches: a string with the UUID nulled (v1alpha), one ImageParam with siblings nulled (v1beta1)', () => {
  assert.deepEqual(bastionImagePatch(capoPathsFor('v1alpha6'), { kind: 'name', name: 'ubuntu-24.04' }), {
    spec: { bastion: { instance: { image: 'ubuntu-24.04', imageUUID: null } } },
  });
  assert.deepEqual(bastionImagePatch(capoPathsFor('v1beta1'), { kind: 'name', name: 'ubuntu-24.04' }), {
    spec: { bastion: { spec: { image: { filter: { name: 'ubuntu-24.04' }, id: null, imageRef: null } } } },
  });
  assert.deepEqual(bastionImagePatch(capoPathsFor('v1beta1'), { kind: 'id', id: 'img-1' }), {
    spec: { bastion: { spec: { image: { id: 'img-1', filter: null, imageRef: null } } } },
  });
  assert.throws(() => bastionImagePatch(capoPathsFor('v1alpha7'), { kind: 'imageRef', name: 'x' }), /image name or UUID/);
});

test('providerID: both CAPO formats give the server UUID; other strings give nothing', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['openstack:///5d1f3c0e-aaaa', '5d1f3c0e-aaaa'],
    ['openstack://RegionOne/5d1f3c0e-aaaa', '5d1f3c0e-aaaa'],
    ['aws:///us-east-1a/i-123', undefined],
    ['openstack://', undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) assert.equal(serverIdFromProviderID(input), expected, String(input));
});

test('OpenStackMachine: owner Machine, server id from providerID or instanceID', () => {
  const raw = {
    metadata: { name: 'prow-md-0-xx8k7', namespace: 'default', uid: 'u', resourceVersion: '1', ownerReferences: [{ kind: 'Machine', name: 'prow-md-0-abc12-xx8k7', controller: true }] },
    spec: { providerID: 'openstack://RegionOne/uuid-1' },
    status: { ready: true, instanceState: 'ACTIVE', instanceID: 'uuid-1' },
  };
  assert.deepEqual(projectOpenStackMachine(raw, capoPathsFor('v1beta1')), {
    name: 'prow-md-0-xx8k7', namespace: 'default', uid: 'u', resourceVersion: '1', ready: true,
    machineName: 'prow-md-0-abc12-xx8k7', providerID: 'openstack://RegionOne/uuid-1', serverId: 'uuid-1', instanceState: 'ACTIVE',
  });
  const alpha = { ...raw, spec: { instanceID: 'uuid-2' }, status: {} };
  assert.equal(projectOpenStackMachine(alpha, capoPathsFor('v1alpha7')).serverId, 'uuid-2');
});

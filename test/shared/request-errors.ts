// How the API server answers requests it refuses, compared as whole Status bodies on both targets: bad query
// parameters, names, bodies and paths, the order of checks (a body is validated before the name is looked up), and
// core/v1 Event and Pod validation. Bodies were taken from kube-apiserver 1.34 (test/k8s/OBSERVED.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../helpers/http.js';
import type { Target, TargetFactory } from './target.js';

const failure = (code: number, message: string, reason?: string, details?: Record<string, unknown>) => ({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(reason ? { reason } : {}), ...(details ? { details } : {}), code,
});
const merge = { 'Content-Type': 'application/merge-patch+json' };

/** Defines the refused-request tests against the target `start` returns. */
export function defineRequestErrorsSuite(start: TargetFactory): void {
  let target: Target;
  const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(target.access, method, path, body, headers);
  const expect = async (method: string, path: string, body: unknown, want: unknown, headers?: Record<string, string>) => {
    const res = await req(method, path, body, headers);
    assert.deepEqual(res.body, want, `${method} ${path}`);
  };

  before(async () => {
    target = await start();
  });
  after(async () => target?.stop());

  test('list and watch parameters: limit, resourceVersionMatch, resourceVersion, dryRun', async () => {
    await expect('GET', '/api/v1/configmaps?limit=abc', undefined, failure(400, 'strconv.ParseInt: parsing "abc": invalid syntax', 'BadRequest'));
    await expect('GET', '/api/v1/configmaps?resourceVersionMatch=NotOlderThan', undefined, failure(422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', 'Invalid',
      { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', field: 'resourceVersionMatch' }] }));
    // No reason: the storage layer's error surfaces as an internal error.
    await expect('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=abc&timeoutSeconds=1', undefined, failure(500,
      'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax'));
    await expect('POST', '/api/v1/namespaces/default/configmaps?dryRun=Bogus', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } }, failure(422,
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Bogus"]: supported values: "All"', 'Invalid',
      { group: 'meta.k8s.io', kind: 'CreateOptions', causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: ["Bogus"]: supported values: "All"', field: 'dryRun' }] }));
    await expect('GET', '/api/v1/pods?labelSelector=a%3D%3D%3Db', undefined, failure(400, 'unable to parse requirement: found \'=\', expected: identifier', 'BadRequest'));
  });

  test('paths: an unknown resource or subresource of a served version is a Status 404; POST to an object is 405', async () => {
    const missing = failure(404, 'the server could not find the requested resource', 'NotFound', {});
    await expect('GET', '/api/v1/bogus', undefined, missing);
    await expect('GET', '/api/v1/namespaces/default/configmaps/anything/status', undefined, missing);
    // The custom resource handler answers a subresource a CRD lacks as if the object were missing.
    const machine = `/apis/cluster.x-k8s.io/${target.scenario.capi}/namespaces/default/machines/absent`;
    const notFound = failure(404, 'machines.cluster.x-k8s.io "absent" not found', 'NotFound', { name: 'absent', group: 'cluster.x-k8s.io', kind: 'machines' });
    await expect('GET', `${machine}/scale`, undefined, notFound);
    await expect('PATCH', `${machine}/scale`, { spec: { replicas: 1 } }, notFound, merge);
    await expect('POST', '/api/v1/namespaces/default/configmaps/anything', {}, failure(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed', {}));
  });

  test('bodies: the name on the URL, the namespace, JSON, a resourceVersion for an update; validation before existence', async () => {
    await expect('PUT', '/api/v1/namespaces/default/configmaps/absent', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } },
      failure(400, 'the name of the object (other) does not match the name on the URL (absent)', 'BadRequest'));
    await expect('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": ',
      failure(400, 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": )', 'BadRequest'));
    const path = `/apis/cluster.x-k8s.io/${target.scenario.capi}/namespaces/default/machinedeployments/prow-md-0`;
    const md = (await req('GET', path)).body as { metadata: Record<string, unknown> };
    delete md.metadata.resourceVersion;
    await expect('PUT', path, md, failure(422, 'machinedeployments.cluster.x-k8s.io "prow-md-0" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update', 'Invalid',
      { name: 'prow-md-0', group: 'cluster.x-k8s.io', kind: 'machinedeployments', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be specified for an update', field: 'metadata.resourceVersion' }] }));
    // An invalid object that also exists already: validation answers first.
    const osc = `/apis/infrastructure.cluster.x-k8s.io/${target.scenario.capo}/namespaces/default/openstackclusters`;
    const exists = await req('POST', osc, { apiVersion: `infrastructure.cluster.x-k8s.io/${target.scenario.capo}`, kind: 'OpenStackCluster', metadata: { name: 'prow' }, spec: { bastion: { enabled: 'yes' } } });
    assert.equal(exists.status, 422, exists.text);
  });

  test('core/v1 validation the controllers meet: an Event\'s involvedObject namespace, a Pod\'s containers; Event fields', async () => {
    const event = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, type: 'Warning', reason: 'X', message: 'y', involvedObject: { kind: 'Pod', namespace, name: 'p' } });
    await expect('POST', '/api/v1/namespaces/default/events', event('elsewhere', 'other'), failure(422, 'Event "elsewhere" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace', 'Invalid',
      { name: 'elsewhere', kind: 'Event', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "other": does not match event.namespace', field: 'involvedObject.namespace' }] }));
    const created = (await req('POST', '/api/v1/namespaces/default/events', event('minimal', 'default'))).body as Record<string, unknown>;
    // Not omitempty in core/v1 Event: every read carries them.
    assert.deepEqual([created.source, created.firstTimestamp, created.lastTimestamp, created.eventTime, created.reportingComponent, created.reportingInstance], [{}, null, null, null, '', '']);
    await expect('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: { containers: [] } }, failure(422, 'Pod "empty" is invalid: spec.containers: Required value', 'Invalid',
      { name: 'empty', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] }));
    const patched = await req('PATCH', '/api/v1/namespaces/default/events/minimal', { count: 2 }, merge);
    assert.equal(patched.status, 200);
  });
}

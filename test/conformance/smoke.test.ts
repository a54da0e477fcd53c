// Smoke suite against a real kube-apiserver + etcd with the real CAPI, CAPO and Prow CRDs (issue 7).
// It pins down, through plain HTTPS, the server behaviour deckhand and the simulator depend on: patch types,
// pruning and strict field validation, the drain-timeout shapes per CAPI version, /scale, CAPO allowed-CIDR and
// bastion image patches, watch bookmarks and 410s, and the exact Status bodies (see test/k8s/OBSERVED.md).
// Runs only under `npm run test:conformance` (DECKHAND_CONFORMANCE=1), which builds the binaries first.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startRealCluster, type RealCluster } from '../k8s/harness.js';
import { kubeRequest, openWatch, PatchType, type KubeResponse, type WatchEvent } from '../k8s/http.js';
import { capiPath, cluster, machine, machineDeployment, type CapiVersion, type CapoVersion } from '../k8s/fixtures/capi.js';
import { allowedCidrsPointer, capoPath, openStackCluster } from '../k8s/fixtures/capo.js';
import { prowJob } from '../k8s/fixtures/prow.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

/** What the tests saw, written to DECKHAND_OBSERVE_OUT (JSON) when set: the raw material of OBSERVED.md. */
const observed: Array<{ label: string; status: number; warning?: string | string[]; body: unknown }> = [];
function observe(label: string, r: KubeResponse): KubeResponse {
  observed.push({ label, status: r.status, ...(r.headers.warning ? { warning: r.headers.warning } : {}), body: r.json ?? r.text });
  return r;
}
after(() => {
  if (process.env.DECKHAND_OBSERVE_OUT && observed.length) {
    writeFileSync(process.env.DECKHAND_OBSERVE_OUT, JSON.stringify(observed, null, 2));
  }
});

function expectStatus(r: KubeResponse, code: number): void {
  assert.equal(r.status, code, `expected HTTP ${code}, got ${r.status}: ${r.text.slice(0, 800)}`);
}

type Status = {
  kind: string;
  status: string;
  message: string;
  reason?: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: string; message: string; field: string }> };
};
const status = (r: KubeResponse): Status => r.json as Status;
type Obj = { metadata: { resourceVersion: string; labels?: Record<string, string> }; spec: Record<string, unknown> };
const obj = (r: KubeResponse): Obj => r.json as Obj;

const NS = 'default';

/** The checks shared by both CRD generations; `capi`/`capo` select the version-specific shapes. */
function patchSuite(capi: CapiVersion, capo: CapoVersion, prow: boolean): void {
  let c: RealCluster;
  const machines = (name?: string): string => capiPath(capi, 'machines', NS, name);
  const mds = (name?: string): string => capiPath(capi, 'machinedeployments', NS, name);

  before(async () => {
    c = await startRealCluster({ capi, capo, prow });
    const create = async (path: string, body: unknown): Promise<void> => {
      expectStatus(await c.request('POST', path, { body }), 201);
    };
    await create(capiPath(capi, 'clusters', NS), cluster(capi, 'prow', { capo }));
    await create(machines(), machine(capi, 'm1', { capo }));
    await create(mds(), machineDeployment(capi, 'md0', { capo }));
    await create(capoPath(capo, NS), openStackCluster(capo, 'prow'));
    if (prow) await create('/apis/prow.k8s.io/v1/namespaces/prow/prowjobs', prowJob('pj1'));
  });
  after(async () => {
    await c?.stop();
  });

  it('serves exactly one CAPI and one CAPO version', async () => {
    const groups = observe(`${capi}: discovery cluster.x-k8s.io`, await c.request('GET', '/apis/cluster.x-k8s.io'));
    const versions = (groups.json as { versions: Array<{ version: string }> }).versions.map((v) => v.version);
    assert.deepEqual(versions, [capi]);
    const infra = await c.request('GET', '/apis/infrastructure.cluster.x-k8s.io');
    const infraVersions = (infra.json as { versions: Array<{ version: string }> }).versions.map((v) => v.version);
    assert.ok(infraVersions.includes(capo), `infrastructure versions ${infraVersions.join(',')}`);
    assert.ok(!infraVersions.includes(capo === 'v1beta1' ? 'v1alpha7' : 'v1beta1'));
  });

  it('refuses a strategic merge patch on a Machine with 415', async () => {
    const r = observe(`${capi}: strategic merge patch on Machine`, await c.request('PATCH', machines('m1'), {
      body: { metadata: { labels: { a: 'b' } } },
      contentType: PatchType.strategic,
    }));
    expectStatus(r, 415);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'the body of the request was in an unknown format - accepted media types include: ' +
        'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('rejects an unknown field with fieldValidation=Strict and prunes it (with a Warning) without', async () => {
    const strict = observe(`${capi}: merge patch unknown field, Strict`, await c.request('PATCH', `${machines('m1')}?fieldValidation=Strict`, {
      body: { spec: { bogus: 1 } },
      contentType: PatchType.merge,
    }));
    // A patch is decoded after it is applied, so the failure is a 422 Invalid whose message embeds the whole
    // patched object; only a create/update body gets 400 BadRequest (next test).
    expectStatus(strict, 422);
    assert.equal(status(strict).reason, 'Invalid');
    assert.match(status(strict).message, /^ "" is invalid: patch: Invalid value: "\{/);
    assert.match(status(strict).message, /: strict decoding error: unknown field "spec\.bogus"$/);

    const warned = observe(`${capi}: merge patch unknown field, default (Warn)`, await c.request('PATCH', machines('m1'), {
      body: { spec: { bogus: 1 } },
      contentType: PatchType.merge,
    }));
    expectStatus(warned, 200);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"spec.bogus\\""');
    assert.equal(obj(warned).spec.bogus, undefined, 'pruned');

    const ignored = await c.request('PATCH', `${machines('m1')}?fieldValidation=Ignore`, {
      body: { spec: { bogus: 1 } },
      contentType: PatchType.merge,
    });
    expectStatus(ignored, 200);
    assert.equal(ignored.headers.warning, undefined);
    assert.equal(obj(ignored).spec.bogus, undefined, 'pruned');
    const stored = await c.request('GET', machines('m1'));
    assert.equal(obj(stored).spec.bogus, undefined, 'pruned in storage too');
  });

  it('answers 400 BadRequest for an unknown field in a Strict create', async () => {
    const body = machine(capi, 'strict-create', { capo });
    (body.spec as Record<string, unknown>).bogus = 1;
    const r = observe(`${capi}: POST unknown field, Strict`, await c.request('POST', `${machines()}?fieldValidation=Strict`, { body }));
    expectStatus(r, 400);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Machine in version "${capi}" cannot be handled as a Machine: strict decoding error: unknown field "spec.bogus"`,
      reason: 'BadRequest',
      code: 400,
    });
  });

  if (capi === 'v1beta1') {
    it('accepts the v1beta1 drain-timeout merge patch (spec.nodeDrainTimeout "10m0s") and reads it back', async () => {
      const r = await c.request('PATCH', machines('m1'), { body: { spec: { nodeDrainTimeout: '10m0s' } }, contentType: PatchType.merge });
      expectStatus(r, 200);
      assert.equal(obj(await c.request('GET', machines('m1'))).spec.nodeDrainTimeout, '10m0s');
      const wrong = observe('v1beta1: nodeDrainTimeout as integer', await c.request('PATCH', machines('m1'), {
        body: { spec: { nodeDrainTimeout: 600 } },
        contentType: PatchType.merge,
      }));
      expectStatus(wrong, 422);
      assert.deepEqual(status(wrong).details?.causes, [{
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "integer": spec.nodeDrainTimeout in body must be of type string: "integer"',
        field: 'spec.nodeDrainTimeout',
      }]);
    });
  } else {
    it('accepts the v1beta2 drain-timeout merge patch (spec.deletion.nodeDrainTimeoutSeconds 600) and reads it back', async () => {
      const r = await c.request('PATCH', machines('m1'), {
        body: { spec: { deletion: { nodeDrainTimeoutSeconds: 600 } } },
        contentType: PatchType.merge,
      });
      expectStatus(r, 200);
      const back = obj(await c.request('GET', machines('m1'))).spec.deletion as { nodeDrainTimeoutSeconds: number };
      assert.equal(back.nodeDrainTimeoutSeconds, 600);

      const wrong = observe('v1beta2: nodeDrainTimeoutSeconds as string', await c.request('PATCH', machines('m1'), {
        body: { spec: { deletion: { nodeDrainTimeoutSeconds: '600' } } },
        contentType: PatchType.merge,
      }));
      expectStatus(wrong, 422);
      assert.equal(status(wrong).reason, 'Invalid');
      // Schema errors stop CEL evaluation, which the server reports as a second cause with field "<nil>".
      assert.deepEqual(status(wrong).details?.causes?.map((x) => [x.reason, x.field]), [
        ['FieldValueTypeInvalid', 'spec.deletion.nodeDrainTimeoutSeconds'],
        ['FieldValueInvalid', '<nil>'],
      ]);

      // The v1beta1 shape sent to a v1beta2 server is not an error: it is pruned with a warning.
      const old = observe('v1beta2: v1beta1-shaped drain patch', await c.request('PATCH', machines('m1'), {
        body: { spec: { nodeDrainTimeout: '10m0s' } },
        contentType: PatchType.merge,
      }));
      expectStatus(old, 200);
      assert.equal(old.headers.warning, '299 - "unknown field \\"spec.nodeDrainTimeout\\""');
    });
  }

  it('answers 409 Conflict for a merge patch carrying a stale resourceVersion', async () => {
    const r = observe(`${capi}: merge patch with stale resourceVersion`, await c.request('PATCH', machines('m1'), {
      body: { metadata: { resourceVersion: '1' }, spec: { version: 'v1.31.5' } },
      contentType: PatchType.merge,
    }));
    expectStatus(r, 409);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on machines.cluster.x-k8s.io "m1": the object has been modified; ' +
        'please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'm1', group: 'cluster.x-k8s.io', kind: 'machines' },
      code: 409,
    });
  });

  it('answers 404 NotFound with the plural resource as details.kind', async () => {
    const r = observe(`${capi}: GET missing Machine`, await c.request('GET', machines('nope')));
    expectStatus(r, 404);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'machines.cluster.x-k8s.io "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'cluster.x-k8s.io', kind: 'machines' },
      code: 404,
    });
  });

  it('lets the read-only identity read, and answers 403 Forbidden to its writes', async () => {
    expectStatus(await kubeRequest(c.viewer, 'GET', machines('m1')), 200);
    const r = observe(`${capi}: viewer patches a Machine`, await kubeRequest(c.viewer, 'PATCH', machines('m1'), {
      body: { spec: {} },
      contentType: PatchType.merge,
    }));
    expectStatus(r, 403);
    assert.equal(
      status(r).message,
      'machines.cluster.x-k8s.io "m1" is forbidden: User "deckhand-viewer" cannot patch resource "machines" ' +
        'in API group "cluster.x-k8s.io" in the namespace "default"',
    );
    assert.equal(status(r).reason, 'Forbidden');
  });

  it('scales a MachineDeployment with a merge patch on /scale', async () => {
    const r = observe(`${capi}: merge patch on machinedeployments/scale`, await c.request('PATCH', `${mds('md0')}/scale`, {
      body: { spec: { replicas: 3 } },
      contentType: PatchType.merge,
    }));
    expectStatus(r, 200);
    const scale = r.json as { kind: string; apiVersion: string; spec: { replicas: number }; status: { replicas: number } };
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.spec.replicas, 3);
    assert.equal(obj(await c.request('GET', mds('md0'))).spec.replicas, 3);
    const negative = observe(`${capi}: /scale to -1`, await c.request('PATCH', `${mds('md0')}/scale`, {
      body: { spec: { replicas: -1 } },
      contentType: PatchType.merge,
    }));
    expectStatus(negative, 422);
    assert.equal(status(negative).details?.causes?.[0]?.field, '.spec.replicas');
  });

  it(`accepts the CAPO ${capo} allowed-CIDRs JSON patch with a test op`, async () => {
    const ptr = allowedCidrsPointer(capo);
    const path = capoPath(capo, NS, 'prow');
    const r = await c.request('PATCH', path, {
      body: [
        { op: 'test', path: ptr, value: ['192.0.2.0/24'] },
        { op: 'replace', path: ptr, value: ['192.0.2.0/24', '198.51.100.7/32'] },
      ],
      contentType: PatchType.json,
    });
    expectStatus(r, 200);
    const lb = obj(await c.request('GET', path)).spec.apiServerLoadBalancer as Record<string, unknown>;
    assert.deepEqual(lb[capo === 'v1alpha7' ? 'allowedCidrs' : 'allowedCIDRs'], ['192.0.2.0/24', '198.51.100.7/32']);

    const stale = observe(`${capo}: JSON patch whose test op fails`, await c.request('PATCH', path, {
      body: [{ op: 'test', path: ptr, value: ['192.0.2.0/24'] }, { op: 'replace', path: ptr, value: ['10.0.0.0/8'] }],
      contentType: PatchType.json,
    }));
    expectStatus(stale, 422);
    assert.deepEqual(stale.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });

  if (capo === 'v1alpha7') {
    it('accepts the v1alpha7 bastion image change (spec.bastion.instance.image)', async () => {
      const path = capoPath(capo, NS, 'prow');
      const r = await c.request('PATCH', path, {
        body: { spec: { bastion: { instance: { image: 'ubuntu-24.04' } } } },
        contentType: PatchType.merge,
      });
      expectStatus(r, 200);
      const bastion = obj(await c.request('GET', path)).spec.bastion as { instance: { image: string; flavor: string } };
      assert.equal(bastion.instance.image, 'ubuntu-24.04');
      assert.equal(bastion.instance.flavor, 'm1.small', 'merge patch keeps siblings');
    });
  } else {
    it('accepts the v1beta1 bastion image change (ImageParam) and rejects a two-key ImageParam', async () => {
      const path = capoPath(capo, NS, 'prow');
      const id = '8f3c1f44-6a5e-4d0e-9a57-6c1ad3f1f4a1';
      const byId = await c.request('PATCH', path, {
        body: [{ op: 'replace', path: '/spec/bastion/spec/image', value: { id } }],
        contentType: PatchType.json,
      });
      expectStatus(byId, 200);
      // Merge patches merge objects: adding filter while id is stored makes a two-key ImageParam.
      const twoKeys = observe('v1beta1: ImageParam with two keys', await c.request('PATCH', path, {
        body: { spec: { bastion: { spec: { image: { filter: { name: 'ubuntu-24.04' } } } } } },
        contentType: PatchType.merge,
      }));
      expectStatus(twoKeys, 422);
      assert.deepEqual(status(twoKeys).details?.causes?.[0], {
        reason: 'FieldValueTooMany',
        message: 'Too many: 2: must have at most 1 item',
        field: 'spec.bastion.spec.image',
      });
      const swap = await c.request('PATCH', path, {
        body: { spec: { bastion: { spec: { image: { id: null, filter: { name: 'ubuntu-24.04' } } } } } },
        contentType: PatchType.merge,
      });
      expectStatus(swap, 200);
      const bastion = obj(await c.request('GET', path)).spec.bastion as { spec: { image: unknown } };
      assert.deepEqual(bastion.spec.image, { filter: { name: 'ubuntu-24.04' } });
      // CEL: an enabled bastion needs a spec.
      const cel = observe('v1beta1: bastion enabled without spec (CEL)', await c.request('PATCH', path, {
        body: { spec: { bastion: { enabled: true, spec: null } } },
        contentType: PatchType.merge,
      }));
      expectStatus(cel, 422);
      assert.equal(status(cel).details?.causes?.[0]?.message, 'Invalid value: "object": spec is required if bastion is enabled');
    });
  }

  if (prow) {
    it('stores ProwJob status with the object (no status subresource)', async () => {
      const path = '/apis/prow.k8s.io/v1/namespaces/prow/prowjobs/pj1';
      // The status schema ties terminal states to completionTime (anyOf/not), so a bare state change is refused.
      const bare = observe('ProwJob: state success without completionTime', await c.request('PATCH', path, {
        body: { status: { state: 'success' } },
        contentType: PatchType.merge,
      }));
      expectStatus(bare, 422);
      assert.deepEqual(status(bare).details?.causes?.map((x) => x.message), [
        'Invalid value: "": "status" must validate at least one schema (anyOf)',
        'Invalid value: "": "status" must not validate the schema (not)',
      ]);
      const r = await c.request('PATCH', path, {
        body: { status: { state: 'success', completionTime: '2026-01-01T00:05:00Z' } },
        contentType: PatchType.merge,
      });
      expectStatus(r, 200);
      const back = (await c.request('GET', path)).json as { status: { state: string } };
      assert.equal(back.status.state, 'success');
      expectStatus(await c.request('GET', `${path}/status`), 404);
    });
  }

  it('resumes a watch from a bookmark, and answers an expired resourceVersion with an in-stream 410', async () => {
    const list = await c.request('GET', machines());
    const rv0 = (list.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    // The watch cache sends a bookmark about 2 s before the watch's own deadline, so a short timeoutSeconds
    // makes one arrive quickly.
    const w1 = await openWatch(c.admin, `${machines()}?watch=1&allowWatchBookmarks=true&resourceVersion=${rv0}&timeoutSeconds=4`);
    try {
      expectStatus(await c.request('PATCH', machines('m1'), { body: { metadata: { labels: { step: '1' } } }, contentType: PatchType.merge }), 200);
      const { found, seen } = await w1.until((e) => e.type === 'BOOKMARK', 10_000);
      assert.ok(found, `no BOOKMARK; saw ${seen.map((e) => e.type).join(',')}`);
      assert.equal(seen[0]?.type, 'MODIFIED');
      // A bookmark carries only kind, apiVersion and metadata.resourceVersion.
      assert.deepEqual(Object.keys(found.object).sort(), ['apiVersion', 'kind', 'metadata']);
      assert.deepEqual(Object.keys(found.object.metadata as object), ['resourceVersion']);
      const bookmarkRv = (found.object.metadata as { resourceVersion: string }).resourceVersion;
      w1.close();

      expectStatus(await c.request('PATCH', machines('m1'), { body: { metadata: { labels: { step: '2' } } }, contentType: PatchType.merge }), 200);
      const w2 = await openWatch(c.admin, `${machines()}?watch=1&allowWatchBookmarks=true&resourceVersion=${bookmarkRv}&timeoutSeconds=5`);
      try {
        const ev = await w2.next(8_000);
        assert.equal(ev?.type, 'MODIFIED');
        assert.equal((ev?.object.metadata as { labels: Record<string, string> }).labels.step, '2', 'only what happened after the bookmark');
      } finally {
        w2.close();
      }
    } finally {
      w1.close();
    }

    // resourceVersion 1 is older than anything in the watch cache: HTTP 200, then one ERROR event.
    const old = await openWatch(c.admin, `${machines()}?watch=1&resourceVersion=1&timeoutSeconds=5`);
    try {
      assert.equal(old.status, 200);
      const ev = await old.next(8_000);
      observed.push({ label: `${capi}: watch from resourceVersion=1 (watch cache on)`, status: old.status, body: ev });
      assert.equal(ev?.type, 'ERROR');
      const st = ev?.object as unknown as Status;
      assert.equal(st.code, 410);
      assert.equal(st.reason, 'Expired');
      assert.match(st.message, /^too old resource version: 1 \(\d+\)$/);
    } finally {
      old.close();
    }
  });
}

describe('real apiserver: CAPI v1beta1 (v1.10) + CAPO v1alpha7 (v0.9) + Prow', { skip }, () => {
  patchSuite('v1beta1', 'v1alpha7', true);
});

describe('real apiserver: CAPI v1beta2 (v1.12) + CAPO v1beta1 (v0.14)', { skip }, () => {
  patchSuite('v1beta2', 'v1beta1', false);
});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('real apiserver without watch cache: compaction, 410 and relist; clean stop', { skip }, () => {
  let c: RealCluster | undefined;
  after(async () => {
    await c?.stop();
  });

  it('expires a compacted resourceVersion (list continue: HTTP 410; watch: in-stream 410), relists, and stops cleanly', async () => {
    // Without the watch cache every list and watch goes to etcd, so etcd compaction is what expires a
    // resourceVersion, as on a server whose watch cache window has moved on.
    c = await startRealCluster({ capi: 'v1beta2', capo: 'v1beta1', apiserverArgs: ['--watch-cache=false'] });
    const path = capiPath('v1beta2', 'machines', NS);
    for (const n of ['a', 'b']) expectStatus(await c.request('POST', path, { body: machine('v1beta2', n) }), 201);
    const first = await c.request('GET', `${path}?limit=1`);
    const meta = (first.json as { metadata: { resourceVersion: string; continue: string } }).metadata;
    // Two writes after the list, so the compaction revision lies strictly beyond the list's revision + 1.
    // (Watching from exactly one below the compaction revision is not a 410: etcd still serves that revision
    // but has dropped the previous value, and the apiserver answers an in-stream 500 "PrevKv=nil"; OBSERVED.md.)
    for (const x of ['1', '2']) {
      expectStatus(await c.request('PATCH', `${path}/a`, { body: { metadata: { labels: { x } } }, contentType: PatchType.merge }), 200);
    }
    await c.compactEtcd();

    const cont = observe('list continue after compaction (no watch cache)', await c.request('GET', `${path}?limit=1&continue=${meta.continue}`));
    expectStatus(cont, 410);
    assert.equal(status(cont).reason, 'Expired');
    assert.match(status(cont).message, /^The provided continue parameter is too old to display a consistent list result\./);
    assert.ok((cont.json as { metadata: { continue?: string } }).metadata.continue, 'a fresh continue token is offered');

    const exact = observe('list resourceVersionMatch=Exact after compaction (no watch cache)',
      await c.request('GET', `${path}?resourceVersion=${meta.resourceVersion}&resourceVersionMatch=Exact`));
    expectStatus(exact, 410);
    assert.equal(status(exact).message, 'The resourceVersion for the provided list is too old.');

    const w = await openWatch(c.admin, `${path}?watch=1&resourceVersion=${meta.resourceVersion}&timeoutSeconds=5`);
    let ev: WatchEvent | undefined;
    try {
      assert.equal(w.status, 200);
      ev = await w.next(8_000);
    } finally {
      w.close();
    }
    observed.push({ label: 'watch from a compacted resourceVersion (no watch cache)', status: w.status, body: ev });
    assert.equal(ev?.type, 'ERROR');
    assert.deepEqual(ev?.object, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'The resourceVersion for the provided watch is too old.',
      reason: 'Expired',
      code: 410,
    });

    // Relist, then watch from the new list's resourceVersion: the next change arrives.
    const relist = await c.request('GET', path);
    expectStatus(relist, 200);
    const rv = (relist.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const w2 = await openWatch(c.admin, `${path}?watch=1&resourceVersion=${rv}&timeoutSeconds=5`);
    try {
      expectStatus(await c.request('PATCH', `${path}/b`, { body: { metadata: { labels: { x: '2' } } }, contentType: PatchType.merge }), 200);
      const next = await w2.next(8_000);
      assert.equal(next?.type, 'MODIFIED');
      assert.equal((next?.object.metadata as { name: string }).name, 'b');
    } finally {
      w2.close();
    }

    const { pids, ports, dir } = c;
    await c.stop();
    c = undefined;
    assert.equal(alive(pids.etcd), false, 'etcd still running');
    assert.equal(alive(pids.apiserver), false, 'kube-apiserver still running');
    for (const p of Object.values(ports)) assert.equal(await portFree(p), true, `port ${p} still bound`);
    assert.equal(existsSync(dir), false, `${dir} left behind`);
  });
});

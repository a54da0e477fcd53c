// Starts a real etcd + kube-apiserver on loopback with the real CAPI/CAPO/Prow CRDs (issue 7), for the
// conformance suite. Binaries and CRD modules come from test/k8s/build.sh; everything else (certificates, ports,
// data directory) is created per cluster and removed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createTestPki, Identities, type TestPki } from './certs.js';
import { loadCrdSet, type CapiApiVersion, type CapoApiVersion, type CrdObject } from './crds.js';
import { kubeRequest, type KubeCredentials, type KubeRequestOptions, type KubeResponse } from './http.js';
import { etcdBinary, kubeApiserverBinary, readPinnedVersions } from './versions.js';

/** What to install on the test server. */
export interface StartRealClusterOptions {
  /** CAPI API version: v1beta1 installs CAPI v1.10.x CRDs, v1beta2 installs v1.12.x (only that version served). */
  capi: CapiApiVersion;
  /** CAPO API version: v1alpha7 installs CAPO v0.9.x CRDs, v1beta1 installs v0.14.x. */
  capo: CapoApiVersion;
  /** Also install the ProwJob CRD (a large one: about 1.6 MB of JSON). */
  prow?: boolean;
  /** Also install the KubeadmControlPlane CRD of the same CAPI release (served at the same API version). */
  kubeadmControlPlane?: boolean;
  /** Parent directory for this cluster's private directory (default: the OS temp dir). */
  workDir?: string;
  /** Extra kube-apiserver flags, appended last so they override the defaults. */
  apiserverArgs?: string[];
  /** Upper bound for the whole start, CRDs included (default 180 s: two cores may be shared with a build). */
  startTimeoutMs?: number;
  /** Progress lines; defaults to stderr when DECKHAND_K8S_VERBOSE is set, else silent. */
  log?: (line: string) => void;
}

/** The versions a started cluster runs. */
export interface RealClusterVersions {
  kube: string;
  etcd: string;
  /** CAPI release the CRDs came from, e.g. v1.12.10. */
  capi: string;
  /** CAPO release the CRDs came from. */
  capo: string;
  /** Prow pseudo-version, when the ProwJob CRD was installed. */
  prow?: string;
  /** The one CAPI API version served (cluster.x-k8s.io/<this>). */
  capiApiVersion: CapiApiVersion;
  /** The one CAPO API version served (infrastructure.cluster.x-k8s.io/<this>). */
  capoApiVersion: CapoApiVersion;
}

/** A running test server. Always call stop(), also when a test fails (use try/finally or after()). */
export interface RealCluster {
  /** Admin kubeconfig (static token of a system:masters user; CA embedded). */
  kubeconfigPath: string;
  /** Kubeconfig of a second, read-only identity (get/list/watch on everything), to provoke 403s on writes. */
  viewerKubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** CA certificate that signed the serving certificate. */
  caPem: string;
  /** Admin bearer token (user deckhand-admin, group system:masters). */
  token: string;
  /** Admin client certificate and key (same identity as the token), for client-cert code paths. */
  clientCertPem: string;
  clientKeyPem: string;
  /** Viewer bearer token (user deckhand-viewer, group deckhand:viewers, ClusterRole deckhand-viewer: read-only). */
  viewerToken: string;
  /** Ready-made credentials for kubeRequest()/openWatch(). */
  admin: KubeCredentials;
  viewer: KubeCredentials;
  /** http://127.0.0.1:<port> of etcd (plain HTTP, loopback only). */
  etcdEndpoint: string;
  versions: RealClusterVersions;
  /** Names of the installed CRDs. */
  crds: string[];
  /** Process ids (each is also its process group id). */
  pids: { etcd: number; apiserver: number };
  /** Ports in use; stop() frees them. */
  ports: { etcdClient: number; etcdPeer: number; apiserver: number };
  /** This cluster's private directory (certificates, kubeconfigs, logs); removed by stop(). */
  dir: string;
  /** Milliseconds spent per start phase, for the suite's timing report. */
  timings: Record<string, number>;
  /** Request as admin. */
  request(method: string, path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** Compacts etcd up to its current revision and returns that revision (makes old resourceVersions expire). */
  compactEtcd(): Promise<number>;
  /** Last lines of the apiserver log (for failure messages). */
  apiserverLogTail(lines?: number): string;
  /** Kills both processes (whole process groups), waits for them, frees the ports and removes the directories. */
  stop(): Promise<void>;
}

interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  logPath: string;
  exited: Promise<void>;
  exitCode: () => number | null | undefined;
}

/** Clusters not yet stopped, so a crashing test process still takes its servers down (see the exit hook). */
const live = new Set<{ pgids: number[]; dirs: string[] }>();
let hooksInstalled = false;

function killGroupSync(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone: nothing to do.
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const cleanup = (): void => {
    for (const c of live) {
      for (const g of c.pgids) killGroupSync(g, 'SIGKILL');
      for (const d of c.dirs) rmSync(d, { recursive: true, force: true });
    }
    live.clear();
  };
  // 'exit' runs on normal exit and process.exit(); signals are re-raised after cleanup so the default
  // behaviour (and exit status) is kept.
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanup();
      process.kill(process.pid, sig);
    });
  }
}

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startProc(name: string, bin: string, args: string[], logPath: string): Proc {
  const fd = openSync(logPath, 'a');
  // detached: its own process group, so stop() can kill whatever it forks too; output straight to a file so a
  // busy test process never blocks the server on a full pipe.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
  let code: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (c, sig) => {
      code = c ?? (sig ? -1 : null);
      resolve();
    });
    child.once('error', () => {
      code = -1;
      resolve();
    });
  });
  return { name, child, pid: child.pid, logPath, exited, exitCode: () => code };
}

function exitedWithin(p: Proc, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopProc(p: Proc, graceMs = 5_000): Promise<void> {
  if (p.exitCode() !== undefined) return;
  // The child was unref'd so a forgotten cluster cannot hold the test process open; while we wait for its exit
  // it must count again, or Node would see an empty event loop and quit in the middle of stop().
  p.child.ref();
  killGroupSync(p.pid, 'SIGTERM');
  if (!(await exitedWithin(p, graceMs))) {
    killGroupSync(p.pid, 'SIGKILL');
    await exitedWithin(p, 5_000);
  }
  // Children of the leader (none expected) would survive its death; the group kill covers them.
  killGroupSync(p.pid, 'SIGKILL');
}

/** Picks `n` distinct free loopback ports by binding them all at once, then releasing them. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (!a || typeof a === 'string') throw new Error('no port');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Plain-HTTP request to etcd's JSON gateway (loopback, no TLS). */
function etcdPost(endpoint: string, path: string, body: unknown, timeoutMs = 5_000): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const url = new URL(path, endpoint);
    const req = httpRequest(
      { method: body === undefined ? 'GET' : 'POST', hostname: url.hostname, port: url.port, path: url.pathname,
        agent: false, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`etcd ${path}: timeout`)));
    req.on('error', reject);
    if (body !== undefined) req.write(payload);
    req.end();
  });
}

/** Polls until `check` returns a value, the process died, or the deadline passed. */
async function waitFor<T>(
  what: string,
  deadline: number,
  check: () => Promise<T | undefined>,
  procs: Proc[],
): Promise<T> {
  let lastError: unknown;
  for (;;) {
    for (const p of procs) {
      if (p.exitCode() !== undefined) {
        throw new Error(`${p.name} exited (code ${String(p.exitCode())}) while waiting for ${what}:\n${tail(p.logPath)}`);
      }
    }
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const logs = procs.map((p) => `--- ${p.name}\n${tail(p.logPath, 20)}`).join('\n');
      throw new Error(`timed out waiting for ${what} (last error: ${String(lastError)})\n${logs}`);
    }
    await sleep(200);
  }
}

function kubeconfig(server: string, caPem: string, user: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'deckhand-test', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: `${user}@deckhand-test`, context: { cluster: 'deckhand-test', user, namespace: 'default' } }],
    'current-context': `${user}@deckhand-test`,
  });
}

/**
 * A watchdog shell that outlives a killed test process: when the parent pid disappears without stop() having
 * run (SIGKILL, OOM, runner timeout), it kills the recorded process groups and removes the directories.
 */
function startWatchdog(pidFile: string, dirs: string[]): ChildProcess {
  const script = [
    'parent=$1; pidfile=$2; shift 2',
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    // dash's kill takes no '--'; a negative number is a process group.
    'if [ -f "$pidfile" ]; then for g in $(cat "$pidfile"); do kill -KILL "-$g" 2>/dev/null; done; fi',
    'rm -rf "$@"',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, 'watchdog', String(process.pid), pidFile, ...dirs], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child;
}

async function postCrd(admin: KubeCredentials, crd: CrdObject): Promise<void> {
  const res = await kubeRequest(admin, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: crd,
    timeoutMs: 60_000,
  });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating CRD ${crd.metadata.name}: HTTP ${res.status}: ${res.text.slice(0, 2000)}`);
  }
}

/**
 * Starts etcd and kube-apiserver on free loopback ports, installs the chosen CRD set and namespaces, and
 * returns once every CRD is Established and visible in discovery.
 */
export async function startRealCluster(options: StartRealClusterOptions): Promise<RealCluster> {
  const t0 = Date.now();
  const deadline = t0 + (options.startTimeoutMs ?? 180_000);
  const log =
    options.log ?? (process.env.DECKHAND_K8S_VERBOSE ? (l: string) => console.error(`[k8s] ${l}`) : () => {});
  const timings: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string): void => {
    timings[name] = Date.now() - phaseStart;
    log(`${name}: ${timings[name]} ms`);
    phaseStart = Date.now();
  };

  const pins = readPinnedVersions();
  const etcdBin = etcdBinary(pins.etcd);
  const apiBin = kubeApiserverBinary(pins.kube);
  for (const b of [etcdBin, apiBin]) {
    if (!existsSync(b)) throw new Error(`${b} is missing: run test/k8s/build.sh first`);
  }
  // Read the CRDs before starting anything: a missing module is a setup error, not a server problem.
  const crdSet = loadCrdSet(pins, options.capi, options.capo, options.prow ?? false, options.kubeadmControlPlane ?? false);

  installExitHooks();
  const parent = options.workDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'deckhand-k8s-'));
  // etcd on tmpfs when there is one: fsync-free and fast; it is thrown away anyway.
  const shm = existsSync('/dev/shm') ? '/dev/shm' : dir;
  const dataDir = mkdtempSync(join(shm, 'deckhand-etcd-'));
  const record = { pgids: [] as number[], dirs: [dir, dataDir] };
  live.add(record);
  const pidFile = join(dir, 'pids');
  const watchdog = startWatchdog(pidFile, [dir, dataDir]);
  const procs: Proc[] = [];
  const notePid = (p: Proc): void => {
    procs.push(p);
    record.pgids.push(p.pid);
    writeFileSync(pidFile, record.pgids.join(' '));
  };

  // Memoised: a test's after() hook and a failure path may both call stop(); both wait for the same teardown.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= teardown());
  const teardown = async (): Promise<void> => {
    // apiserver first so it does not spend its shutdown retrying a vanished etcd.
    for (const p of [...procs].reverse()) await stopProc(p);
    try {
      // Its whole group, so its 'sleep 1' goes too.
      if (watchdog.pid !== undefined) process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      // Watchdog already gone.
    }
    if (!process.env.DECKHAND_K8S_KEEP) rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    live.delete(record);
  };

  try {
    const pki: TestPki = await createTestPki(dir);
    phase('certificates');

    // etcd: retry with fresh ports if another process grabbed one between freePorts() and bind.
    let etcd: Proc | undefined;
    let etcdClient = 0;
    let etcdPeer = 0;
    for (let attempt = 1; !etcd; attempt++) {
      [etcdClient = 0, etcdPeer = 0] = await freePorts(2);
      const p = startProc('etcd', etcdBin, [
        '--name=deckhand',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=deckhand=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync',
        // Lets the apiserver's watch cache learn etcd's progress quickly (bookmarks, consistent reads).
        '--watch-progress-notify-interval=5s',
        // The ProwJob CRD is ~1.6 MB of JSON; with etcd's default 1.5 MiB limit its creation fails with
        // HTTP 500 "etcdserver: request is too large" (seen). A real cluster's etcd needs the same headroom.
        '--max-request-bytes=8388608',
        '--log-level=warn',
      ], join(dir, 'etcd.log'));
      notePid(p);
      try {
        await waitFor('etcd /health', Math.min(deadline, Date.now() + 30_000), async () => {
          const r = await etcdPost(`http://127.0.0.1:${etcdClient}`, '/health', undefined, 2_000);
          return r.status === 200 ? true : undefined;
        }, [p]);
        etcd = p;
      } catch (err) {
        await stopProc(p);
        if (attempt >= 3 || !/address already in use/.test(tail(p.logPath))) throw err;
        log(`etcd port clash, retrying (${attempt})`);
      }
    }
    const etcdEndpoint = `http://127.0.0.1:${etcdClient}`;
    phase('etcd');

    let api: Proc | undefined;
    let apiPort = 0;
    for (let attempt = 1; !api; attempt++) {
      [apiPort = 0] = await freePorts(1);
      const server = `https://127.0.0.1:${apiPort}`;
      const p = startProc('kube-apiserver', apiBin, [
        `--etcd-servers=${etcdEndpoint}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki.servingCertPath}`,
        `--tls-private-key-file=${pki.servingKeyPath}`,
        `--client-ca-file=${pki.caCertPath}`,
        `--token-auth-file=${pki.tokenFilePath}`,
        // RBAC like a real cluster: system:masters is superuser, the viewer may only read.
        '--authorization-mode=RBAC',
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${pki.saPublicKeyPath}`,
        `--service-account-signing-key-file=${pki.saPrivateKeyPath}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // No controller creates default service accounts, and no node-lifecycle controller removes the
        // not-ready taint that TaintNodesByCondition puts on every new Node.
        '--disable-admission-plugins=ServiceAccount,TaintNodesByCondition',
        '--allow-privileged=true',
        // Do not keep writing 127.0.0.1 into the 'kubernetes' Endpoints.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
        '--v=1',
        ...(options.apiserverArgs ?? []),
      ], join(dir, 'kube-apiserver.log'));
      notePid(p);
      const admin0: KubeCredentials = { server, caPem: pki.caPem, token: pki.adminToken };
      try {
        await waitFor('kube-apiserver /readyz', deadline, async () => {
          const r = await kubeRequest(admin0, 'GET', '/readyz', { timeoutMs: 5_000 });
          return r.status === 200 ? true : undefined;
        }, [etcd, p]);
        api = p;
      } catch (err) {
        await stopProc(p);
        if (attempt >= 3 || !/address already in use/.test(tail(p.logPath))) throw err;
        log(`apiserver port clash, retrying (${attempt})`);
      }
    }
    const server = `https://127.0.0.1:${apiPort}`;
    const admin: KubeCredentials = { server, caPem: pki.caPem, token: pki.adminToken };
    const viewer: KubeCredentials = { server, caPem: pki.caPem, token: pki.viewerToken };
    phase('kube-apiserver');

    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig(server, pki.caPem, Identities.admin.user, pki.adminToken), { mode: 0o600 });
    const viewerKubeconfigPath = join(dir, 'viewer.kubeconfig');
    writeFileSync(viewerKubeconfigPath, kubeconfig(server, pki.caPem, Identities.viewer.user, pki.viewerToken), {
      mode: 0o600,
    });

    const must = async (what: string, p: Promise<KubeResponse>, ok: number[]): Promise<void> => {
      const r = await p;
      if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    };
    // kube-system is created by the apiserver itself (409 then); default too.
    for (const ns of ['prow', 'test-pods', 'kube-system']) {
      await must(`namespace ${ns}`, kubeRequest(admin, 'POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      }), [201, 409]);
    }
    // The bootstrap 'view' role is an aggregated role whose rules are filled in by kube-controller-manager,
    // which does not run here (it stays empty), so the viewer gets a plain read-everything role of its own.
    await must('viewer role', kubeRequest(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'deckhand-viewer' },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
      },
    }), [201, 409]);
    await must('viewer binding', kubeRequest(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'deckhand-viewers' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deckhand-viewer' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: Identities.viewer.group }],
      },
    }), [201, 409]);
    phase('namespaces+rbac');

    // Two at a time: creating a CRD compiles its schema and CEL rules, which is CPU-bound on two cores.
    const queue = [...crdSet.crds];
    await Promise.all([0, 1].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await postCrd(admin, c);
    }));
    phase('crds-created');

    for (const crd of crdSet.crds) {
      await waitFor(`CRD ${crd.metadata.name} Established`, deadline, async () => {
        const r = await kubeRequest(admin, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
        const conds = ((r.json as { status?: { conditions?: Array<{ type: string; status: string }> } })?.status
          ?.conditions ?? []);
        return conds.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      }, [etcd, api]);
      // Established is set before the discovery document is refreshed; clients resolve kinds through discovery.
      const served = crd.spec.versions.find((v) => v.served);
      if (!served) continue;
      await waitFor(`discovery of ${crd.spec.group}/${served.name} ${crd.spec.names.plural}`, deadline, async () => {
        const r = await kubeRequest(admin, 'GET', `/apis/${crd.spec.group}/${served.name}`);
        const list = (r.json as { resources?: Array<{ name: string }> } | undefined)?.resources ?? [];
        return list.some((x) => x.name === crd.spec.names.plural) ? true : undefined;
      }, [etcd, api]);
    }
    phase('crds-established');
    timings.total = Date.now() - t0;

    const apiProc = api;
    return {
      kubeconfigPath,
      viewerKubeconfigPath,
      server,
      caPem: pki.caPem,
      token: pki.adminToken,
      clientCertPem: pki.adminCertPem,
      clientKeyPem: pki.adminKeyPem,
      viewerToken: pki.viewerToken,
      admin,
      viewer,
      etcdEndpoint,
      versions: {
        kube: pins.kube,
        etcd: pins.etcd,
        capi: crdSet.sources.capi,
        capo: crdSet.sources.capo,
        ...(crdSet.sources.prow ? { prow: crdSet.sources.prow } : {}),
        capiApiVersion: options.capi,
        capoApiVersion: options.capo,
      },
      crds: crdSet.crds.map((c) => c.metadata.name),
      pids: { etcd: etcd.pid, apiserver: api.pid },
      ports: { etcdClient, etcdPeer, apiserver: apiPort },
      dir,
      timings,
      request: (method, path, opts) => kubeRequest(admin, method, path, opts),
      async compactEtcd() {
        // Any key works for reading the store's current revision from the response header.
        const r = await etcdPost(etcdEndpoint, '/v3/kv/range', { key: Buffer.from('/').toString('base64'), count_only: true });
        const rev = Number((r.json as { header?: { revision?: string } }).header?.revision);
        if (!Number.isFinite(rev)) throw new Error(`etcd range: ${JSON.stringify(r.json)}`);
        const c = await etcdPost(etcdEndpoint, '/v3/kv/compaction', { revision: String(rev), physical: true });
        if (c.status !== 200) throw new Error(`etcd compaction: HTTP ${c.status}: ${JSON.stringify(c.json)}`);
        return rev;
      },
      apiserverLogTail: (lines = 40) => tail(apiProc.logPath, lines),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

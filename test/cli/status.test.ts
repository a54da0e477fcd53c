// `deckhand status` as a user runs it (a child process), against deckhand sim: the JSON agrees with kubectl for the
// same cluster, the text has every section, profiles apply, and a cluster that cannot be read exits 1 in one line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type Sim } from '../../src/sim/index.js';
import type { StatusSnapshot } from '../../src/store/snapshot.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const home = mkdtempSync(join(tmpdir(), 'deckhand-status-home-'));
after(() => rmSync(home, { recursive: true, force: true }));

/** Runs `deckhand status …` from source in a clean HOME; resolves with exit code and output. */
function status(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'status', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Runs a command without blocking the event loop (the sim answers from this very process). */
function run(command: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

type Listed = { items: { metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> }[] };
const kubectlJson = async (kubeconfig: string, ...args: string[]): Promise<Listed> => {
  const r = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', ...args, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Listed;
};

/** What kubectl says, reduced to what the status JSON must agree on. */
async function kubectlView(kubeconfig: string, upToDateField: string): Promise<string> {
  const nodes = (await kubectlJson(kubeconfig, 'nodes')).items.map((n) => {
    const ready = (n.status?.conditions as { type: string; status: string }[]).find((c) => c.type === 'Ready')?.status;
    return [n.metadata.name, ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown'];
  });
  const machines = (await kubectlJson(kubeconfig, 'machines', '-A')).items.map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m.status?.phase]);
  const mds = (await kubectlJson(kubeconfig, 'machinedeployments', '-A')).items.map((d) => [
    `${d.metadata.namespace}/${d.metadata.name}`, d.spec?.replicas, d.status?.replicas, d.status?.readyReplicas, d.status?.availableReplicas, d.status?.[upToDateField],
  ]);
  return JSON.stringify({ nodes: nodes.sort(), machines: machines.sort(), mds: mds.sort() });
}

function statusView(s: StatusSnapshot) {
  return JSON.stringify({
    nodes: s.nodes.map((n) => [n.name, n.status]).sort(),
    machines: s.machines.map((m) => [`${m.namespace}/${m.name}`, m.phase]).sort(),
    mds: s.machineDeployments.map((d) => [`${d.namespace}/${d.name}`, d.desired, d.replicas, d.ready, d.available, d.upToDate]).sort(),
  });
}

for (const [scenario, upToDateField] of [['capi-v1beta2', 'upToDateReplicas'], ['capi-v1beta1', 'updatedReplicas']] as const) {
  describe(`deckhand status against deckhand sim (${scenario})`, { timeout: 180_000 }, () => {
    let sim: Sim;
    let dir: string;
    let kubeconfig: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'deckhand-status-'));
      sim = await startSim({ scenario, outDir: dir, timeScale: 60 });
      kubeconfig = join(dir, 'kubeconfig');
    });
    after(async () => {
      await sim?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('--json agrees with kubectl: node count and readiness, machine phases, MachineDeployment replicas', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
      let last = '';
      // The cluster is live; compare until two reads taken back to back agree (settled within seconds).
      for (let attempt = 0; attempt < 20; attempt++) {
        const before = await kubectlView(kubeconfig, upToDateField);
        const result = await status(['--kubeconfig', kubeconfig, '--json']);
        assert.equal(result.code, 0, result.err);
        const snapshot = JSON.parse(result.out) as StatusSnapshot;
        for (const key of ['nodes', 'machines', 'machineDeployments', 'controlPlanes', 'prowJobs', 'jobUsage', 'components']) assert.ok(key in snapshot, key);
        const mine = statusView(snapshot);
        const after = await kubectlView(kubeconfig, upToDateField);
        if (mine === before && mine === after && snapshot.nodes.length === 3 && snapshot.nodes.every((n) => n.status === 'Ready')) return;
        last = `deckhand: ${mine}\nkubectl:  ${after}`;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.fail(`deckhand status and kubectl never agreed:\n${last}`);
    });

    test('the text snapshot has every section and exits 0', async () => {
      const run = await status(['--kubeconfig', kubeconfig]);
      assert.equal(run.code, 0, run.err);
      for (const heading of ['NODES', 'MACHINES', 'ROLLOUTS', 'PROW JOBS:', 'TOP JOBS BY USAGE', 'COMPONENTS']) assert.match(run.out, new RegExp(`^${heading}`, 'm'));
      assert.match(run.out, /^context sim at https:\/\/127\.0\.0\.1:\d+ \(direct\)/);
      assert.match(run.out, /MachineDeployment\s+default\/prow-md-0\s+2\s+/);
    });
  });
}

describe('deckhand status: profiles, partial reads and failures', { timeout: 120_000 }, () => {
  let sim: Sim;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deckhand-status-'));
    sim = await startSim({ scenario: 'capi-v1beta2', outDir: dir, controllers: false, overrides: { metrics: false }, deny: [{ resource: 'prowjobs', group: 'prow.k8s.io', verbs: ['list', 'watch'] }] });
    kubeconfig = join(dir, 'kubeconfig');
  });
  after(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a refused kind and a missing metrics API are reported, the rest is printed, exit 0', async () => {
    const run = await status(['--kubeconfig', kubeconfig, '--json', '--timeout', '10']);
    assert.equal(run.code, 0, run.err);
    const s = JSON.parse(run.out) as StatusSnapshot;
    assert.ok(s.nodes.length >= 3 && s.machines.length >= 3);
    assert.deepEqual(s.apis.metrics?.installed, false);
    assert.ok(s.nodes.every((n) => n.cpu.usage === undefined));
    assert.equal(s.problems.length, 1, s.problems.join('\n'));
    assert.match(s.problems[0]!, /^prowJobs: 403 Forbidden: not allowed to list prowjobs\.prow\.k8s\.io \(all namespaces\)/);
    assert.match(run.err, /^deckhand status: warning: prowJobs: 403 Forbidden/m);
  });

  test('--profile picks the context and, with a bastion, the tunnel address', async () => {
    const config = join(home, '.config', 'deckhand');
    mkdirSync(config, { recursive: true });
    const port = await closedPort();
    writeFileSync(join(config, 'config.yaml'), [
      'profiles:',
      '  lab:',
      '    kubeContext: sim',
      '    prowNamespace: prow',
      '  prod:',
      '    kubeContext: sim-via-bastion',
      '    bastion: { host: 127.0.5.10, user: ubuntu }',
      `    socksListen: 127.0.0.1:${port}`,
      '',
    ].join('\n'));
    try {
      const lab = await status(['--kubeconfig', kubeconfig, '--profile', 'lab', '--json', '--timeout', '10']);
      assert.equal(lab.code, 0, lab.err);
      assert.equal((JSON.parse(lab.out) as StatusSnapshot).context, 'sim');
      const prod = await status(['--kubeconfig', kubeconfig, '--profile', 'prod']);
      assert.equal(prod.code, 1);
      assert.equal(prod.out, '');
      assert.match(prod.err, new RegExp(`^deckhand status: API server https://127\\.0\\.0\\.20:\\d+ unreachable through the tunnel socks5h://127\\.0\\.0\\.1:${port}: .*\\(is \`deckhand tunnel\` running\\?\\)\\n$`));
      const unknown = await status(['--kubeconfig', kubeconfig, '--profile', 'staging']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /^deckhand status: no profile 'staging' in .*config\.yaml \(known: lab, prod\)\n$/);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  test('a cluster that cannot be read exits 1 with one line', async () => {
    const port = await closedPort();
    const closed = join(dir, 'closed');
    writeFileSync(closed, sim.kubeconfig.replaceAll(sim.info.api, `https://127.0.0.1:${port}`));
    const cases: [string[], RegExp][] = [
      [['--kubeconfig', closed], new RegExp(`^deckhand status: API server https://127\\.0\\.0\\.1:${port} unreachable directly \\(no tunnel\\): .*ECONNREFUSED.*\\n$`)],
      [['--kubeconfig', join(dir, 'nope')], /^deckhand status: kubeconfig .*nope: file not found \(from --kubeconfig\)\n$/],
      [['--kubeconfig', kubeconfig, '--context', 'staging'], /^deckhand status: context "staging" not found in .*kubeconfig \(known contexts: sim, sim-via-bastion\)\n$/],
    ];
    for (const [args, pattern] of cases) {
      const run = await status(args);
      assert.equal(run.code, 1, args.join(' '));
      assert.equal(run.out, '');
      assert.match(run.err, pattern);
    }
    const usage = await status(['--kubeconfig', kubeconfig, '--timeout', 'soon']);
    assert.equal(usage.code, 2);
  });
});

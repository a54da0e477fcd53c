// Unmodified kubectl (1.32, installed on the machines) against `deckhand sim`: get with short names and output
// formats, describe, top, scale, patch (merge / json / strategic → 415), delete with a replacement, and -w.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type Sim } from '../../src/sim/index.js';
import type { ScenarioName } from '../../src/sim/scenario.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const scenario of ['capi-v1beta2', 'capi-v1beta1'] as ScenarioName[]) {
  describe(`kubectl against deckhand sim (${scenario})`, { skip: !hasKubectl && 'kubectl is not installed' }, () => {
    let sim: Sim;
    let dir: string;
    // kubectl runs asynchronously: the simulated cluster lives in this process and must keep answering.
    const kubectl = (...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), ...args], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
        });
      });
    const ok = async (...args: string[]) => {
      const r = await kubectl(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.err}`);
      return r.out;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'deckhand-kubectl-'));
      sim = await startSim({ scenario, outDir: dir, timeScale: 60 });
      await eventually('workers Ready', async () => (await ok('get', 'nodes', '--no-headers')).split('\n').filter((l) => / Ready /.test(l)).length >= 3);
    });
    after(async () => {
      await sim?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('get with short names and output formats', async () => {
      const nodes = await ok('get', 'nodes');
      assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
      assert.match(nodes, /prow-control-plane-\w+\s+Ready\s+control-plane/);
      assert.match(nodes, /prow-md-0-\w+\s+Ready/);
      assert.match(await ok('get', 'ma', '-A'), /prow-md-0-/);
      assert.match(await ok('get', 'md', 'prow-md-0'), /prow-md-0/);
      assert.match(await ok('get', 'kcp'), /prow-control-plane/);
      assert.match(await ok('get', 'openstackclusters'), /prow/);
      assert.match(await ok('get', 'prowjobs', '-n', 'prow'), /(presubmit|postsubmit|periodic)/);
      const json = JSON.parse(await ok('get', 'machinedeployments', 'prow-md-0', '-o', 'json'));
      assert.equal(json.kind, 'MachineDeployment');
      assert.match(await ok('get', 'nodes', '-o', 'yaml'), /kind: List/);
      assert.match(await ok('get', 'nodes', '-o', 'wide'), /INTERNAL-IP/);
      assert.match(await ok('get', 'pods', '-n', 'prow', '--show-labels'), /app=/);
    });

    test('describe node shows conditions, pods and events', async () => {
      const name = await ok('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}');
      const out = await ok('describe', 'node', name);
      assert.match(out, /Conditions:/);
      assert.match(out, /Non-terminated Pods:/);
    });

    test('top nodes and top pods', async () => {
      const nodes = await eventually('node metrics', async () => {
        const r = await kubectl('top', 'nodes');
        return r.code === 0 && r.out;
      });
      assert.match(nodes, /NAME\s+CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)\s+MEMORY(%|\(%\))/);
      assert.match(nodes, /prow-md-0-\w+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
      const pods = await eventually('running test pods', async () => {
        const r = await kubectl('top', 'pods', '-n', 'test-pods');
        return r.code === 0 && /\d+m\s+\d+Mi/.test(r.out) && r.out;
      }, 60_000);
      assert.match(pods, /NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    });

    test('patch a Machine: merge and json work, strategic is refused with 415', async () => {
      const machine = await ok('get', 'ma', '-o', 'jsonpath={.items[0].metadata.name}');
      await ok('patch', 'machine', machine, '--type=merge', '-p', '{"metadata":{"annotations":{"deckhand.dev/test":"merge"}}}');
      assert.equal(await ok('get', 'machine', machine, '-o', 'jsonpath={.metadata.annotations.deckhand\\.dev/test}'), 'merge');
      await ok('patch', 'machine', machine, '--type=json', '-p', '[{"op":"replace","path":"/metadata/annotations/deckhand.dev~1test","value":"json"}]');
      assert.equal(await ok('get', 'machine', machine, '-o', 'jsonpath={.metadata.annotations.deckhand\\.dev/test}'), 'json');
      const smp = await kubectl('patch', 'machine', machine, '--type=strategic', '-p', '{"metadata":{"annotations":{"x":"y"}}}');
      assert.notEqual(smp.code, 0);
      assert.match(smp.err, /UnsupportedMediaType|415|unknown format|not supported/i);
    });

    test('scale md prow-md-0 --replicas=3: machines and nodes appear', async () => {
      await ok('scale', 'md', 'prow-md-0', '--replicas=3');
      assert.equal(await ok('get', 'md', 'prow-md-0', '-o', 'jsonpath={.spec.replicas}'), '3');
      await eventually('3 Running worker machines', async () => {
        const phases = (await ok('get', 'ma', '-l', 'cluster.x-k8s.io/deployment-name=prow-md-0', '-o', 'jsonpath={.items[*].status.phase}')).split(' ');
        return phases.filter((p) => p === 'Running').length === 3;
      }, 60_000);
      await eventually('3 Ready worker nodes', async () => (await ok('get', 'nodes', '--no-headers')).split('\n').filter((l) => /^prow-md-0-\S+\s+Ready/.test(l)).length === 3, 60_000);
    });

    test('delete machine: the MachineSet creates a replacement', async () => {
      const names = (await ok('get', 'ma', '-l', 'cluster.x-k8s.io/deployment-name=prow-md-0', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);
      const victim = names[0]!;
      await ok('delete', 'machine', victim, '--wait=false');
      await eventually('the deleted machine gone and a replacement Running', async () => {
        const now = (await ok('get', 'ma', '-l', 'cluster.x-k8s.io/deployment-name=prow-md-0', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}')).trim().split('\n');
        const map = new Map(now.map((l) => l.split('=') as [string, string]));
        const fresh = [...map.keys()].filter((n) => !names.includes(n));
        return !map.has(victim) && fresh.some((n) => map.get(n) === 'Running');
      }, 90_000);
    });

    test('get -w streams changes', async () => {
      const child = spawn('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), 'get', 'md', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await eventually('initial ADDED', async () => /ADDED\s+prow-md-0/.test(out), 15_000);
        await ok('annotate', 'md', 'prow-md-0', `deckhand.dev/touched=${Date.now()}`);
        await eventually('a MODIFIED event', async () => /MODIFIED\s+prow-md-0/.test(out), 15_000);
      } finally {
        child.kill();
      }
    });
  });
}

// deckhand's tunnel to the simulated cluster's bastion, used by real kubectl like the wiki's `ssh -N -D` setup:
// the load balancer refuses the operator directly, admits it through the tunnel, and `kubectl get -w` keeps
// streaming for the length of the test; real curl gets through too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSim } from '../../src/sim/index.js';
import { makeTunnel, tempDir, withTimeout } from './harness.js';

const run = promisify(execFile);

test('kubectl get -w through deckhand tunnel to deckhand sim keeps streaming', async () => {
  const { dir, cleanup } = tempDir('sim-kubectl');
  const sim = await startSim({ scenario: 'capi-v1beta2', outDir: join(dir, 'sim'), timeScale: 30 });
  const tunnel = makeTunnel(dir, {
    bastion: () => ({ user: sim.info.bastion.user, host: sim.info.bastion.host, port: sim.info.bastion.port }),
    identityFiles: [sim.info.identityFile!],
  });
  writeFileSync(join(dir, 'known_hosts'), readFileSync(sim.info.knownHosts!));
  let watcher: ReturnType<typeof spawn> | undefined;
  try {
    tunnel.start();
    const listen = await withTimeout(tunnel.ready(), 15_000, 'tunnel ready');
    // The kubeconfig sim-via-bastion context plus the proxy-url line an operator adds (kubectl resolves socks5
    // names remotely, like socks5h).
    const original = readFileSync(sim.info.kubeconfig!, 'utf8');
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, original
      .replace(/current-context: sim\n/, 'current-context: sim-via-bastion\n')
      .replace(new RegExp(`(server: ${sim.info.loadBalancer.replace(/[.]/g, '\\.')})\n`), `$1\n      proxy-url: socks5://127.0.0.1:${listen.port}\n`));
    assert.match(readFileSync(kubeconfig, 'utf8'), /proxy-url: socks5:\/\/127\.0\.0\.1:\d+/);
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 });

    // Directly, the load balancer refuses the operator's address.
    const direct = await run('kubectl', ['--kubeconfig', sim.info.kubeconfig!, '--context', 'sim-via-bastion', '--request-timeout=3s', 'get', 'nodes'], { timeout: 20_000 })
      .then(() => 'answered', () => 'refused');
    assert.equal(direct, 'refused');

    // Through the tunnel it answers, and curl gets the version page the same way.
    assert.match((await kubectl('get', 'nodes')).stdout, /prow-md-0-\w+/);
    const version = await run('curl', ['-sS', '-k', '--max-time', '5', '--socks5-hostname', `127.0.0.1:${listen.port}`, `${sim.info.loadBalancer}/version`, '-H', `Authorization: Bearer ${sim.token}`]);
    assert.match(version.stdout, /"gitVersion"/);

    watcher = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'md', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => watcher!.on('exit', resolve));
    const seen = async (pattern: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(out)) {
        assert.ok(Date.now() < deadline, `kubectl -w did not print ${pattern}; it printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await seen(/ADDED\s+prow-md-0/, 15_000);
    // Changes made over ~10 s keep arriving on the same watch (one connection through the tunnel).
    for (let i = 1; i <= 5; i++) {
      const count = (out.match(/MODIFIED\s+prow-md-0/g) ?? []).length;
      await run('kubectl', ['--kubeconfig', sim.info.kubeconfig!, 'annotate', '--overwrite', 'md', 'prow-md-0', `deckhand.dev/tick=${i}`], { timeout: 20_000 });
      await seen(new RegExp(`(MODIFIED\\s+prow-md-0[^\\n]*\\n[\\s\\S]*){${count + 1}}`), 10_000);
      await new Promise((r) => setTimeout(r, 2000));
    }
    assert.equal(watcher.exitCode, null, 'kubectl -w is still running');
    assert.ok(tunnel.getState().totalChannels >= 3, 'each kubectl connection is one SSH channel');
    watcher.kill();
    await exited;
  } finally {
    watcher?.kill();
    await tunnel.stop();
    await sim.stop();
    cleanup();
  }
});

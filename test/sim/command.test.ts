// `deckhand sim` as a process: writes kubeconfig, key, known_hosts and (last) sim.json, enforces the load
// balancer's allowlist on direct connections, answers echo-IP, and exits 0 on SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from '../helpers/http.js';

const entry = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

/** Connects from a chosen loopback source address; resolves 'open' when the LB admits us and 'reset' when not. */
function probe(host: string, port: number, localAddress: string): Promise<'open' | 'reset'> {
  return new Promise((resolve) => {
    const s = connect({ host, port, localAddress });
    let timer: NodeJS.Timeout | undefined;
    s.on('connect', () => {
      // A refused source is reset right after the handshake; an admitted one stays open.
      timer = setTimeout(() => {
        s.destroy();
        resolve('open');
      }, 300);
    });
    s.on('error', () => {
      if (timer) clearTimeout(timer);
      resolve('reset');
    });
    s.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve('reset');
    });
  });
}

test('deckhand sim --out DIR: files, allowlist, echo-IP, clean exit on SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-sim-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'sim', '--scenario', 'capi-v1beta1', '--out', dir, '--time-scale', '30', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, 'sim.json'))) {
      assert.ok(Date.now() < deadline, `sim.json did not appear; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const info = JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8'));
    for (const f of ['kubeconfig', 'bastion_key', 'known_hosts']) assert.ok(existsSync(join(dir, f)), `${f} written before sim.json`);
    assert.equal(statSync(join(dir, 'bastion_key')).mode & 0o777, 0o600);
    assert.match(info.api, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(info.loadBalancer, /^https:\/\/127\.0\.0\.20:\d+$/);
    assert.equal(info.bastion.user, 'ubuntu');
    assert.match(info.bastion.fingerprint, /^SHA256:/);
    assert.match(readFileSync(join(dir, 'known_hosts'), 'utf8'), new RegExp(`^\\[${info.bastion.host.replace(/\./g, '\\.')}\\]:${info.bastion.port} ssh-ed25519 `));
    // sim.json is written before the summary is printed: give the process a moment to print it.
    for (let i = 0; i < 50 && !/API server\s+https:\/\/127\.0\.0\.1/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(stdout, /API server\s+https:\/\/127\.0\.0\.1/);
    const kubeconfig = readFileSync(join(dir, 'kubeconfig'), 'utf8');
    assert.match(kubeconfig, /name: sim-via-bastion/);
    assert.doesNotMatch(kubeconfig, /proxy-url/);

    // The load balancer admits the cluster network (the bastion's side) and refuses the operator's address.
    const lb = new URL(info.loadBalancer);
    assert.equal(await probe(lb.hostname, Number(lb.port), info.operatorAddress), 'reset');
    assert.equal(await probe(lb.hostname, Number(lb.port), '127.0.6.200'), 'open');

    // The direct context answers; echo-IP tells the operator its address.
    const token = /token: (\S+)/.exec(kubeconfig)![1]!;
    const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!, 'base64').toString();
    const version = await call({ url: info.api, caPem: ca, token }, 'GET', '/version');
    assert.equal(version.status, 200);
    const echo = await fetch(info.echoIpUrl);
    assert.equal((await echo.text()).trim(), '127.0.0.1');
  } finally {
    child.kill('SIGINT');
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${stderr}`);
  }
});

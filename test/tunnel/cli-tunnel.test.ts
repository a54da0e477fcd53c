// `deckhand tunnel` as a process: the listening line, curl and kubectl through it, exit 0 on SIGINT/SIGTERM, the
// one-line failures (unknown host, changed key, wrong key, busy port, non-loopback listen, bad config) that never
// listen, profiles, BASTION_FLOATING_IP and the remembered bastion.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, suite, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateUserKey, startBastion, type Bastion } from '../../src/sim/bastion.js';
import { curl, fakeApiServer, freePort, httpServer, isListening, kubectl, tempDir, withTimeout } from './harness.js';

const entry = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const { dir, cleanup } = tempDir('cli');
const userKey = generateUserKey();
const keyFile = join(dir, 'id_ed25519');
writeFileSync(keyFile, userKey.privateKey, { mode: 0o600 });
const http = await httpServer();
const api = await fakeApiServer(dir, 'kube.internal');
const bastions: Bastion[] = [];
const children = new Set<ChildProcess>();
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([...bastions.map((b) => b.close()), http.close(), api.close()]);
  cleanup();
});

async function bastion(host: string): Promise<Bastion> {
  const b = await startBastion({
    host, port: 0, user: 'ubuntu', authorizedKeys: [userKey.publicKey],
    route: (h) => (h === 'kube.internal' ? { host: '127.0.0.1', port: api.port } : h === 'web.internal' ? { host: '127.0.0.1', port: http.port } : null),
  });
  bastions.push(b);
  return b;
}

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  line(pattern: RegExp, ms?: number, stream?: 'stdout' | 'stderr'): Promise<string>;
  exit(ms?: number): Promise<number | null>;
}

/** Starts `deckhand tunnel …` from the TypeScript sources, in a private HOME/XDG environment without an agent. */
function deckhand(args: string[], home: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'tunnel', ...args], {
    env: {
      PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<() => void> = [];
  const collect = (stream: NodeJS.ReadableStream, into: string[]) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      into.push(...lines);
      waiters.forEach((w) => w());
    });
  };
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exited = once(child, 'exit').then(([code]) => {
    children.delete(child);
    return code as number | null;
  });
  return {
    child, stdout, stderr,
    line: (pattern, ms = 15000, stream = 'stdout') => withTimeout(new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = (stream === 'stdout' ? stdout : stderr).find((l) => pattern.test(l));
        if (found) resolve(found);
      };
      waiters.push(check);
      check();
      void exited.then(() => reject(new Error(`exited before printing ${pattern}; stderr: ${stderr.join('\n')}`)));
    }), ms, `output ${pattern}`),
    exit: (ms = 15000) => withTimeout(exited, ms, 'exit'),
  };
}

/** The pids whose parent is `pid` (Linux /proc; field 4 of stat, after the parenthesised command name). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

function home(label: string): string {
  const h = join(dir, label);
  mkdirSync(join(h, 'state', 'deckhand'), { recursive: true });
  return h;
}

function knownHosts(file: string, b: Bastion, publicKey = b.hostKeyPublic): string {
  writeFileSync(file, `[${b.host}]:${b.port} ${publicKey}\n`);
  return file;
}

const listeningLine = /^deckhand tunnel: SOCKS5 proxy on 127\.0\.0\.1:(\d+) via .*proxy-url: socks5h:\/\/127\.0\.0\.1:\1/;

suite('deckhand tunnel', { concurrency: true }, () => {
  test('flags only: prints the address, carries curl and kubectl, exits 0 on SIGINT and stops listening', async () => {
    const b = await bastion('127.0.7.10');
    const h = home('flags');
    const kh = knownHosts(join(h, 'kh'), b);
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '--identity', keyFile, '--known-hosts', kh, '--listen', '127.0.0.1:0'], h);
    const port = Number(listeningLine.exec(await run.line(listeningLine))![1]);
    assert.equal(await curl(port, 'http://web.internal/cli'), 'hello /cli\n');
    const version = await kubectl(h, port, 'https://kube.internal:6443', api.caFile, ['version', '-o', 'json']);
    assert.match(version, /v1\.32\.0-deckhand-test/);
    b.dropClients();
    await run.line(/^deckhand tunnel: reconnected to ubuntu@127\.0\.7\.10:\d+$/, 5000, 'stderr');
    assert.deepEqual(run.stderr.slice(0, 2).map((l) => l.replace(/[\d.]+ s$/, 'N s')),
      ['deckhand tunnel: connection lost: connection to ubuntu@127.0.7.10:' + b.port + ' closed by the bastion', 'deckhand tunnel: reconnecting in N s']);
    assert.equal(await curl(port, 'http://web.internal/again'), 'hello /again\n');
    run.child.kill('SIGINT');
    assert.equal(await run.exit(), 0);
    assert.equal(await isListening(port), false);
    assert.deepEqual(run.stdout.filter(Boolean).length, 1, 'exactly one line on stdout');
  });

  test('runs in a child Node with the tunnel\'s heap flag (relaunch.ts); a parent killed with SIGKILL takes the tunnel down with it', async () => {
    const b = await bastion('127.0.7.18');
    const h = home('relaunch');
    const kh = knownHosts(join(h, 'kh'), b);
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '--identity', keyFile, '--known-hosts', kh, '--listen', '127.0.0.1:0'], h);
    const port = Number(listeningLine.exec(await run.line(listeningLine))![1]);
    // Among its children (tsx may run an esbuild service too), exactly one Node started with the flag.
    const argv = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } };
    const children = childrenOf(run.child.pid!);
    const workers = children.filter((pid) => argv(pid)[0] === process.execPath && argv(pid).includes('--initial-old-space-size=64'));
    assert.equal(workers.length, 1, `children: ${children.map((pid) => argv(pid).join(' ')).join(' | ')}`);
    const worker = workers[0]!;
    assert.equal(await curl(port, 'http://web.internal/relaunched'), 'hello /relaunched\n');
    run.child.kill('SIGKILL'); // no chance to forward anything: the child notices its IPC channel closing
    await run.exit();
    const deadline = Date.now() + 10_000;
    while ((await isListening(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await isListening(port), false, 'the orphaned tunnel stopped listening');
    while (existsSync(`/proc/${worker}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(`/proc/${worker}`), false, 'and exited');
  });

  test('profile + BASTION_FLOATING_IP, SIGTERM exits 0; the next run finds the remembered bastion', async () => {
    const b = await bastion('127.0.7.11');
    const h = home('profile');
    const listen = await freePort();
    mkdirSync(join(h, 'config', 'deckhand'), { recursive: true });
    writeFileSync(join(h, 'config', 'deckhand', 'config.yaml'), [
      'defaultProfile: prow', 'profiles:', '  prow:', '    production: true', '    bastion:', '      user: ubuntu',
      `      identity: ${keyFile}`, `    socksListen: 127.0.0.1:${listen}`, '',
    ].join('\n'));
    knownHosts(join(h, 'state', 'deckhand', 'known_hosts'), b);
    const first = deckhand([], h, { BASTION_FLOATING_IP: `${b.host}:${b.port}` });
    assert.match(await first.line(listeningLine), new RegExp(`127\\.0\\.0\\.1:${listen} via ubuntu@127\\.0\\.7\\.11:${b.port}`));
    first.child.kill('SIGTERM');
    assert.equal(await first.exit(), 0);
    const remembered = JSON.parse(readFileSync(join(h, 'state', 'deckhand', 'bastions.json'), 'utf8')) as Record<string, { host: string; port: number }>;
    assert.deepEqual([remembered.prow?.host, remembered.prow?.port], [b.host, b.port]);
    const second = deckhand([], h);
    assert.match(await second.line(listeningLine), /via ubuntu@127\.0\.7\.11/);
    second.child.kill('SIGINT');
    assert.equal(await second.exit(), 0);
  });

  test('unknown host without --accept-new: exit 1, one line with the fingerprint, never listened', async () => {
    const b = await bastion('127.0.7.12');
    const h = home('unknown');
    const listen = await freePort();
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '-i', keyFile, '--listen', `127.0.0.1:${listen}`], h);
    assert.equal(await run.exit(), 1);
    assert.deepEqual(run.stdout.filter(Boolean), []);
    assert.equal(run.stderr.filter(Boolean).length, 1, run.stderr.join('\n'));
    assert.ok(run.stderr[0]!.includes(b.fingerprint) && run.stderr[0]!.includes('--accept-new'), run.stderr[0]);
    assert.equal(await isListening(listen), false);
  });

  test('--accept-new: records the key in deckhand\'s own known_hosts and says so', async () => {
    const b = await bastion('127.0.7.13');
    const h = home('accept');
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '-i', keyFile, '--listen', '127.0.0.1:0', '--accept-new'], h);
    await run.line(listeningLine);
    assert.ok(run.stderr.some((l) => l.includes(`permanently added '[${b.host}]:${b.port}'`) && l.includes(b.fingerprint)), run.stderr.join('\n'));
    assert.match(readFileSync(join(h, 'state', 'deckhand', 'known_hosts'), 'utf8'), /^\|1\|\S+ ssh-ed25519 /);
    run.child.kill('SIGINT');
    assert.equal(await run.exit(), 0);
  });

  test('host key mismatch: exit 1 with both fingerprints', async () => {
    const b = await bastion('127.0.7.14');
    const h = home('mismatch');
    const other = await bastion('127.0.7.15');
    const kh = knownHosts(join(h, 'kh'), b, other.hostKeyPublic);
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '-i', keyFile, '--known-hosts', kh, '--listen', '127.0.0.1:0', '--accept-new'], h);
    assert.equal(await run.exit(), 1);
    assert.equal(run.stderr.filter(Boolean).length, 1);
    assert.ok(run.stderr[0]!.includes(b.fingerprint) && run.stderr[0]!.includes(other.fingerprint), run.stderr[0]);
    assert.deepEqual(run.stdout.filter(Boolean), []);
  });

  test('authentication failure: exit 1, one line', async () => {
    const b = await bastion('127.0.7.16');
    const h = home('auth');
    const stranger = join(h, 'stranger');
    writeFileSync(stranger, generateUserKey().privateKey, { mode: 0o600 });
    const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '-i', stranger, '--known-hosts', knownHosts(join(h, 'kh'), b), '--listen', '127.0.0.1:0'], h);
    assert.equal(await run.exit(), 1);
    assert.deepEqual(run.stderr.filter(Boolean).length, 1);
    assert.match(run.stderr[0]!, /^deckhand tunnel: authentication failed for ubuntu@127\.0\.7\.16/);
  });

  test('busy port: exit 1 with a clear reason, nothing printed on stdout', async () => {
    const b = await bastion('127.0.7.17');
    const h = home('busy');
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const port = (squatter.address() as { port: number }).port;
    try {
      const run = deckhand(['--bastion', `ubuntu@${b.host}:${b.port}`, '-i', keyFile, '--known-hosts', knownHosts(join(h, 'kh'), b), '--listen', `127.0.0.1:${port}`], h);
      assert.equal(await run.exit(), 1);
      assert.deepEqual(run.stdout.filter(Boolean), []);
      assert.match(run.stderr.join('\n'), new RegExp(`^deckhand tunnel: 127\\.0\\.0\\.1:${port} is already in use`));
    } finally {
      squatter.close();
    }
  });

  test('non-loopback --listen is refused with an explanation before connecting (usage error, exit 2)', async () => {
    const h = home('public');
    const run = deckhand(['--bastion', 'ubuntu@127.0.7.18:1', '-i', keyFile, '--listen', '0.0.0.0:6443'], h);
    assert.equal(await run.exit(), 2);
    assert.match(run.stderr[0]!, /refusing --listen 0\.0\.0\.0: the SOCKS proxy has no authentication/);
  });

  test('invalid config names the file and line; no bastion at all says where to put one', async () => {
    const h = home('badconfig');
    mkdirSync(join(h, 'config', 'deckhand'), { recursive: true });
    const file = join(h, 'config', 'deckhand', 'config.yaml');
    writeFileSync(file, 'profiles:\n  prow:\n    bastion:\n      port: twenty-two\n');
    const bad = deckhand([], h);
    assert.equal(await bad.exit(), 1);
    assert.equal(bad.stderr[0], `deckhand tunnel: ${file}:4:13: profiles.prow.bastion.port: expected a port number 1-65535, got "twenty-two"`);
    writeFileSync(file, 'profiles:\n  prow:\n    readOnly: true\n');
    const none = deckhand(['-i', keyFile], h);
    assert.equal(await none.exit(), 1);
    assert.match(none.stderr[0]!, /no bastion address: pass --bastion \[user@\]host, set BASTION_FLOATING_IP, or set bastion\.host in profile 'prow'/);
  });
});

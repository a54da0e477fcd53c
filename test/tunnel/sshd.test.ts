// The supervised tunnel against a real OpenSSH sshd on a loopback port: known_hosts as OpenSSH writes it (hashed,
// [host]:port, several key types), agent and identity-file authentication, ~/.ssh/config, refusals, a restart and a
// frozen (black-holed) session, curl/kubectl through the listener, and bulk data both ways through one channel.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { curl, fakeApiServer, httpServer, kubectl, makeTunnel, nextEvent, recordEvents, socksConnect, tempDir, withTimeout } from './harness.js';

const { dir, cleanup } = tempDir('sshd');
let sshd: Sshd;
let http: Awaited<ReturnType<typeof httpServer>>;
let api: Awaited<ReturnType<typeof fakeApiServer>>;
before(async () => {
  // MaxSessions 0 forbids shells and exec but not forwarding: the tunnel and its RTT probe need no session channel.
  [sshd, http, api] = await Promise.all([
    startSshd({ hostKeyTypes: ['ed25519', 'ecdsa'], config: ['MaxSessions 0'] }),
    httpServer(),
    fakeApiServer(dir, 'localhost'),
  ]);
});
after(async () => {
  await Promise.all([sshd?.stop(), http?.close(), api?.close()]);
  cleanup();
});

const name = () => `[127.0.0.1]:${sshd.port}`;
const bastion = () => () => ({ host: sshd.host, port: sshd.port, user: sshd.user });
const fingerprint = (file: string) =>
  execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).split(' ')[1]!;

function knownHostsFile(label: string, lines: string[], hash = false): string {
  const file = join(dir, `known_hosts_${label}`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  if (hash) execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
  return file;
}

const policy = (file: string, acceptNew = false) => ({ userFiles: [file], globalFiles: [], writeFile: file, acceptNew });

test('hashed known_hosts holding only the ECDSA key: only that type is negotiated; curl, kubectl and RTT work', async () => {
  const file = knownHostsFile('hashed', [`${name()} ${sshd.hostKeys.ecdsa}`], true);
  assert.ok(readFileSync(file, 'utf8').startsWith('|1|'));
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  tunnel.start();
  const { port } = await withTimeout(tunnel.ready(), 5000, 'listening');
  assert.equal(tunnel.getState().hostKeyFingerprint, fingerprint(join(sshd.dir, 'host_ecdsa.pub')));
  assert.equal(await curl(port, `http://127.0.0.1:${http.port}/via-openssh`), 'hello /via-openssh\n');
  assert.match(await kubectl(dir, port, `https://localhost:${api.port}`, api.caFile, ['get', '--raw', '/version']), /v1\.32\.0-deckhand-test/);
  const stats = await nextEvent(tunnel, 'stats', 3000, (e) => e.state.rttMs !== undefined);
  assert.ok(stats.state.rttMs! > 0);
  await tunnel.stop();
});

test('a plain [host]:port line with several keys for the host', async () => {
  const file = knownHostsFile('plain', [`${name()} ${sshd.hostKeys.ed25519}`, `${name()} ${sshd.hostKeys.ecdsa}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  tunnel.start();
  await withTimeout(tunnel.ready(), 5000, 'listening');
  assert.equal(tunnel.getState().hostKeyFingerprint, fingerprint(join(sshd.dir, 'host_ed25519.pub')));
  await tunnel.stop();
});

test('unknown host: refused with the fingerprint; with accept-new recorded so that ssh-keygen -F finds it', async () => {
  const file = knownHostsFile('tofu', []);
  const refused = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  refused.start();
  const failure = await withTimeout(refused.done, 5000, 'failure');
  assert.equal(failure?.kind, 'host-key-unknown');
  assert.ok(failure!.message.includes(fingerprint(join(sshd.dir, 'host_ed25519.pub'))), failure!.message);

  const accepting = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file, true) });
  accepting.start();
  await withTimeout(accepting.ready(), 5000, 'listening');
  await accepting.stop();
  assert.match(execFileSync('ssh-keygen', ['-F', name(), '-f', file], { encoding: 'utf8' }), /ssh-ed25519/);
});

test('a changed host key is refused with both fingerprints', async () => {
  const impostor = join(dir, 'impostor');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', impostor]);
  const file = knownHostsFile('changed', [`${name()} ${readFileSync(`${impostor}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file, true) });
  tunnel.start();
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'host-key-changed');
  assert.ok(failure!.message.includes(fingerprint(`${impostor}.pub`)));
  assert.ok(failure!.message.includes(fingerprint(join(sshd.dir, 'host_ed25519.pub'))));
});

test('a wrong user key is refused by sshd and not retried', async () => {
  const stranger = join(dir, 'stranger');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
  const file = knownHostsFile('auth', [`${name()} ${sshd.hostKeys.ed25519}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [stranger], knownHosts: policy(file) });
  const events = recordEvents(tunnel);
  tunnel.start();
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'auth');
  assert.ok(!events.some((e) => e.type === 'reconnecting'));
});

test('ssh-agent holds the key; an encrypted identity file is then left to the agent, or unlocked by a prompt', async () => {
  const encrypted = join(dir, 'id_encrypted');
  copyFileSync(sshd.userKeyFile, encrypted);
  execFileSync('ssh-keygen', ['-q', '-p', '-a', '2', '-P', '', '-N', 'correct horse', '-f', encrypted]); // few KDF rounds: fast tests
  const file = knownHostsFile('agent', [`${name()} ${sshd.hostKeys.ed25519}`]);

  const headless = makeTunnel(dir, { bastion: bastion(), identityFiles: [encrypted], knownHosts: policy(file) });
  headless.start();
  const failure = await withTimeout(headless.done, 5000, 'failure');
  assert.equal(failure?.kind, 'identity');
  assert.match(failure!.message, /is encrypted and no ssh-agent is running.*ssh-add/);

  const prompted = makeTunnel(dir, {
    bastion: bastion(), identityFiles: [encrypted], knownHosts: policy(file), askPassphrase: async () => 'correct horse',
  });
  prompted.start();
  await withTimeout(prompted.ready(), 5000, 'listening with a typed passphrase');
  await prompted.stop();

  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  try {
    await withTimeout((async () => {
      while (!(await isSocket(socket))) await new Promise((r) => setTimeout(r, 20));
    })(), 5000, 'ssh-agent socket');
    execFileSync('ssh-add', [sshd.userKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    const viaAgent = makeTunnel(dir, { bastion: bastion(), identityFiles: [encrypted], agent: socket, knownHosts: policy(file) });
    viaAgent.start();
    await withTimeout(viaAgent.ready(), 5000, 'listening through the agent');
    await viaAgent.stop();
  } finally {
    agent.kill();
    await once(agent, 'exit');
  }
});

async function isSocket(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(path).then((s) => s.isSocket(), () => false);
}

test('~/.ssh/config: an alias with HostName, Port, User, IdentityFile and HostKeyAlias', async () => {
  const config = join(dir, 'ssh_config');
  writeFileSync(config, [
    'Host prow-bastion',
    `  HostName ${sshd.host}`,
    `  Port ${sshd.port}`,
    `  User ${sshd.user}`,
    `  IdentityFile ${sshd.userKeyFile}`,
    '  HostKeyAlias prow-bastion-key',
    '',
  ].join('\n'));
  const file = knownHostsFile('alias', [`prow-bastion-key ${sshd.hostKeys.ed25519}`]);
  const tunnel = makeTunnel(dir, { bastion: () => ({ host: 'prow-bastion' }), sshConfigFile: config, knownHosts: policy(file) });
  tunnel.start();
  await withTimeout(tunnel.ready(), 5000, 'listening');
  assert.equal(tunnel.getState().target, `${sshd.user}@127.0.0.1:${sshd.port}`);
  await tunnel.stop();
});

test('sshd killed and restarted: open SOCKS sockets are destroyed at once, the tunnel reconnects', async () => {
  const file = knownHostsFile('restart', [`${name()} ${sshd.hostKeys.ed25519}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  tunnel.start();
  const { port } = await tunnel.ready();
  const { socket, reply } = await socksConnect(port, '127.0.0.1', http.port);
  assert.equal(reply, 0);
  socket.resume();
  socket.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
  const socketClosed = once(socket, 'close');
  const disconnected = nextEvent(tunnel, 'disconnected', 5000);
  const reconnected = nextEvent(tunnel, 'connected', 10000);
  await sshd.restart();
  assert.equal((await disconnected).error.kind, 'network');
  await withTimeout(socketClosed, 1000, 'SOCKS socket destroyed with the SSH connection');
  await reconnected;
  assert.equal(await curl(port, `http://127.0.0.1:${http.port}/again`), 'hello /again\n');
  await tunnel.stop();
});

test('frozen sshd session (black hole): keepalive notices within interval × count, then it reconnects', async () => {
  const file = knownHostsFile('frozen', [`${name()} ${sshd.hostKeys.ed25519}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  tunnel.start();
  const { port } = await tunnel.ready();
  const disconnected = nextEvent(tunnel, 'disconnected', 3000);
  const reconnected = nextEvent(tunnel, 'connected', 5000);
  const started = Date.now();
  sshd.freezeSessions();
  try {
    const event = await disconnected;
    const elapsed = Date.now() - started;
    assert.equal(event.error.kind, 'keepalive');
    assert.ok(elapsed <= 600 + 300, `detected after ${elapsed} ms`);
  } finally {
    sshd.thawSessions();
  }
  await reconnected;
  assert.equal(await curl(port, `http://127.0.0.1:${http.port}/thawed`), 'hello /thawed\n');
  await tunnel.stop();
});

test('16 MiB each way through one channel and a slow reader arrive intact (windows and backpressure)', async () => {
  // An echo server behind sshd: what the client sends comes back through the same channel, so both directions run
  // past ssh2's 2 MiB window and the socket high-water marks while the client reads in bursts.
  const echo = createServer((s) => s.pipe(s));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const file = knownHostsFile('bulk', [`${name()} ${sshd.hostKeys.ed25519}`]);
  const tunnel = makeTunnel(dir, { bastion: bastion(), identityFiles: [sshd.userKeyFile], knownHosts: policy(file) });
  tunnel.start();
  try {
    const { port } = await withTimeout(tunnel.ready(), 5000, 'listening');
    const { socket, reply } = await socksConnect(port, '127.0.0.1', (echo.address() as { port: number }).port);
    assert.equal(reply, 0);
    const sent = randomBytes(16 * 1024 * 1024);
    const received: Buffer[] = [];
    let length = 0;
    const done = new Promise<void>((resolve) => socket.on('data', (c: Buffer) => {
      received.push(c);
      length += c.length;
      // Stall now and then, so that the tunnel has to hold data back rather than buffer it all.
      if (received.length % 64 === 0) {
        socket.pause();
        setTimeout(() => socket.resume(), 20);
      }
      if (length >= sent.length) resolve();
    }));
    socket.resume(); // socksConnect leaves it paused after the reply
    for (let offset = 0; offset < sent.length; offset += 1024 * 1024) {
      if (!socket.write(sent.subarray(offset, offset + 1024 * 1024))) await once(socket, 'drain');
    }
    await withTimeout(done, 30_000, '16 MiB echoed');
    assert.ok(Buffer.concat(received).equals(sent), 'the same bytes, in order');
    socket.destroy();
  } finally {
    await tunnel.stop();
    echo.close();
  }
});

// The supervised tunnel against the simulated cluster's ssh2 bastion (src/sim/bastion.ts): real curl and kubectl
// through the listener, host key policy, authentication, keepalive on a black-holed link, reconnects (also to a new
// bastion address), and 100 concurrent SOCKS connections.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateUserKey, startBastion, type Bastion, type BastionOptions } from '../../src/sim/bastion.js';
import { fingerprintSha256 } from '../../src/tunnel/known-hosts.js';
import {
  curl, fakeApiServer, freePort, httpServer, isListening, kubectl, makeTunnel, nextEvent, recordEvents, socksConnect,
  tempDir, withTimeout,
} from './harness.js';

const { dir, cleanup } = tempDir('bastion');
const userKey = generateUserKey();
const keyFile = join(dir, 'id_ed25519');
writeFileSync(keyFile, userKey.privateKey, { mode: 0o600 });
const http = await httpServer();
const api = await fakeApiServer(dir, 'kube.internal');
const bastions: Bastion[] = [];
after(async () => {
  await Promise.all([...bastions.map((b) => b.close()), http.close(), api.close()]);
  cleanup();
});

/** Names resolve "on the bastion": the test HTTP server is `web.internal`, the fake API `kube.internal`. */
const route: BastionOptions['route'] = (host, port) => {
  if (host === 'web.internal' || host === '127.0.0.1') return { host: '127.0.0.1', port: port === 80 ? http.port : port };
  if (host === 'kube.internal') return { host: '127.0.0.1', port: api.port };
  return null;
};

async function bastion(host: string, options: Partial<BastionOptions> = {}): Promise<Bastion> {
  const b = await startBastion({ host, port: 0, user: 'ubuntu', authorizedKeys: [userKey.publicKey], route, ...options });
  bastions.push(b);
  return b;
}

function knownHosts(file: string, ...lines: string[]): string {
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

const target = (b: Bastion) => () => ({ host: b.host, port: b.port, user: 'ubuntu' });

test('curl and kubectl reach servers by names only the bastion resolves; RTT, bytes and channels are reported', async () => {
  const b = await bastion('127.0.6.10');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await withTimeout(tunnel.ready(), 5000, 'listening');
  assert.equal(await curl(port, 'http://web.internal/through-the-bastion'), 'hello /through-the-bastion\n');
  const version = JSON.parse(await kubectl(dir, port, 'https://kube.internal:6443', api.caFile, ['version', '-o', 'json'])) as {
    serverVersion: { gitVersion: string };
  };
  assert.equal(version.serverVersion.gitVersion, 'v1.32.0-deckhand-test');
  assert.match(await kubectl(dir, port, 'https://kube.internal:6443', api.caFile, ['get', '--raw', '/api']), /APIVersions/);
  const stats = await nextEvent(tunnel, 'stats', 3000, (e) => e.state.rttMs !== undefined && e.state.openChannels === 0 && e.state.totalChannels >= 3);
  assert.equal(stats.state.phase, 'connected');
  assert.equal(stats.state.hostKeyFingerprint, b.fingerprint);
  assert.ok(stats.state.bytesIn > 0 && stats.state.bytesOut > 0);
  assert.ok(stats.state.rttMs! > 0 && stats.state.rttMs! < 1000);
  await tunnel.stop();
  assert.equal(tunnel.getState().phase, 'stopped');
  assert.equal(await isListening(port), false);
});

test('each event carries the phase it announces: connecting, then connected and listening in phase connected', async () => {
  const b = await bastion('127.0.6.26');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  const events = recordEvents(tunnel);
  tunnel.start();
  await withTimeout(tunnel.ready(), 5000, 'listening');
  const phases = events.filter((e) => e.type !== 'stats' && e.type !== 'notice').map((e) => `${e.type}:${e.state.phase}`);
  assert.deepEqual(phases, ['connecting:connecting', 'connected:connected', 'listening:connected']);
  const connected = events.find((e) => e.type === 'connected')!;
  assert.ok(connected.state.connectedSince !== undefined, 'connectedSince is set with the phase');
  assert.equal(connected.state.hostKeyFingerprint, b.fingerprint);
  await tunnel.stop();
  assert.equal(events.at(-1)?.type, 'stopped');
  assert.equal(events.at(-1)?.state.phase, 'stopped');
});

test('a destination the bastion cannot reach gets a SOCKS failure reply, not a hang', async () => {
  const b = await bastion('127.0.6.11');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await tunnel.ready();
  const { socket, reply } = await socksConnect(port, 'nowhere.internal', 443);
  assert.equal(reply, 0x04); // host unreachable: RFC 4254 "connect failed"
  socket.destroy();
  await tunnel.stop();
});

test('unknown host without accept-new fails with the fingerprint and never listens', async () => {
  const b = await bastion('127.0.6.12');
  const listenPort = await freePort();
  const tunnel = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], listen: { host: '127.0.0.1', port: listenPort },
    knownHosts: { userFiles: [knownHosts(join(dir, 'empty_known_hosts'))], globalFiles: [], writeFile: join(dir, 'empty_known_hosts'), acceptNew: false },
  });
  const events = recordEvents(tunnel);
  tunnel.start();
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'host-key-unknown');
  assert.ok(failure?.message.includes(b.fingerprint), failure?.message);
  assert.ok(failure?.message.includes(`[${b.host}]:${b.port}`));
  assert.deepEqual(events.map((e) => e.type), ['connecting', 'failed']);
  assert.equal(await isListening(listenPort), false);
  assert.equal(readFileSync(join(dir, 'empty_known_hosts'), 'utf8'), '', 'nothing may be recorded without accept-new');
});

test('accept-new records a hashed line, and the next run trusts it without accept-new', async () => {
  const b = await bastion('127.0.6.13');
  const file = join(dir, 'tofu_known_hosts');
  const first = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: true },
  });
  const accepted = nextEvent(first, 'host-key-accepted');
  first.start();
  await first.ready();
  assert.equal((await accepted).fingerprint, b.fingerprint);
  await first.stop();
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^\|1\|[^ ]+ ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
  assert.ok(!text.includes('127.0.6.13'));
  const second = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: false },
  });
  second.start();
  await withTimeout(second.ready(), 5000, 'second run listening');
  await second.stop();
  assert.equal(readFileSync(file, 'utf8'), text, 'a known key is not recorded again');
});

test('a changed host key is refused with both fingerprints, also when it changes between reconnects', async () => {
  const oldKey = generateUserKey(); // any ed25519 key pair will do as a host key
  const b = await bastion('127.0.6.14', { hostKey: oldKey.privateKey });
  const oldFingerprint = b.fingerprint;
  const file = knownHosts(join(dir, 'changing_known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: true },
  });
  tunnel.start();
  const { port } = await tunnel.ready();
  // The bastion is replaced at the same address with a new host key: accept-new must not accept it.
  await b.close();
  const replacement = await bastion('127.0.6.14', { port: b.port });
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'host-key-changed');
  assert.ok(failure?.message.includes(oldFingerprint), failure?.message);
  assert.ok(failure?.message.includes(replacement.fingerprint), failure?.message);
  assert.equal(tunnel.getState().phase, 'failed');
  assert.equal(await isListening(port), false, 'a failed tunnel closes its listener');
  assert.equal(readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 1, 'nothing was recorded');
});

test('a wrong user key is refused once, without retry loops', async () => {
  const b = await bastion('127.0.6.15');
  const stranger = join(dir, 'stranger');
  writeFileSync(stranger, generateUserKey().privateKey, { mode: 0o600 });
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [stranger] });
  const events = recordEvents(tunnel);
  tunnel.start();
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'auth');
  assert.match(failure!.message, /authentication failed for ubuntu@127\.0\.6\.15:\d+.*stranger/);
  assert.ok(!events.some((e) => e.type === 'reconnecting'));
});

test('a black-holed bastion is detected by keepalive within interval × count; SOCKS sockets go at once; it reconnects', async () => {
  const b = await bastion('127.0.6.16');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await tunnel.ready();
  const { socket, reply } = await socksConnect(port, 'web.internal', 80);
  assert.equal(reply, 0);
  socket.resume();
  socket.write('GET /hold HTTP/1.1\r\nHost: web.internal\r\n\r\n');
  const socketClosed = once(socket, 'close');
  const disconnected = nextEvent(tunnel, 'disconnected', 3000);
  const started = Date.now();
  b.blackhole(true);
  const event = await disconnected;
  const elapsed = Date.now() - started;
  assert.equal(event.error.kind, 'keepalive');
  // 200 ms × 3 = 600 ms (ServerAliveInterval × ServerAliveCountMax), plus timer slack.
  assert.ok(elapsed <= 600 + 300, `detected after ${elapsed} ms`);
  await withTimeout(socketClosed, 200, 'SOCKS socket destroyed with the SSH connection');
  const reconnected = nextEvent(tunnel, 'connected', 5000);
  b.blackhole(false);
  await reconnected;
  assert.equal(await curl(port, 'http://web.internal/after'), 'hello /after\n');
  await tunnel.stop();
});

test('the bastion address is asked again on every attempt: a dropped session reconnects to the new bastion', async () => {
  const hostKey = generateUserKey().privateKey;
  const a = await bastion('127.0.6.17', { hostKey });
  const b = await bastion('127.0.6.18', { hostKey });
  knownHosts(join(dir, 'known_hosts'), `[${a.host}]:${a.port} ${a.hostKeyPublic}`, `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  let current = a;
  const tunnel = makeTunnel(dir, { bastion: () => ({ host: current.host, port: current.port, user: 'ubuntu' }), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await tunnel.ready();
  assert.equal(tunnel.getState().target, `ubuntu@127.0.6.17:${a.port}`);
  const { socket } = await socksConnect(port, 'web.internal', 80);
  socket.resume();
  const socketClosed = once(socket, 'close');
  current = b;
  const reconnected = nextEvent(tunnel, 'connected', 5000);
  a.dropClients();
  await withTimeout(socketClosed, 1000, 'SOCKS socket destroyed with the SSH connection');
  assert.equal((await reconnected).target, `ubuntu@127.0.6.18:${b.port}`);
  assert.equal(await curl(port, 'http://web.internal/moved'), 'hello /moved\n');
  await tunnel.stop();
});

test('100 concurrent SOCKS connections, each with its own channel', async () => {
  const b = await bastion('127.0.6.19');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await tunnel.ready();
  const bodies = await withTimeout(Promise.all(Array.from({ length: 100 }, async (_, i) => {
    const { socket, reply } = await socksConnect(port, 'web.internal', 80);
    assert.equal(reply, 0);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.resume();
    socket.write(`GET /n${i} HTTP/1.1\r\nHost: web.internal\r\nConnection: close\r\n\r\n`);
    await once(socket, 'close');
    return Buffer.concat(chunks).toString();
  })), 15000, '100 responses');
  bodies.forEach((body, i) => assert.ok(body.endsWith(`hello /n${i}\n`), body));
  const settled = await nextEvent(tunnel, 'stats', 3000, (e) => e.state.totalChannels === 100 && e.state.openChannels === 0);
  assert.equal(settled.state.phase, 'connected');
  await tunnel.stop();
});

test('fingerprints reported by the bastion match the known_hosts arithmetic', async () => {
  const b = await bastion('127.0.6.20');
  assert.equal(fingerprintSha256(Buffer.from(b.hostKeyPublic.split(' ')[1]!, 'base64')), b.fingerprint);
});

test('network errors before the first connection are retried with backoff; listening starts once it connects', async () => {
  const port = await freePort('127.0.6.21');
  const tunnel = makeTunnel(dir, { bastion: () => ({ host: '127.0.6.21', port, user: 'ubuntu' }), identityFiles: [keyFile] });
  const retries: number[] = [];
  tunnel.subscribe((e) => {
    if (e.type === 'reconnecting') retries.push(e.delayMs);
  });
  const refused = nextEvent(tunnel, 'reconnecting', 3000, () => retries.length >= 3);
  tunnel.start();
  const event = await refused;
  assert.equal(event.error.kind, 'network');
  assert.match(event.error.message, /connection refused \(ECONNREFUSED\)/);
  assert.equal(tunnel.getState().listen, undefined, 'no listener before the first connection');
  // Backoff doubles from 50 ms with the jitter factor fixed at 0.75 by random() = 0.5 (harness).
  assert.deepEqual(retries.slice(0, 3), [38, 75, 150]);
  const hostKey = generateUserKey(); // recorded before the bastion exists, so no attempt can see an unknown key
  knownHosts(join(dir, 'known_hosts'), `[127.0.6.21]:${port} ${hostKey.publicKey}`);
  await bastion('127.0.6.21', { port, hostKey: hostKey.privateKey });
  await withTimeout(tunnel.ready(), 5000, 'listening after the bastion came up');
  assert.equal(tunnel.getState().phase, 'connected');
  await tunnel.stop();
});

test('an interactive prompt for an unknown host: yes records the key and connects, no fails', async () => {
  const b = await bastion('127.0.6.22');
  const file = join(dir, 'prompt_known_hosts');
  const asked: string[] = [];
  const refusing = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: false },
    confirmUnknownHost: async (key) => (asked.push(key.fingerprint), false),
  });
  refusing.start();
  assert.equal((await withTimeout(refusing.done, 5000, 'failure'))?.kind, 'host-key-unknown');
  const accepting = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: false },
    confirmUnknownHost: async (key) => (asked.push(key.fingerprint), true),
  });
  accepting.start();
  await withTimeout(accepting.ready(), 5000, 'listening after the prompt');
  await accepting.stop();
  assert.deepEqual(asked, [b.fingerprint, b.fingerprint]);
  assert.match(readFileSync(file, 'utf8'), /^\|1\|\S+ ssh-ed25519 \S+\n$/);
});

test('a host known only by a key type it no longer offers fails the handshake instead of trusting another type', async () => {
  const b = await bastion('127.0.6.23'); // ed25519 only
  const ecdsa = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=';
  const file = knownHosts(join(dir, 'ecdsa_known_hosts'), `[${b.host}]:${b.port} ${ecdsa}`);
  const tunnel = makeTunnel(dir, {
    bastion: target(b), identityFiles: [keyFile], knownHosts: { userFiles: [file], globalFiles: [], writeFile: file, acceptNew: true },
  });
  const events = recordEvents(tunnel);
  tunnel.start();
  const failure = await withTimeout(tunnel.done, 5000, 'failure');
  assert.equal(failure?.kind, 'handshake');
  assert.match(failure!.message, /offers none of the host key types known_hosts holds for it \(ecdsa-sha2-nistp256\)/);
  assert.ok(!events.some((e) => e.type === 'reconnecting' || e.type === 'host-key-accepted'));
  await assert.rejects(tunnel.ready(), /offers none of the host key types/);
});

test('after a drop the backoff starts low and doubles on each failed attempt; stop() ends a reconnecting tunnel', async () => {
  const b = await bastion('127.0.6.24');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const tunnel = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile] });
  tunnel.start();
  const { port } = await tunnel.ready();
  const retries: Array<[number, number]> = [];
  tunnel.subscribe((e) => {
    if (e.type === 'reconnecting') retries.push([e.delayMs, e.state.attempt]);
  });
  const third = nextEvent(tunnel, 'reconnecting', 3000, () => retries.length >= 3);
  await b.close();
  await third;
  assert.deepEqual(retries.slice(0, 3), [[38, 1], [75, 2], [150, 3]]);
  assert.equal(tunnel.getState().phase, 'reconnecting');
  assert.ok(await isListening(port), 'the listener stays up while reconnecting');
  const { socket, reply } = await socksConnect(port, 'web.internal', 80);
  assert.equal(reply, 0x03, 'network unreachable while the bastion is away');
  socket.destroy();
  await withTimeout(tunnel.stop(), 1000, 'stop while reconnecting');
  assert.equal(await tunnel.done, null);
  assert.equal(await isListening(port), false);
});

test('an unusable ssh-agent is skipped for the identity file; if that fails too, the failure names the agent problem', async () => {
  const b = await bastion('127.0.6.25');
  knownHosts(join(dir, 'known_hosts'), `[${b.host}]:${b.port} ${b.hostKeyPublic}`);
  const deadAgent = join(dir, 'no-such-agent.sock');
  const working = makeTunnel(dir, { bastion: target(b), identityFiles: [keyFile], agent: deadAgent });
  working.start();
  await withTimeout(working.ready(), 5000, 'listening despite the dead agent');
  await working.stop();
  const stranger = join(dir, 'stranger2');
  writeFileSync(stranger, generateUserKey().privateKey, { mode: 0o600 });
  const failing = makeTunnel(dir, { bastion: target(b), identityFiles: [stranger], agent: deadAgent });
  failing.start();
  const failure = await withTimeout(failing.done, 5000, 'failure');
  assert.equal(failure?.kind, 'auth');
  assert.match(failure!.message, /tried ssh-agent, .*stranger2\); ssh-agent: Failed to connect to agent/);
});

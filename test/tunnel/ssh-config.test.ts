// ~/.ssh/config resolution for the bastion: what deckhand honours, what it refuses, and that Match exec never runs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveBastion, resolveBastionFromText } from '../../src/tunnel/ssh-config.js';
import { TunnelError } from '../../src/tunnel/types.js';

const local = { home: '/home/op', name: 'op' };
const dir = mkdtempSync(join(tmpdir(), 'deckhand-sshcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const config = `
Host prow-bastion
  HostName 203.0.113.10
  User ubuntu
  Port 2222
  IdentityFile ~/.ssh/prow
  IdentityFile %d/.ssh/%r-%h
  HostKeyAlias prow-bastion-key
  UserKnownHostsFile ~/.ssh/prow_known_hosts /etc/ssh/extra_known_hosts

Host jumpy
  ProxyJump other

Host commanded
  ProxyCommand nc %h %p

Host direct
  ProxyJump none

Host *
  User fallback
`;

test('HostName, User, Port, IdentityFile (several, ~ and % tokens), HostKeyAlias, UserKnownHostsFile', () => {
  const r = resolveBastionFromText(config, 'cfg', { host: 'prow-bastion' }, local);
  assert.equal(r.host, '203.0.113.10');
  assert.equal(r.user, 'ubuntu');
  assert.equal(r.port, 2222);
  assert.deepEqual(r.identityFiles, ['/home/op/.ssh/prow', '/home/op/.ssh/ubuntu-203.0.113.10']);
  assert.equal(r.hostKeyAlias, 'prow-bastion-key');
  assert.deepEqual(r.userKnownHostsFiles, ['/home/op/.ssh/prow_known_hosts', '/etc/ssh/extra_known_hosts']);
});

test('user@ and :port from the command line win over the file; the first Host match wins within it', () => {
  const r = resolveBastionFromText(config, 'cfg', { host: 'prow-bastion', user: 'admin', port: 22 }, local);
  assert.equal(r.user, 'admin');
  assert.equal(r.port, 22);
  const other = resolveBastionFromText(config, 'cfg', { host: '198.51.100.7' }, local);
  assert.equal(other.host, '198.51.100.7');
  assert.equal(other.user, 'fallback');
  assert.equal(other.port, 22);
  assert.equal(other.userKnownHostsFiles, undefined);
});

test('with no config the local user name and port 22 apply, like ssh', () => {
  const r = resolveBastionFromText('', 'cfg', { host: '10.0.0.1' }, local);
  assert.deepEqual([r.host, r.port, r.user, r.identityFiles], ['10.0.0.1', 22, 'op', []]);
});

test('ProxyJump and ProxyCommand are refused as unsupported, ProxyJump none is fine', () => {
  for (const host of ['jumpy', 'commanded']) {
    assert.throws(() => resolveBastionFromText(config, 'cfg', { host }, local),
      (err: unknown) => err instanceof TunnelError && err.kind === 'config' && /Proxy(Jump|Command).*not supported/.test(err.message));
  }
  assert.equal(resolveBastionFromText(config, 'cfg', { host: 'direct' }, local).host, 'direct');
});

test('Match exec is never executed, and Include is reported rather than silently followed', async () => {
  const marker = join(dir, 'executed');
  const file = join(dir, 'config');
  writeFileSync(file, `Include ~/.ssh/more\nMatch exec "touch ${marker}"\n  User evil\nHost *\n  User fine\n`);
  const r = await resolveBastion({ host: 'bastion' }, file, local);
  assert.equal(existsSync(marker), false, 'Match exec ran a command');
  assert.equal(r.user, 'fine');
  assert.match(r.notes.join('\n'), /Include is not followed/);
});

test('a missing config file is an empty one', async () => {
  const r = await resolveBastion({ host: 'b', port: 2200 }, join(dir, 'nope'), local);
  assert.deepEqual([r.host, r.port, r.user], ['b', 2200, 'op']);
});

// known_hosts parsing and matching, checked against OpenSSH's own tools: ssh-keygen -H hashes, ssh-keygen -lf
// fingerprints, ssh-keygen -F finds the lines deckhand appends.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  appendKnownHost, checkHostKey, fingerprintSha256, hostFieldMatches, hostKeyAlgorithms, knownHostsName,
  parseKnownHosts, readKnownHostsFiles,
} from '../../src/tunnel/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'deckhand-kh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function keypair(type: string, name: string): { line: string; blob: Buffer; file: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'c', '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), file };
}

const ed = keypair('ed25519', 'ed');
const ec = keypair('ecdsa', 'ec');
const other = keypair('ed25519', 'other');

test('fingerprints match ssh-keygen -lf', () => {
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${ed.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
  assert.equal(fingerprintSha256(ed.blob), printed);
});

test('lookup names: [host]:port for non-22 ports, the HostKeyAlias verbatim, lower case', () => {
  assert.equal(knownHostsName('Bastion.Example', 22), 'bastion.example');
  assert.equal(knownHostsName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  assert.equal(knownHostsName('10.0.0.5', 2222, 'prow-bastion'), 'prow-bastion');
});

test('hashed entries written by ssh-keygen -H match the plain name and the [host]:port form', () => {
  const file = join(dir, 'hashed');
  writeFileSync(file, `10.1.2.3 ${ed.line}\n[10.1.2.3]:2222 ${ec.line}\n`);
  execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
  const { entries } = parseKnownHosts(readFileSync(file, 'utf8'), file);
  assert.equal(entries.length, 2);
  assert.ok(entries.every((e) => e.hosts.startsWith('|1|')));
  assert.equal(checkHostKey(entries, '10.1.2.3', ed.blob).status, 'known');
  assert.equal(checkHostKey(entries, '[10.1.2.3]:2222', ec.blob).status, 'known');
  assert.equal(checkHostKey(entries, '[10.1.2.3]:2222', ed.blob).status, 'changed');
  assert.equal(checkHostKey(entries, '10.1.2.4', ed.blob).status, 'unknown');
});

test('patterns: wildcards, negation, comma lists, case-insensitive', () => {
  assert.ok(hostFieldMatches('*.prow.example,10.0.0.?', 'bastion.prow.example'));
  assert.ok(hostFieldMatches('*.prow.example,10.0.0.?', '10.0.0.7'));
  assert.ok(!hostFieldMatches('*.prow.example,10.0.0.?', '10.0.0.17'));
  assert.ok(!hostFieldMatches('*.prow.example,!old.prow.example', 'old.prow.example'));
  assert.ok(hostFieldMatches('BASTION', 'bastion'));
  assert.ok(hostFieldMatches('[10.0.0.*]:2222', '[10.0.0.9]:2222'));
  assert.ok(!hostFieldMatches('[10.0.0.*]:2222', '10.0.0.9'));
  assert.ok(!hostFieldMatches('a.b', 'axb'), 'a dot is literal');
});

test('several keys per host: any one of them is known, the key types decide what is negotiated', () => {
  const text = `bastion ${ed.line}\nbastion ${ec.line}\n`;
  const { entries } = parseKnownHosts(text, 't');
  assert.equal(checkHostKey(entries, 'bastion', ed.blob).status, 'known');
  assert.equal(checkHostKey(entries, 'bastion', ec.blob).status, 'known');
  assert.deepEqual(hostKeyAlgorithms(entries, 'bastion'), ['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  assert.deepEqual(hostKeyAlgorithms(parseKnownHosts(`bastion ${ec.line}\n`, 't').entries, 'bastion'), ['ecdsa-sha2-nistp256']);
  assert.equal(hostKeyAlgorithms(entries, 'elsewhere'), undefined);
});

test('a changed key reports every known key; @revoked refuses even a key that is also listed as valid', () => {
  const { entries } = parseKnownHosts(`bastion ${ed.line}\n@revoked bastion ${other.line}\nbastion ${other.line}\n`, 't');
  const revoked = checkHostKey(entries, 'bastion', other.blob);
  assert.equal(revoked.status, 'revoked');
  const changed = checkHostKey(parseKnownHosts(`bastion ${ed.line}\n`, 't').entries, 'bastion', other.blob);
  assert.equal(changed.status, 'changed');
  assert.deepEqual(changed.status === 'changed' && changed.known.map((e) => fingerprintSha256(e.blob)), [fingerprintSha256(ed.blob)]);
});

test('comments, @cert-authority and malformed lines become notes, never entries', () => {
  const text = [
    '# a comment',
    '',
    `@cert-authority *.example ${ed.line}`,
    'bastion ssh-ed25519',
    `bastion ssh-rsa ${ed.line.split(' ')[1]}`,
    `@bogus bastion ${ed.line}`,
    `bastion ${ed.line} trailing comment`,
  ].join('\n');
  const { entries, notes } = parseKnownHosts(text, 'kh');
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.line, 7);
  assert.deepEqual(notes.map((n) => n.line), [3, 4, 5, 6]);
  assert.match(notes[0]!.message, /cert-authority.*not supported/);
});

test('appended lines are hashed, found by ssh-keygen -F, and read back as known', async () => {
  const file = join(dir, 'state', 'known_hosts');
  await appendKnownHost(file, '[127.0.0.5]:2200', ed.blob);
  await appendKnownHost(file, 'bastion', ec.blob);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes('127.0.0.5') && !text.includes('bastion'), 'host names must not appear in clear');
  const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.5]:2200', '-f', file], { encoding: 'utf8' });
  assert.match(found, /ssh-ed25519/);
  const { entries } = await readKnownHostsFiles([join(dir, 'missing'), file]);
  assert.equal(checkHostKey(entries, '[127.0.0.5]:2200', ed.blob).status, 'known');
  assert.equal(checkHostKey(entries, 'bastion', ec.blob).status, 'known');
});

test('appending to a file without a final newline starts a new line', async () => {
  const file = join(dir, 'no-newline');
  writeFileSync(file, `first ${ed.line}`);
  await appendKnownHost(file, 'second', ec.blob);
  const { entries } = parseKnownHosts(readFileSync(file, 'utf8'), file);
  assert.equal(entries.length, 2);
});

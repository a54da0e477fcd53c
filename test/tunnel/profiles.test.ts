// Profile config (config.yaml): the documented example parses, every mistake names file, line, column and field;
// XDG paths; the last working bastion per profile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deckhandPaths, expandHome } from '../../src/cli/paths.js';
import {
  ConfigError, loadProfileConfig, parseProfileConfig, recallBastion, rememberBastion, selectProfile,
} from '../../src/cli/profiles.js';

const dir = mkdtempSync(join(tmpdir(), 'deckhand-profiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const example = `# deckhand profiles
defaultProfile: prod
profiles:
  prod:
    kubeContext: prow-prod
    production: true
    readOnly: false
    bastion:
      user: ubuntu
      host: 203.0.113.10
      port: 22
      identity: ~/.ssh/prow-bastion
    socksListen: 127.0.0.1:6443
    openstackCluster:
      name: prow
      namespace: capo-system
    prowNamespace: prow
    testPodsNamespace: test-pods
    echoIpUrl: https://ifconfig.me/ip
  staging:
    kubeContext: prow-staging
    readOnly: true
`;

test('the documented example parses with defaults filled in', () => {
  const config = parseProfileConfig(example, '/cfg.yaml');
  assert.equal(config.defaultProfile, 'prod');
  const prod = config.profiles.prod!;
  assert.equal(prod.bastion?.port, 22);
  assert.equal(prod.openstackCluster?.namespace, 'capo-system');
  assert.equal(prod.production, true);
  assert.deepEqual([config.profiles.staging!.production, config.profiles.staging!.readOnly], [false, true]);
  assert.equal(selectProfile(config)?.name, 'prod');
  assert.equal(selectProfile(config, 'staging')?.name, 'staging');
  assert.throws(() => selectProfile(config, 'nope'), /no profile 'nope'.*known: prod, staging/);
});

test('errors name the file, line, column and field', () => {
  const cases: Array<[string, RegExp]> = [
    ['profiles:\n  prod:\n    bastion:\n      port: ssh\n', /^\/c\.yaml:4:13: profiles\.prod\.bastion\.port: expected a port number 1-65535, got "ssh"$/],
    ['profiles:\n  prod:\n    prodution: true\n', /^\/c\.yaml:3:5: profiles\.prod\.prodution: unknown field/],
    ['profiles:\n  prod:\n    production: yes\n', /^\/c\.yaml:3:17: profiles\.prod\.production: expected true or false, got "yes"$/],
    ['profiles:\n  prod:\n    openstackCluster:\n      name: prow\n', /^\/c\.yaml:4:7: profiles\.prod\.openstackCluster\.namespace: missing required field$/],
    ['profiles:\n  prod:\n    prowNamespace: Prow_NS\n', /^\/c\.yaml:3:20: profiles\.prod\.prowNamespace: expected a Kubernetes namespace/],
    ['defaultProfile: x\nprofiles:\n  prod: {}\n', /^\/c\.yaml:1:17: defaultProfile: no profile named 'x'$/],
    ['profiles:\n  prod:\n    kubeContext: [a\n', /^\/c\.yaml:\d+:\d+: /],
    ['profiles:\n  prod: {}\n  prod: {}\n', /^\/c\.yaml:3:3: Map keys must be unique/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(() => parseProfileConfig(text, '/c.yaml'), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.match(err.message, expected);
      return true;
    }, text);
  }
});

test('a missing or empty config file means flags only', async () => {
  assert.deepEqual((await loadProfileConfig(join(dir, 'missing.yaml'))).profiles, {});
  writeFileSync(join(dir, 'empty.yaml'), '');
  assert.equal(selectProfile(await loadProfileConfig(join(dir, 'empty.yaml'))), undefined);
});

test('XDG paths: absolute XDG variables win, relative ones are ignored, HOME otherwise', () => {
  const p = deckhandPaths({ XDG_CONFIG_HOME: '/x/config', XDG_STATE_HOME: 'relative' }, '/home/op');
  assert.equal(p.configFile, '/x/config/deckhand/config.yaml');
  assert.equal(p.knownHostsFile, '/home/op/.local/state/deckhand/known_hosts');
  assert.equal(deckhandPaths({}, '/home/op').configFile, '/home/op/.config/deckhand/config.yaml');
  assert.equal(expandHome('~/.ssh/id', '/home/op'), '/home/op/.ssh/id');
  assert.equal(expandHome('/abs/~x', '/home/op'), '/abs/~x');
});

test('the last working bastion is remembered per profile', async () => {
  const file = join(dir, 'state', 'bastions.json');
  assert.equal(await recallBastion(file, 'prod'), undefined);
  await rememberBastion(file, 'prod', { host: '203.0.113.10', port: 22, user: 'ubuntu', at: '2026-01-01T00:00:00Z' });
  await rememberBastion(file, 'staging', { host: '198.51.100.2', port: 2222, user: 'ubuntu', at: '2026-01-01T00:00:00Z' });
  await rememberBastion(file, 'prod', { host: '203.0.113.99', port: 22, user: 'ubuntu', at: '2026-01-02T00:00:00Z' });
  assert.equal((await recallBastion(file, 'prod'))?.host, '203.0.113.99');
  assert.equal((await recallBastion(file, 'staging'))?.port, 2222);
});

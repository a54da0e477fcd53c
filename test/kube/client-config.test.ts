// Kubeconfig loading and context selection: the specific errors, the proxy set in memory only, and merging.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';

let dir: string;
const kubeconfig = (contexts: string[], current: string, proxy = '') => `apiVersion: v1
kind: Config
current-context: ${current}
clusters:
${contexts.map((c) => `- name: ${c}\n  cluster:\n    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true${proxy ? `\n    proxy-url: ${proxy}` : ''}`).join('\n')}
users:
- name: admin
  user:
    token: t0ken
contexts:
${contexts.map((c) => `- name: ${c}\n  context:\n    cluster: ${c}\n    user: admin\n    namespace: prow`).join('\n')}
`;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const fails = (fn: () => unknown, kind: KubeError['kind'], pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof KubeError && err.kind === kind && pattern.test(err.message), `expected ${kind} ${pattern}`);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'deckhand-kubeconfig-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('missing and malformed kubeconfigs name the file and the reason', () => {
  fails(() => createClient({ kubeconfig: join(dir, 'nope') }), 'kubeconfig', /nope: file not found \(from --kubeconfig\)/);
  fails(() => createClient({ kubeconfig: file('empty', '') }), 'kubeconfig', /empty: malformed: the file is empty/);
  fails(() => createClient({ kubeconfig: file('broken', 'clusters: [') }), 'kubeconfig', /broken: malformed: /);
  fails(() => createClient({ kubeconfig: file('noserver', 'clusters:\n- name: a\n  cluster: {}\n') }), 'kubeconfig', /noserver: malformed: clusters\[0\]\.cluster\.server is missing/);
  fails(() => createClient({ kubeconfig: file('scalar', 'hello') }), 'kubeconfig', /scalar: malformed: no clusters, users or contexts/);
  fails(() => createClient({ env: { KUBECONFIG: `${join(dir, 'a')}${delimiter}${join(dir, 'b')}` } }), 'kubeconfig', /none of the files in KUBECONFIG exist/);
  fails(() => createClient({ env: {}, home: dir }), 'kubeconfig', /\.kube\/config: file not found \(pass --kubeconfig or set KUBECONFIG\)/);
  const dangling = kubeconfig(['test'], 'test').replace('cluster: test', 'cluster: gone');
  fails(() => createClient({ kubeconfig: file('dangling', dangling) }), 'kubeconfig', /context "test" names cluster "gone", which is not defined/);
});

test('an unknown context lists the known ones; no current-context asks for --context', () => {
  const path = file('two', kubeconfig(['test', 'prod'], 'test'));
  fails(() => createClient({ kubeconfig: path, context: 'staging' }), 'context', /context "staging" not found in .*two \(known contexts: test, prod\)/);
  fails(() => createClient({ kubeconfig: file('none', kubeconfig(['test'], '""')) }), 'context', /has no current-context; pass --context \(known contexts: test\)/);
  const client = createClient({ kubeconfig: path, context: 'prod' });
  assert.deepEqual(
    { context: client.target.context, cluster: client.target.cluster, user: client.target.user, namespace: client.target.namespace, server: client.target.server },
    { context: 'prod', cluster: 'prod', user: 'admin', namespace: 'prow', server: 'https://127.0.0.1:6443' },
  );
  client.close();
});

test('the proxy is set in memory (or removed for direct mode) and the file is never rewritten', () => {
  const text = kubeconfig(['test'], 'test', 'socks5://localhost:6443');
  const path = file('proxied', text);
  const kept = createClient({ kubeconfig: path });
  const tunnel = createClient({ kubeconfig: path, proxyUrl: 'socks5h://127.0.0.1:1080' });
  const direct = createClient({ kubeconfig: path, proxyUrl: null });
  assert.equal(kept.target.proxyUrl, 'socks5://localhost:6443');
  assert.equal(tunnel.target.proxyUrl, 'socks5h://127.0.0.1:1080');
  assert.equal(direct.target.proxyUrl, undefined);
  assert.equal(readFileSync(path, 'utf8'), text);
  for (const c of [kept, tunnel, direct]) c.close();
});

test('KUBECONFIG merges files, skipping missing ones; the first file to set a name or current-context wins', () => {
  const first = file('first', kubeconfig(['test'], 'test'));
  const second = file('second', kubeconfig(['test', 'prod'], 'prod').replace(/server: https:\/\/127\.0\.0\.1:6443/g, 'server: https://127.0.0.2:6443'));
  const client = createClient({ env: { KUBECONFIG: [join(dir, 'missing'), first, second].join(delimiter) } });
  assert.deepEqual([client.target.context, client.target.server, client.target.files], ['test', 'https://127.0.0.1:6443', [first, second]]);
  const prod = createClient({ env: { KUBECONFIG: [first, second].join(delimiter) }, context: 'prod' });
  assert.equal(prod.target.server, 'https://127.0.0.2:6443');
  client.close();
  prod.close();
});
